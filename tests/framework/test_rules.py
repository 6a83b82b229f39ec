"""Declared validation rules: the language, the checks that refuse a rule file (with file and line), the bundle."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sandyq.errors import FrameworkError
from sandyq.framework import (
    ExpressionError,
    Framework,
    Over,
    Tolerance,
    load_framework,
    parse_expression,
    references,
)
from sandyq.outputs.cli import app

RULE = """\
# a comment line, so that rules do not start on line 1
- id: {id}
  left: {left}
  operator: "{op}"
  right: {right}
  text: {{kk: a, ru: b, en: c}}
"""


def _folder(tmp_path: Path, *rules: str) -> Path:
    folder = tmp_path / "fw"
    (folder / "rules").mkdir(parents=True)
    (folder / "rules" / "mine.yaml").write_text("".join(rules), encoding="utf-8")
    return folder


def _problems(folder: Path) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        load_framework(folder)
    return [str(p) for p in caught.value.problems]


def test_the_language_reads_indicators_functions_and_dimensions() -> None:
    node = parse_expression("weighted([ITU.IDI.P1]: 0.5, [ITU.IDI.P2]: 0.5) - max([17-8-1] over regions) / 100")
    assert references(node) == ["ITU.IDI.P1", "ITU.IDI.P2", "17-8-1"]
    assert parse_expression("mean(X over sex)") == Over("mean", "X", "sex")
    for bad, where in (("mean(A,", "character 8"), ("__import__('os')", "unexpected"), ("eval(A)", "unknown function")):
        with pytest.raises(ExpressionError, match=where):
            parse_expression(bad)


def test_tolerances() -> None:
    assert Tolerance().rounding() and not Tolerance(absolute=0.1).rounding()
    assert Tolerance(relative=0.01).allowed(200.0, 190.0, 0) == pytest.approx(2.0)
    assert Tolerance(absolute=0.001, printed=True).allowed(0.5, 0.5, 2) == pytest.approx(0.005)


def test_bundled_rules_load(framework: Framework) -> None:
    rule = framework.rules["egdi-mean-of-components"]
    assert rule.indicators() == ["EGDI", "EGDI.OSI", "EGDI.HCI", "EGDI.TII"]
    assert rule.scope.first_year == 2014 and framework.rule_origins[rule.id].line == 8
    assert all(r.text.kk and r.text.ru and r.text.en for r in framework.rules.values())


def test_unknown_indicator_is_refused_with_file_and_line(tmp_path: Path) -> None:
    ok = RULE.format(id="ok", left="EGDI", op="<=", right="1")
    bad = RULE.format(id="bad", left="EGDI", op="==", right="mean(EGDI.OSI, EGDI.NOPE)").replace("# a comment\n", "")
    problems = _problems(_folder(tmp_path, ok, bad.split("\n", 1)[1]))
    assert problems == [f"{tmp_path}/fw/rules/mine.yaml, at right, row 10: rule 'bad': unknown indicator 'EGDI.NOPE'"]


def test_a_cycle_of_definitions_is_refused(tmp_path: Path) -> None:
    a = RULE.format(id="a", left="EGDI.OSI", op="==", right="3 * EGDI - EGDI.HCI - EGDI.TII")
    b = RULE.format(id="b", left="EGDI", op="==", right="mean(EGDI.OSI, EGDI.HCI, EGDI.TII)").split("\n", 1)[1]
    problems = _problems(_folder(tmp_path, a, b))
    assert len(problems) == 1
    assert "row 10: rule 'b': definitions form a cycle (EGDI → EGDI.OSI → EGDI)" in problems[0]
    self_defined = RULE.format(id="self", left="EGDI", op="==", right="EGDI + 0")
    assert "cycle (EGDI → EGDI)" in _problems(_folder(tmp_path / "x", self_defined))[0]


def test_type_errors_are_refused(tmp_path: Path) -> None:
    rules = (
        RULE.format(id="units", left="EGDI", op="==", right="mean(EGDI.OSI, EGDI.RANK)"),
        RULE.format(id="sides", left="EGDI.RANK", op="<=", right="EGDI"),
        RULE.format(id="shares", left='"[17-8-1]"', op="==", right="sum([17-8-1] over regions)"),
        RULE.format(id="syntax", left="EGDI", op="==", right="mean(EGDI.OSI EGDI.HCI)"),
    )
    problems = "\n".join(_problems(_folder(tmp_path, *(r.split("\n", 1)[1] for r in rules))))
    assert "rule 'units': mean combines values in different units (INDEX_0_1 and RANK)" in problems
    assert "rule 'sides': the left side is in RANK and the right side in INDEX_0_1" in problems
    assert "rule 'shares': sum(17-8-1 over regions) adds values in unit PT, which do not add up" in problems
    assert "rule 'syntax': expected ')' at character 15" in problems
    assert "row 14: rule 'shares'" in problems  # the third rule starts on line 11, its right side on line 14
    assert "cycle" not in problems  # a country as the sum of its regions reads other keys: not a cycle


def test_validate_refuses_a_bad_rule_file_naming_file_and_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path, RULE.format(id="bad", left="EGDI", op="==", right="mean(OSI, HCI)"))
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code != 0
    flat = " ".join(result.output.split())
    assert "mine.yaml" in flat and "row 5" in flat and "unknown indicator 'OSI'" in flat  # the line of `right:`
