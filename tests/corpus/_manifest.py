"""Cases of manifests (YAML lists of files to load): one bad file refuses them all, bad entries, bad YAML.

The manifest lists the Open SDG 17-8-1 and seed 000 samples with the options the bundled manifest gives
them; its pristine load is the reference of the SDMX family too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ._model import Case, Expectation, LoadCall, Loads, Refused
from ._sdmx import REFERENCE, SDMX_SOURCES
from ._sources import tables

__all__ = ["MANIFEST_FAMILY", "manifest_cases"]

MANIFEST_FAMILY = "manifest"
NAME = "loads.yaml"
ALIAS_BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 10)}]\n" for k in range(8)
)


def _entries(folder: Path, bad: str | None = None) -> list[dict[str, Any]]:
    """The samples written under ``folder``; ``bad`` (a sample key) gets an unknown geography in its last row."""
    entries = []
    for key in SDMX_SOURCES:
        t = tables()[key]
        if key == bad:
            rows = [list(r) for r in t.rows]
            rows[-1][t.col(str(t.roles.geo))] = "ZZZ"
            t = t.with_rows(rows)
        (folder / t.name).write_bytes(t.csv())
        entries.append({"file": t.name, **t.options})
    return entries


Build = Callable[[Path], str]


def _manifest(change: Callable[[list[dict[str, Any]]], Any] = lambda e: e, bad: str | None = None) -> Build:
    def build(folder: Path) -> str:
        entries = _entries(folder, bad)
        data = change(entries)
        return yaml.safe_dump(data if not isinstance(data, list) else {"loads": data}, allow_unicode=True)

    return build


def _text(text: str) -> Build:
    def build(folder: Path) -> str:
        _entries(folder)
        return text

    return build


def _set(k: int, key: str, value: Any) -> Callable[[list[dict[str, Any]]], Any]:
    def change(entries: list[dict[str, Any]]) -> Any:
        if value is None:
            entries[k].pop(key)
        else:
            entries[k][key] = value
        return entries

    return change


def _duplicate_file_key(folder: Path) -> str:
    entries = _entries(folder)
    text = yaml.safe_dump({"loads": entries}, allow_unicode=True, sort_keys=False)
    return text.replace(
        f"- file: {entries[0]['file']}\n", f"- file: {entries[0]['file']}\n  file: {entries[1]['file']}\n", 1
    )


_FIRST, _SECOND = (tables()[k].name for k in SDMX_SOURCES)
_MUTATIONS: tuple[tuple[str, Build, Expectation, dict[str, Any]], ...] = (
    ("pristine", _manifest(), Loads(reference=REFERENCE), {}),
    ("first-file-bad", _manifest(bad=SDMX_SOURCES[0]), Refused("LoadError", names=(_FIRST, "ZZZ")), {}),
    ("second-file-bad", _manifest(bad=SDMX_SOURCES[1]), Refused("LoadError", names=(_SECOND, "ZZZ")), {}),
    (
        "missing-file",
        _manifest(lambda e: [*e, {**e[0], "file": "gone.csv"}]),
        Refused("LoadError", names=("gone.csv",)),
        {},
    ),
    ("lists-itself", _manifest(lambda e: [*e, {**e[0], "file": NAME}]), Refused("LoadError", names=("manifest",)), {}),
    (
        "path-outside-folder",
        _manifest(lambda e: [*e, {**e[0], "file": "../../../../../../etc/passwd"}]),
        Refused("LoadError", names=("passwd",)),
        {},
    ),
    ("entry-unknown-field", _manifest(_set(0, "colour", "red")), Refused("LoadError", field="loads[0].colour"), {}),
    (
        "entry-vintage-february-30",
        _manifest(_set(1, "vintage", "2024-02-30")),
        Refused("LoadError", field="loads[1].vintage"),
        {},
    ),
    ("entry-without-vintage", _manifest(_set(0, "vintage", None)), Refused("LoadError", field="loads[0].vintage"), {}),
    ("entry-format-unknown", _manifest(_set(0, "format", "tidy2")), Refused("LoadError", names=("tidy2",)), {}),
    ("entry-duplicates-unknown", _manifest(_set(1, "duplicates", "maybe")), Refused("LoadError", names=("maybe",)), {}),
    ("top-level-list", _manifest(lambda e: [e]), Refused("LoadError", names=(NAME,)), {}),
    ("top-level-mapping-without-loads", _manifest(lambda e: {"files": e}), Refused("LoadError", names=(NAME,)), {}),
    ("invalid-yaml", _text("loads:\n  - file: [unclosed\n"), Refused("LoadError", names=(NAME,)), {}),
    (
        "not-utf8",
        lambda f: "# Бюро национальной статистики\n" + _manifest()(f),
        Refused("LoadError", names=(NAME,)),
        {"encoding_of_manifest": "cp1251"},
    ),
    ("alias-bomb", _text(ALIAS_BOMB + "loads: *i\n"), Refused("LoadError", names=(NAME,)), {}),
    ("duplicate-file-key", _duplicate_file_key, Refused("LoadError", names=(NAME,)), {}),
    ("command-line-format-given", _manifest(), Refused("UsageError", names=("--format",)), {"format": "tidy"}),
    ("command-line-vintage-given", _manifest(), Refused("UsageError", names=("--vintage",)), {"vintage": "2024-01-01"}),
)
_ISOLATED = {"alias-bomb": (1 << 30, 20.0)}


def _case(name: str, build: Build, expect: Expectation, options: dict[str, Any]) -> Case:
    opts = {k: v for k, v in options.items() if k != "encoding_of_manifest"}
    encoding = options.get("encoding_of_manifest", "utf-8")

    def make(folder: Path) -> LoadCall:
        path = folder / NAME
        path.write_bytes(build(folder).encode(encoding))
        return LoadCall(path, opts)

    memory, seconds = _ISOLATED.get(name, (None, 10.0))
    return Case(f"{MANIFEST_FAMILY}/{name}", make, expect, isolate=memory, seconds=seconds)


def manifest_cases() -> list[Case]:
    """Every manifest case."""
    return [_case(*m) for m in _MUTATIONS]
