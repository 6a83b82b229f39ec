"""Cases of framework YAML folders: duplicate keys, formula cycles, NaN/inf numbers, unknown references, bombs.

Each case starts from a small framework made of the bundled one: three real sources, two real glossary
terms, two real indicators (17-8-1 and 5-b-1) and the Digital Kazakhstan programme cut down to one
direction, one task (the digital-literacy task, its real target, risk and event, pointed at 17-8-1) and one
fact (of Information Kazakhstan 2020).  It is validated standalone
(``load_framework(folder, include_default=False)``), except where a case says it extends the bundled framework.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ._model import Case, Expectation, FrameworkCall, Loads, Refused
from ._sources import CONTENT

__all__ = [
    "FRAMEWORK_FAMILY",
    "IND_FILE",
    "PROG_FILE",
    "duplicate_key",
    "framework_cases",
    "mini_framework",
    "write_folder",
]

FRAMEWORK_FAMILY = "framework"
FW = CONTENT / "framework"
SOURCES = ("seed-000", "seed-004", "kz-sdg", "kz-bns-survey")
TERMS = ("digital-economy", "wireless-technology")
INDICATORS = ("17-8-1", "5-b-1")
IND_FILE = "indicators/mini.yaml"
PROG_FILE = "programmes/mini.yaml"
ALIAS_BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 10)}]\n" for k in range(8)
)


def _load(relative: str) -> Any:
    return yaml.safe_load((FW / relative).read_text(encoding="utf-8"))


def _cite(node: Any) -> Any:
    """Citations of sources outside the mini framework re-pointed at seed-004 (what the seed articles say)."""
    if isinstance(node, dict):
        out = {k: _cite(v) for k, v in node.items()}
        if "source" in out and "passage" in out and out["source"] not in SOURCES:
            out["source"] = "seed-004"
        return out
    if isinstance(node, list):
        return [_cite(v) for v in node]
    return node


@functools.cache
def mini_framework() -> dict[str, Any]:
    """The mini framework as YAML data, by file (relative to its folder)."""
    sources = [s for s in _load("sources.yaml") if s["id"] in SOURCES]
    terms = [t for t in _load("glossary.yaml") if t["id"] in TERMS]
    indicators = [i for i in _load("indicators/kz_sdg.yaml") if i["id"] in INDICATORS]
    prog = _load("programmes/digital-kazakhstan.yaml")
    task = next(t for d in prog["directions"] for t in d["tasks"] if t["id"] == "digital-literacy")
    task = {**task, "indicators": list(INDICATORS)}
    task["targets"] = [{**task["targets"][0], "indicator": "17-8-1"}]
    task["risks"] = [{**task["risks"][0], "indicators": ["17-8-1"]}]
    task["events"] = task["events"][:1]
    direction = next(d for d in prog["directions"] if any(t["id"] == "digital-literacy" for t in d["tasks"]))
    facts = _load("programmes/information-kazakhstan-2020.yaml")["facts"][:1]
    prog = {**prog, "directions": [{**direction, "tasks": [task]}], "facts": facts}
    return {
        "sources.yaml": sources,
        "glossary.yaml": terms,
        IND_FILE: indicators,
        PROG_FILE: _cite(prog),
    }


def _ids(data: dict[str, Any]) -> tuple[str, ...]:
    return (
        *(f"programme:{data[PROG_FILE]['id']}",),
        *(f"indicator:{i['id']}" for i in data[IND_FILE]),
        *(f"source:{s['id']}" for s in data["sources.yaml"]),
        *(f"glossary:{t['id']}" for t in data["glossary.yaml"]),
    )


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def write_folder(folder: Path, data: dict[str, Any], texts: dict[str, str | bytes] | None = None) -> Path:
    """The framework folder of ``data`` (files replaced by ``texts`` where given)."""
    root = folder / "framework"
    for relative, body in data.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dump(body), encoding="utf-8")
    for relative, text in (texts or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


Edit = Callable[[dict[str, Any]], None]


def _target(data: dict[str, Any]) -> dict[str, Any]:
    target: dict[str, Any] = data[PROG_FILE]["directions"][0]["tasks"][0]["targets"][0]
    return target


def _task(data: dict[str, Any]) -> dict[str, Any]:
    task: dict[str, Any] = data[PROG_FILE]["directions"][0]["tasks"][0]
    return task


TARGET = "directions[0].tasks[0].targets[0]"


def _set_target(key: str, value: Any) -> Edit:
    return lambda d: _target(d).__setitem__(key, value)


def _indicator(k: int, key: str, value: Any) -> Edit:
    return lambda d: d[IND_FILE][k].__setitem__(key, value)


def _formulas(*pairs: tuple[str, str, str]) -> Edit:
    """Indicators defined by formulas (id, numerator, denominator), added to the mini framework."""

    def edit(d: dict[str, Any]) -> None:
        for ind_id, num, den in pairs:
            body = copy.deepcopy(d[IND_FILE][0])
            body.update(id=ind_id, formula={"numerator": num, "denominator": den, "factor": 2})
            d[IND_FILE].append(body)

    return edit


def _bomb_list() -> str:
    """A first list item holding the anchors of a billion laughs (``*i`` expands to 10⁹ strings)."""
    levels = ["&a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"&{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 10)}]" for k in range(8)]
    return "- [" + ", ".join(levels) + "]\n"


def _infinite_factor(d: dict[str, Any]) -> None:
    """A derived indicator whose formula's factor is infinite."""
    _formulas(("derived.x", "17-8-1", "5-b-1"))(d)
    d[IND_FILE][-1]["formula"]["factor"] = math.inf


def _refused(file: str, *, field: str | None = None, row: int | None = None, names: tuple[str, ...] = ()) -> Refused:
    return Refused("FrameworkError", names=(Path(file).name, *names), field=field, row=row)


def _text_edit(relative: str, change: Callable[[str], str]) -> Callable[[dict[str, Any]], dict[str, str | bytes]]:
    return lambda d: {relative: change(_dump(d[relative]))}


def duplicate_key(relative: str, anchor: str, extra: str) -> Callable[[dict[str, Any]], dict[str, str | bytes]]:
    """``extra`` inserted on the line after the first line starting with ``anchor`` (same indentation)."""

    def texts(d: dict[str, Any]) -> dict[str, str | bytes]:
        lines = _dump(d[relative]).split("\n")
        k = next(i for i, line in enumerate(lines) if line.lstrip().startswith(anchor))
        indent = len(lines[k]) - len(lines[k].lstrip())
        if lines[k].lstrip().startswith("- "):
            indent += 2
        lines.insert(k + 1, " " * indent + extra)
        return {relative: "\n".join(lines)}

    return texts


def _duplicate_line(relative: str, anchor: str, extra: str) -> int:
    """The file line (1-based) the duplicate key of :func:`_duplicate_key` lands on."""
    lines = _dump(mini_framework()[relative]).split("\n")
    return next(i for i, line in enumerate(lines) if line.lstrip().startswith(anchor)) + 2


_NAN, _INF = math.nan, math.inf
#: The mini framework's one target value line, as its YAML is written (the bundled content decides the value).
_TARGET_VALUE = (
    "value: " + _dump(mini_framework()[PROG_FILE]["directions"][0]["tasks"][0]["targets"][0]["value"]).split("\n")[0]
)
_SAME = Loads(ids=_ids(mini_framework()))
# (name, data edit, text edit, expectation, include the bundled framework)
_Spec = tuple[str, Edit | None, Callable[[dict[str, Any]], dict[str, str | bytes]] | None, Expectation]
_MUTATIONS: tuple[_Spec, ...] = (
    ("pristine", None, None, _SAME),
    (
        "duplicate-key-indicator-unit",
        None,
        duplicate_key(IND_FILE, "unit:", "unit: PER_100"),
        _refused(IND_FILE, row=_duplicate_line(IND_FILE, "unit:", "")),
    ),
    (
        "duplicate-key-same-value",
        None,
        duplicate_key(IND_FILE, "polarity:", "polarity: higher"),
        _refused(IND_FILE, row=_duplicate_line(IND_FILE, "polarity:", "")),
    ),
    (
        "duplicate-key-target-value",
        None,
        duplicate_key(PROG_FILE, _TARGET_VALUE, "value: 99"),
        _refused(PROG_FILE, row=_duplicate_line(PROG_FILE, _TARGET_VALUE, "")),
    ),
    (
        "duplicate-key-programme-id",
        None,
        duplicate_key(PROG_FILE, "id: digital-kazakhstan", "id: another-programme"),
        _refused(PROG_FILE, row=_duplicate_line(PROG_FILE, "id: digital-kazakhstan", "")),
    ),
    (
        "duplicate-key-source-id",
        None,
        duplicate_key("sources.yaml", "- id:", "id: another-source"),
        _refused("sources.yaml", row=_duplicate_line("sources.yaml", "- id:", "")),
    ),
    (
        "formula-cycle-two",
        _formulas(("cyc.a", "cyc.b", "17-8-1"), ("cyc.b", "cyc.a", "5-b-1")),
        None,
        _refused(IND_FILE, names=("cyc.a",)),
    ),
    (
        "formula-cycle-three",
        _formulas(("cyc.a", "cyc.b", "17-8-1"), ("cyc.b", "cyc.c", "17-8-1"), ("cyc.c", "cyc.a", "17-8-1")),
        None,
        _refused(IND_FILE, names=("cyc.a",)),
    ),
    (
        "formula-self-reference",
        _formulas(("cyc.self", "cyc.self", "17-8-1")),
        None,
        _refused(IND_FILE, names=("cyc.self",)),
    ),
    ("formula-denominator-cycle", _formulas(("cyc.a", "17-8-1", "cyc.a")), None, _refused(IND_FILE, names=("cyc.a",))),
    (
        "formula-unknown-input",
        _formulas(("derived.x", "nope.numerator", "17-8-1")),
        None,
        _refused(IND_FILE, field="formula.numerator"),
    ),
    (
        "formula-factor-infinite",
        _infinite_factor,
        None,
        _refused(IND_FILE, field="formula.factor"),
    ),
    ("target-value-nan", _set_target("value", _NAN), None, _refused(PROG_FILE, field=f"{TARGET}.value")),
    ("target-value-inf", _set_target("value", _INF), None, _refused(PROG_FILE, field=f"{TARGET}.value")),
    ("target-value-minus-inf", _set_target("value", -_INF), None, _refused(PROG_FILE, field=f"{TARGET}.value")),
    ("target-value-1e999-text", _set_target("value", "1e999"), None, _refused(PROG_FILE, field=f"{TARGET}.value")),
    ("target-value-words", _set_target("value", "about fifty"), None, _refused(PROG_FILE, field=f"{TARGET}.value")),
    (
        "target-milestone-nan",
        _set_target("milestones", [{"year": 2017, "value": _NAN}]),
        None,
        _refused(PROG_FILE, field=f"{TARGET}.milestones[0].value"),
    ),
    (
        "target-baseline-inf",
        _set_target("baseline", {"year": 2017, "value": _INF}),
        None,
        _refused(PROG_FILE, field=f"{TARGET}.baseline.value"),
    ),
    (
        "fact-value-nan",
        lambda d: d[PROG_FILE]["facts"][0].__setitem__("value", _NAN),
        None,
        _refused(PROG_FILE, field="facts[0].value"),
    ),
    ("target-year-words", _set_target("year", "twenty"), None, _refused(PROG_FILE, field=f"{TARGET}.year")),
    ("target-year-2200", _set_target("year", 2200), None, _refused(PROG_FILE, field=f"{TARGET}.year")),
    (
        "target-milestones-unordered",
        _set_target("milestones", [{"year": 2018, "value": 1}, {"year": 2017, "value": 2}]),
        None,
        _refused(PROG_FILE, field=f"{TARGET}"),
    ),
    (
        "target-unknown-indicator",
        _set_target("indicator", "no.such.indicator"),
        None,
        _refused(PROG_FILE, field=f"{TARGET}.indicator"),
    ),
    ("target-unknown-geo", _set_target("geo", "XX"), None, _refused(PROG_FILE, field=f"{TARGET}.geo")),
    (
        "target-unknown-citation-source",
        lambda d: _target(d)["citation"].__setitem__("source", "nope"),
        None,
        _refused(PROG_FILE, field=f"{TARGET}.citation.source"),
    ),
    ("target-kind-unknown", _set_target("kind", "vibes"), None, _refused(PROG_FILE, field=f"{TARGET}.kind")),
    (
        "target-duplicate-id",
        lambda d: _task(d)["targets"].append(copy.deepcopy(_target(d))),
        None,
        _refused(PROG_FILE, field="targets[1].id"),
    ),
    (
        "task-unknown-indicator",
        lambda d: _task(d)["indicators"].append("no.such.indicator"),
        None,
        _refused(PROG_FILE, field="directions[0].tasks[0].indicators[2]"),
    ),
    (
        "risk-unknown-indicator",
        lambda d: _task(d)["risks"][0].__setitem__("indicators", ["nope"]),
        None,
        _refused(PROG_FILE, field="risks[0].indicators[0]"),
    ),
    (
        "programme-ends-before-start",
        lambda d: d[PROG_FILE].__setitem__("end", 2001),
        None,
        _refused(PROG_FILE, names=("2001",)),
    ),
    (
        "programme-id-with-spaces",
        lambda d: d[PROG_FILE].__setitem__("id", "digital kazakhstan"),
        None,
        _refused(PROG_FILE, field="id"),
    ),
    (
        "programme-extra-field",
        lambda d: d[PROG_FILE].__setitem__("colour", "red"),
        None,
        _refused(PROG_FILE, field="colour"),
    ),
    (
        "indicator-unknown-source",
        _indicator(0, "source", "no-such-source"),
        None,
        _refused(IND_FILE, field="17-8-1.source"),
    ),
    (
        "indicator-unknown-tag",
        _indicator(0, "tags", ["no-such-term"]),
        None,
        _refused(IND_FILE, field="17-8-1.tags[0]"),
    ),
    ("indicator-unknown-unit", _indicator(0, "unit", "FURLONG"), None, _refused(IND_FILE, field="[0].unit")),
    ("indicator-polarity-unknown", _indicator(0, "polarity", "up"), None, _refused(IND_FILE, field="[0].polarity")),
    ("indicator-decimals-9", _indicator(0, "decimals", 9), None, _refused(IND_FILE, field="[0].decimals")),
    (
        "indicator-name-without-english",
        lambda d: d[IND_FILE][0]["name"].pop("en"),
        None,
        _refused(IND_FILE, field="[0].name.en"),
    ),
    ("indicator-id-no", _indicator(1, "id", False), None, _refused(IND_FILE, field="[1].id")),
    (
        "indicator-duplicate-id",
        lambda d: d[IND_FILE].append(copy.deepcopy(d[IND_FILE][0])),
        None,
        _refused(IND_FILE, names=("17-8-1",)),
    ),
    (
        "source-duplicate-id",
        lambda d: d["sources.yaml"].append(copy.deepcopy(d["sources.yaml"][0])),
        None,
        _refused("sources.yaml", names=("seed-000",)),
    ),
    (
        "glossary-unknown-citation-source",
        lambda d: d["glossary.yaml"][0]["citation"].__setitem__("source", "nope"),
        None,
        _refused("glossary.yaml", field="citation.source"),
    ),
    (
        "yaml-tab-indentation",
        None,
        _text_edit(IND_FILE, lambda t: t.replace("\n  unit:", "\n\tunit:", 1)),
        _refused(IND_FILE),
    ),
    (
        "yaml-unclosed-quote",
        None,
        _text_edit(IND_FILE, lambda t: t.replace("unit: PT", "unit: 'PT", 1)),
        _refused(IND_FILE),
    ),
    (
        "yaml-unclosed-bracket",
        None,
        _text_edit(PROG_FILE, lambda t: t.replace("indicators:\n", "indicators: [\n", 1)),
        _refused(PROG_FILE),
    ),
    (
        "yaml-python-tag",
        None,
        _text_edit(IND_FILE, lambda t: "!!python/object/apply:os.system ['true']\n" + t),
        _refused(IND_FILE),
    ),
    (
        "yaml-not-utf8",
        None,
        lambda d: {IND_FILE: _dump(d[IND_FILE]).encode("cp1251", errors="replace")},
        _refused(IND_FILE),
    ),
    ("yaml-top-level-mapping", None, lambda d: {IND_FILE: _dump({"indicators": d[IND_FILE]})}, _refused(IND_FILE)),
    ("yaml-alias-bomb", None, lambda d: {IND_FILE: ALIAS_BOMB + "list: *i\n"}, _refused(IND_FILE)),
    (
        "yaml-alias-bomb-in-tags",
        None,
        lambda d: {IND_FILE: _bomb_list() + _dump(d[IND_FILE]).replace("tags:\n  - digital-economy", "tags: *i", 1)},
        _refused(IND_FILE),
    ),
    ("yaml-64-mb", None, lambda d: {IND_FILE: "# " + "x" * (64 << 20) + "\n" + _dump(d[IND_FILE])}, _refused(IND_FILE)),
    ("yaml-bom", None, lambda d: {IND_FILE: "\ufeff" + _dump(d[IND_FILE])}, _SAME),
    ("yaml-crlf", None, lambda d: {f: _dump(d[f]).replace("\n", "\r\n") for f in d}, _SAME),
)
_ISOLATED = {
    "yaml-alias-bomb": (1 << 30, 20.0),
    "yaml-alias-bomb-in-tags": (1 << 30, 20.0),
    "yaml-64-mb": (1 << 30, 30.0),
}


def _case(spec: _Spec) -> Case:
    name, edit, texts, expect = spec

    def make(folder: Path) -> FrameworkCall:
        data = copy.deepcopy(mini_framework())
        if edit is not None:
            edit(data)
        return FrameworkCall(write_folder(folder, data, texts(data) if texts else None))

    memory, seconds = _ISOLATED.get(name, (None, 10.0))
    return Case(f"{FRAMEWORK_FAMILY}/{name}", make, expect, isolate=memory, seconds=seconds)


def _extends(name: str, edit: Edit, expect: Expectation) -> Case:
    """A folder that extends the bundled framework (``include_default=True``)."""

    def make(folder: Path) -> FrameworkCall:
        data = {IND_FILE: copy.deepcopy(mini_framework()[IND_FILE])}
        edit(data)
        return FrameworkCall(write_folder(folder, data), include_default=True)

    return Case(f"{FRAMEWORK_FAMILY}/extends-default/{name}", make, expect)


def framework_cases() -> list[Case]:
    """Every framework case."""
    return [
        *(_case(spec) for spec in _MUTATIONS),
        _extends("redefines-an-indicator", lambda d: None, _refused(IND_FILE, names=("17-8-1",))),
        _extends(
            "formula-cycle-with-default",
            lambda d: d.__setitem__(
                IND_FILE,
                [{**d[IND_FILE][0], "id": "cyc.x", "formula": {"numerator": "cyc.x", "denominator": "SP.POP.TOTL"}}],
            ),
            _refused(IND_FILE, names=("cyc.x",)),
        ),
    ]
