"""Cases of Open SDG data folders: YAML bombs and broken metadata, odd file names, bad cells, bad options.

Each case starts from a small copy of the real Open SDG folder kept with the tests
(``tests/ingest/fixtures/open-sdg``, Kazakhstan's platform): the same metadata and translations, and a
seeded sample of the rows of each indicator file.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ._model import Case, Either, Expectation, LoadCall, Loads, Refused
from ._sources import rng

__all__ = ["OPEN_SDG_FAMILY", "REFERENCE", "open_sdg_cases", "open_sdg_reference"]

OPEN_SDG_FAMILY = "open-sdg"
REFERENCE = "open-sdg"
FIXTURE = Path(__file__).resolve().parent.parent / "ingest" / "fixtures" / "open-sdg"
OPTIONS = {"source": "kz-sdg", "vintage": "2024-10-24"}
ROWS = 12
#: A 300-byte YAML whose aliases expand to 10⁹ strings (the "billion laughs").
ALIAS_BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 10)}]\n" for k in range(8)
)


@functools.cache
def _data() -> dict[str, tuple[list[str], list[list[str]]]]:
    """A seeded sample of ``ROWS`` rows of each indicator file of the fixture, by file name."""
    out = {}
    for path in sorted((FIXTURE / "data").glob("indicator_*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        body = rows[1:]
        picked = sorted(rng("open-sdg", path.name).sample(range(len(body)), ROWS))
        out[path.name] = (rows[0], [body[i] for i in picked])
    return out


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue()


def mini(folder: Path) -> Path:
    """The pristine small Open SDG folder, written under ``folder``."""
    root = folder / "open-sdg"
    shutil.copytree(FIXTURE / "meta", root / "meta")
    shutil.copytree(FIXTURE / "translations", root / "translations")
    (root / "data").mkdir()
    for name, (header, rows) in _data().items():
        (root / "data" / name).write_text(_csv(header, rows), encoding="utf-8")
    return root


def open_sdg_reference(folder: Path) -> LoadCall:
    """The pristine folder, loaded as the command line would (``--source kz-sdg``)."""
    return LoadCall(mini(folder), dict(OPTIONS))


Change = Callable[[Path], None]


def _write(relative: str, text: str | bytes) -> Change:
    def change(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    return change


def _rename(old: str, new: str) -> Change:
    def change(root: Path) -> None:
        (root / old).rename(root / new)

    return change


def _cell(file: str, column: str, value: Callable[[str], str], index: int = 3) -> Change:
    """Data row ``index`` of ``file``: ``column`` changed by ``value``."""

    def change(root: Path) -> None:
        header, rows = _data()[file]
        rows = [list(r) for r in rows]
        rows[index][header.index(column)] = value(rows[index][header.index(column)])
        (root / "data" / file).write_text(_csv(header, rows), encoding="utf-8")

    return change


def _truncate_row(file: str, index: int) -> Change:
    def change(root: Path) -> None:
        header, rows = _data()[file]
        rows = [list(r) for r in rows]
        rows[index] = rows[index][:2]
        (root / "data" / file).write_text(_csv(header, rows), encoding="utf-8")

    return change


def _remove(relative: str) -> Change:
    def change(root: Path) -> None:
        path = root / relative
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()

    return change


def _both(*changes: Change) -> Change:
    def change(root: Path) -> None:
        for c in changes:
            c(root)

    return change


def _symlink(relative: str, target: str) -> Change:
    return lambda root: os.symlink(target, root / relative)


def _mkdir(relative: str) -> Change:
    return lambda root: (root / relative).mkdir(parents=True)


def _refused(*names: str, row: int | None = None, column: tuple[str, ...] = (), error: str = "LoadError") -> Refused:
    return Refused(error, names=names, row=row, column=column)


_SAME = Loads(reference=REFERENCE)
_17 = "indicator_17-8-1.csv"
_5B = "indicator_5-b-1.csv"
_4A = "indicator_4-a-1.csv"
_FULLWIDTH = {ord(d): ord(d) + 0xFEE0 for d in "0123456789"}
_MUTATIONS: tuple[tuple[str, Change, Expectation, dict[str, object]], ...] = (
    ("pristine", lambda root: None, _SAME, {}),
    ("alias-bomb-translation", _write("translations/en/SEX.yml", ALIAS_BOMB), _refused("SEX.yml"), {}),
    ("alias-bomb-meta", _write("meta/4-a-1.yml", ALIAS_BOMB + "indicator_name: *i\n"), _refused("4-a-1.yml"), {}),
    ("alias-bomb-meta-unused", _write("meta/4-a-1.yml", ALIAS_BOMB), Either(_refused("4-a-1.yml"), _SAME), {}),
    (
        "alias-harmless-translation",
        _write("translations/en/SEX.yml", "F: &f Female\nM: Male\n_T: *f\nSEX: Sex\n"),
        Either(_refused("SEX.yml"), _SAME),
        {},
    ),
    ("meta-invalid-yaml", _write("meta/4-a-1.yml", "indicator_name: [unclosed\nunit: PT\n"), _refused("4-a-1.yml"), {}),
    ("meta-a-list", _write("meta/4-a-1.yml", "- one\n- two\n"), _refused("4-a-1.yml"), {}),
    ("meta-a-scalar", _write("meta/4-a-1.yml", "just some text\n"), _refused("4-a-1.yml"), {}),
    (
        "meta-not-utf8",
        _write("meta/4-a-1.yml", "indicator_name: Доля школ\n".encode("cp1251")),
        _refused("4-a-1.yml"),
        {},
    ),
    ("meta-tab-indented", _write("meta/4-a-1.yml", "indicator_name:\n\t- x\n"), _refused("4-a-1.yml"), {}),
    (
        "meta-python-tag",
        _write("meta/4-a-1.yml", "indicator_name: !!python/object/apply:os.system ['true']\n"),
        _refused("4-a-1.yml"),
        {},
    ),
    ("meta-removed", _remove("meta/4-a-1.yml"), _SAME, {}),
    (
        "meta-front-matter-broken",
        _both(_remove("meta/4-a-1.yml"), _write("meta/4-a-1.md", "---\nindicator_name: [x\n---\nText\n")),
        _refused("4-a-1.md"),
        {},
    ),
    ("meta-64-mb", _write("meta/4-a-1.yml", "# " + "x" * (64 << 20) + "\nunit: PT\n"), _refused("4-a-1.yml"), {}),
    ("translation-invalid-yaml", _write("translations/ru/SEX.yml", "F: 'unclosed\n"), _refused("SEX.yml"), {}),
    ("translation-a-list", _write("translations/kk/SEX.yml", "- F\n- M\n"), _refused("SEX.yml"), {}),
    ("data-name-with-spaces", _rename(f"data/{_4A}", "data/indicator_4 a 1.csv"), _refused("indicator_4 a 1.csv"), {}),
    (
        "data-name-trailing-space",
        _rename(f"data/{_4A}", "data/indicator_4-a-1 .csv"),
        _refused("indicator_4-a-1 .csv"),
        {},
    ),
    ("data-name-empty-id", _write("data/indicator_.csv", "Year,Value\n2020,1\n"), _refused("indicator_.csv"), {}),
    (
        "data-name-fullwidth-id",
        _rename(f"data/{_4A}", "data/indicator_４-a-１.csv"),
        Either(_refused("indicator_４-a-１.csv"), _SAME),
        {},
    ),
    ("data-name-is-a-folder", _mkdir("data/indicator_9-9-9.csv"), _refused("indicator_9-9-9.csv"), {}),
    (
        "data-name-broken-symlink",
        _symlink("data/indicator_1-1-1.csv", "nowhere.csv"),
        _refused("indicator_1-1-1.csv"),
        {},
    ),
    ("symlink-loop", _symlink("data/loop", ".."), _SAME, {}),
    (
        "data-period-fullwidth",
        _cell(_17, "Year", lambda c: c.translate(_FULLWIDTH)),
        Either(_refused(_17, row=5, column=("Year", "TIME_PERIOD")), _SAME),
        {},
    ),
    (
        "data-value-1e308",
        _cell(_5B, "Value", lambda c: "1e308"),
        _refused(_5B, row=5, column=("Value", "OBS_VALUE")),
        {},
    ),
    (
        "data-value-nul",
        _cell(_5B, "Value", lambda c: c + "\x00"),
        _refused(_5B, row=5, column=("Value", "OBS_VALUE")),
        {},
    ),
    ("data-dims-semicolon", _cell(_17, "SEX", lambda c: "F;sex=M"), _refused(_17, row=5, column=("SEX",)), {}),
    ("data-dims-control", _cell(_5B, "SEX", lambda c: "F\x1b[0m"), _refused(_5B, row=5, column=("SEX",)), {}),
    ("data-region-unknown", _cell(_17, "REF_AREA", lambda c: "KZXXX"), _refused(_17, row=5, column=("REF_AREA",)), {}),
    ("data-row-truncated", _truncate_row(_17, 6), _refused(_17, row=8), {}),
    ("data-not-utf8", _write(f"data/{_17}", "Year,SEX,Value\n2020,Женщины,1\n".encode("cp1251")), _refused(_17), {}),
    ("data-unit-unknown", _cell(_4A, "UNIT_MEASURE", lambda c: "FURLONG", index=0), _refused("FURLONG"), {}),
    ("no-data-files", _remove("data"), _refused("open-sdg"), {}),
    ("option-source-missing", lambda root: None, _refused("--source", error="UsageError"), {"source": None}),
    ("option-source-unknown", lambda root: None, _refused("no-such-source"), {"source": "no-such-source"}),
    ("option-default-geo-unknown", lambda root: None, _refused("XX"), {"default_geo": "XX"}),
    ("option-vintage-bad", lambda root: None, _refused("2024-13-01", error="SandyqError"), {"vintage": "2024-13-01"}),
)
_ISOLATED = {
    "alias-bomb-translation": (1 << 30, 20.0),
    "alias-bomb-meta": (1 << 30, 20.0),
    "alias-bomb-meta-unused": (1 << 30, 20.0),
    "meta-64-mb": (1 << 30, 30.0),
}


def _case(name: str, change: Change, expect: Expectation, options: dict[str, object]) -> Case:
    opts = {k: v for k, v in {**OPTIONS, **options}.items() if v is not None}

    def make(folder: Path) -> LoadCall:
        root = mini(folder)
        change(root)
        return LoadCall(root, opts)

    memory, seconds = _ISOLATED.get(name, (None, 10.0))
    return Case(f"{OPEN_SDG_FAMILY}/{name}", make, expect, isolate=memory, seconds=seconds)


def open_sdg_cases() -> list[Case]:
    """Every Open SDG case."""
    return [_case(*m) for m in _MUTATIONS]
