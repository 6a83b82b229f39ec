"""A framework folder is validated whole: hostile or careless YAML, formula cycles, non-finite numbers: refused."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from sandyq.errors import FrameworkError, Problem
from sandyq.framework import (
    MAX_YAML_DEPTH,
    default_framework_path,
    load_framework,
    parse_period,
    parse_vintage,
    parse_yaml,
)
from sandyq.framework import _yaml as yaml_module

#: 300 bytes that expand to a billion strings in a YAML library without limits.
ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

INDICATOR = """\
- id: {id}
  name: {{kk: {id}, ru: {id}, en: {id}}}
  unit: NUMBER
  source: gapminder
  formula: {{numerator: {num}, denominator: {den}}}
"""

PROGRAMME = """\
id: extra
name: {kk: a, ru: b, en: c}
start: 2020
end: 2030
legal_basis: {kk: a, ru: b, en: c}
directions:
  - id: d1
    name: {kk: a, ru: b, en: c}
    tasks:
      - id: t1
        name: {kk: a, ru: b, en: c}
        targets:
          - id: extra-target
            indicator: IT.NET.USER.ZS
            value: VALUE
            year: 2030
            citation: {source: gapminder, passage: x}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the bundled framework."""
    return Path(shutil.copytree(default_framework_path(), tmp_path / "fw"))


def _refused(folder: Path) -> FrameworkError:
    with pytest.raises(FrameworkError) as info:
        load_framework(folder, include_default=False)
    return info.value


def test_the_bundled_framework_is_valid() -> None:
    assert load_framework().indicators


def test_an_alias_bomb_is_refused_at_once(folder: Path) -> None:
    (folder / "glossary.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    started = time.perf_counter()
    error = _refused(folder)
    assert time.perf_counter() - started < 30
    (p,) = [p for p in error.problems if p.file.endswith("glossary.yaml")]
    assert p.row == 1 and "anchor &a is not allowed" in p.message


def test_a_repeated_key_is_refused_with_its_line(folder: Path) -> None:
    path = folder / "indicators" / "wdi.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    unit = next(i for i, line in enumerate(lines) if line.startswith("  unit:"))
    lines.insert(unit + 1, "  unit: NUMBER\n")
    path.write_text("".join(lines), encoding="utf-8")
    (p,) = [p for p in _refused(folder).problems if p.file == str(path)]
    assert p.row == unit + 2
    assert "key 'unit' appears twice in one mapping" in p.message


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_target_that_is_not_a_finite_number_is_refused(folder: Path, value: str) -> None:
    (folder / "programmes" / "extra.yaml").write_text(PROGRAMME.replace("VALUE", value), encoding="utf-8")
    problems = _refused(folder).problems
    assert any(
        p.path == "directions[0].tasks[0].targets[0].value" and "finite number" in p.message for p in problems
    ), [str(p) for p in problems]


@pytest.mark.parametrize(
    ("formulas", "cycle"),
    [
        ([("A", "B", "SP.POP.TOTL"), ("B", "A", "SP.POP.TOTL")], "A → B → A"),
        ([("A", "A", "SP.POP.TOTL")], "A → A"),
        ([("A", "SP.POP.TOTL", "B"), ("B", "C", "SP.POP.TOTL"), ("C", "A", "SP.POP.TOTL")], "A → B → C → A"),
    ],
)
def test_formula_cycles_are_refused(folder: Path, formulas: list[tuple[str, str, str]], cycle: str) -> None:
    text = "".join(INDICATOR.format(id=i, num=n, den=d) for i, n, d in formulas)
    (folder / "indicators" / "cycle.yaml").write_text(text, encoding="utf-8")
    (p,) = _refused(folder).problems
    assert p.file.endswith("cycle.yaml [0]") and p.path == "A.formula"
    assert f"formulas form a cycle ({cycle})" in p.message


def test_a_formula_chain_without_a_cycle_is_valid(folder: Path) -> None:
    text = INDICATOR.format(id="A", num="B", den="SP.POP.TOTL") + INDICATOR.format(id="B", num="C", den="C")
    text += INDICATOR.format(id="C", num="SP.POP.TOTL", den="SP.POP.TOTL")
    (folder / "indicators" / "chain.yaml").write_text(text, encoding="utf-8")
    assert {"A", "B", "C"} <= set(load_framework(folder, include_default=False).indicators)


def test_a_yaml_file_above_the_size_limit_is_refused(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_module, "MAX_YAML_BYTES", 1000)
    problems = _refused(folder).problems
    assert any("a YAML file may have at most 1000" in p.message for p in problems)


def test_deep_nesting_is_refused() -> None:
    problems: list[Problem] = []
    assert parse_yaml("[" * 100_000, "deep.yaml", problems) is None
    assert f"nested more than {MAX_YAML_DEPTH} levels deep" in problems[0].message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: *x\n", "alias *x is not allowed"),
        ("base: &b {x: 1}\nuse: {<<: *b}\n", "anchor &b is not allowed"),
        ("- !!python/object/apply:os.system [ls]\n", "could not determine a constructor"),
        ("a: [1, 2\n", "invalid YAML"),
        ("{[1]: 2}\n", "unhashable"),
    ],
)
def test_yaml_that_is_not_plain_data_is_refused(text: str, words: str) -> None:
    problems: list[Problem] = []
    assert parse_yaml(text, "f.yaml", problems) is None
    assert words in problems[0].message and problems[0].file == "f.yaml"


def test_compatibility_digits_are_normalised_in_keys() -> None:
    assert parse_period("２０２３") == "2023" and parse_period("２０２３-ｑ１") == "2023-Q1"
    assert parse_period("٢٠٢٣") is None and parse_period("2023\x00") is None
    assert parse_vintage("２０２４-０１-０２").isoformat() == "2024-01-02T00:00:00"


DUE = """\
- id: {id}
  name: {{kk: {id}, ru: {id}, en: {id}}}
  unit: NUMBER
  source: gapminder
  periodicity: {periodicity}
  due: {due}
"""


def test_a_release_lag_is_read_in_its_canonical_form(folder: Path) -> None:
    (folder / "indicators" / "due.yaml").write_text(DUE.format(id="Q", periodicity="quarterly", due="p2m"), "utf-8")
    indicator = load_framework(folder, include_default=False).indicators["Q"]
    assert indicator.due == "P2M"


@pytest.mark.parametrize(
    ("periodicity", "due", "words"),
    [
        ("annual", "9 months", "lag '9 months': expected an ISO 8601 duration such as P9M"),
        ("annual", "P", "lag 'P': expected an ISO 8601 duration"),
        ("irregular", "P1M", "an irregular indicator has no release calendar"),
    ],
)
def test_a_broken_release_lag_is_refused_naming_the_indicator(
    folder: Path, periodicity: str, due: str, words: str
) -> None:
    text = DUE.format(id="A", periodicity=periodicity, due=due)
    (folder / "indicators" / "due.yaml").write_text(text, encoding="utf-8")
    (p,) = _refused(folder).problems
    assert p.file.endswith("due.yaml") and words in p.message, str(p)
