"""Import an Open SDG data folder (Kazakhstan's SDG platform and its peers).

An Open SDG data repository holds::

    data/indicator_<id>.csv        one tidy CSV per indicator: Year, disaggregations…, Value
    meta/<id>.yml                  indicator metadata (values are text or translation keys)
    translations/<lang>/<group>.yml  flat mappings: global_indicators.yml has "<id>-title",
                                   REF_AREA.yml, SEX.yml, UNIT_MEASURE.yml… label codes

A blank disaggregation cell means the total, a blank ``REF_AREA`` the whole
country; region codes are the platform's own (``KZNS``) and are mapped through
the geography's ``sdg`` crosswalk to ISO 3166-2:KZ (``KZ-71``).  Units are
mapped from the platform's codes to sandyq's (``UNITS`` → ``NUMBER``).

Every file is validated exactly like a tidy file (:func:`~sandyq.ingest._validate.check`).
Indicators the framework does not know get metadata from ``meta/`` and
``translations/``: names in Kazakh, Russian and English, definition, unit; the
bundled framework's own metadata always wins.  :func:`read_open_sdg` returns
the whole folder as **one batch** (written as one atomic load): if any file has
a problem, the folder is refused, so nothing from any file is loaded and no
metadata is kept.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import ValidationError

from ..errors import LoadError, Problem, refused
from ..framework import UNITS, Indicator, Text, read_yaml
from ._batch import Batch, folder_digest
from ._layouts import COL, to_long
from ._read import read_table, require_rows
from ._validate import Checked, check

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = ["OPEN_SDG_UNITS", "is_open_sdg_folder", "read_open_sdg"]

LANGUAGES = ("kk", "ru", "en")
#: Open SDG unit codes (as used by Kazakhstan's platform) → sandyq unit codes; codes sandyq has map to themselves.
OPEN_SDG_UNITS: dict[str, str] = {
    "UNITS": "NUMBER",
    "TH_PEOPLE": "TH_PERSONS",
    "M_TNG": "MN_KZT",
    "TH_TNG": "TH_KZT",
    "TNG": "KZT",
    "B_TNG": "BN_KZT",
    "bil_tenge": "BN_KZT",
    "billion_tenge": "BN_KZT",
} | {u: u for u in UNITS}
_KEY = re.compile(r"^[A-Za-z_][\w-]*\.[\w.\-]+$")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")  # an indicator id, as the framework's model allows


def is_open_sdg_folder(path: str | Path) -> bool:
    """Whether ``path`` is a folder holding Open SDG indicator files.

    >>> is_open_sdg_folder(".")
    False
    """
    p = Path(path)
    return p.is_dir() and bool(_data_files(p))


def _data_files(folder: Path) -> list[Path]:
    base = folder / "data" if (folder / "data").is_dir() else folder
    return sorted(base.glob("indicator_*.csv"))


def _translations(folder: Path, problems: list[Problem]) -> dict[str, dict[str, dict[str, str]]]:
    """``{language: {group: {key: text}}}`` from ``translations/<lang>/<group>.yml``."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for lang in LANGUAGES:
        for f in sorted((folder / "translations" / lang).glob("*.yml")):
            data = read_yaml(f, problems)
            if data is None:
                continue
            if not isinstance(data, dict):
                problems.append(Problem(str(f), "expected a mapping of keys to texts"))
                continue
            out.setdefault(lang, {})[f.stem] = {
                str(k): " ".join(str(v).split()) for k, v in data.items() if v is not None
            }
    return out


def _meta(folder: Path, ind: str, problems: list[Problem]) -> dict[str, Any]:
    for name in (f"{ind}.yml", f"{ind}.yaml", f"{ind}.md"):
        path = folder / "meta" / name
        if path.exists():
            data = read_yaml(path, problems, front_matter=name.endswith(".md"))
            if data is not None and not isinstance(data, dict):
                problems.append(Problem(str(path), "expected a mapping of metadata fields"))
                return {}
            return data or {}
    return {}


def _texts(
    candidates: list[object], tr: Mapping[str, Mapping[str, Mapping[str, str]]]
) -> tuple[dict[str, str], str | None]:
    """Per language the first candidate that is a translation key with a text, and the first literal text."""
    found: dict[str, str] = {}
    literal = None
    for c in candidates:
        if c is None or str(c).strip() == "":
            continue
        s = " ".join(str(c).split())
        if _KEY.match(s):
            group, key = s.split(".", 1)
            for lang in LANGUAGES:
                text = tr.get(lang, {}).get(group, {}).get(key)
                if text and lang not in found:
                    found[lang] = text
        elif literal is None:
            literal = s
    return found, literal


def _fill(found: dict[str, str], literal: str | None, what: str, notes: list[str]) -> Text | None:
    """A kk/ru/en text, missing languages filled (literal first, then another language) and noted."""
    if not found and literal is None:
        return None
    values = {}
    for lang in LANGUAGES:
        if lang in found:
            values[lang] = found[lang]
            continue
        fallback = literal if literal is not None else next(found[x] for x in ("en", "ru", "kk") if x in found)
        values[lang] = fallback
        notes.append(f"{what} in {lang} not in the folder; another language's text is shown")
    return Text(**values)


def _new_indicator(
    ind: str,
    meta: Mapping[str, Any],
    tr: Mapping[str, Mapping[str, Mapping[str, str]]],
    units: list[str],
    source: str,
    folder: Path,
    path: Path,
) -> tuple[Indicator | None, list[Problem]]:
    notes: list[str] = []
    name = _fill(
        *_texts(
            [
                meta.get("indicator_name"),
                f"global_indicators.{ind}-title",
                f"national_indicators.{ind}-title",
                meta.get("indicator_available"),
            ],
            tr,
        ),
        "name",
        notes,
    )
    problems = []
    if name is None:
        problems.append(
            Problem(
                str(path),
                f"indicator {ind!r} is not in the framework and the folder gives it no "
                f"name (meta/{ind}.yml indicator_name, translations global_indicators "
                f"or national_indicators '{ind}-title')",
            )
        )
    mapped = sorted({OPEN_SDG_UNITS.get(u, "") for u in units})
    if len(units) == 0:
        problems.append(
            Problem(
                str(path),
                f"indicator {ind!r} is not in the framework and its file has no UNIT_MEASURE; sandyq needs the unit",
                column="UNIT_MEASURE",
            )
        )
    elif "" in mapped:
        bad = [u for u in units if u not in OPEN_SDG_UNITS]
        labels = [tr.get("en", {}).get("UNIT_MEASURE", {}).get(u, "") for u in bad]
        problems += [
            Problem(
                str(path),
                f"unit {u!r}{f' ({lab})' if lab else ''} has no sandyq equivalent (known: {', '.join(sorted(UNITS))})",
                column="UNIT_MEASURE",
            )
            for u, lab in zip(bad, labels, strict=True)
        ]
    elif len(mapped) > 1:
        problems.append(
            Problem(
                str(path),
                f"indicator {ind!r} is published in several units ({', '.join(units)}); "
                "sandyq keeps one unit per indicator",
                column="UNIT_MEASURE",
            )
        )
    if problems or name is None:
        return None, problems
    definition = _fill(
        *_texts([meta.get("indicator_definition"), meta.get("computation_definitions")], tr), "definition", notes
    )
    unit = mapped[0]
    unit_label = tr.get("en", {}).get("UNIT_MEASURE", {}).get(units[0])
    facts = [f"Imported from the Open SDG folder {folder.name} (data/{path.name}, meta/{ind}.yml)."]
    for key, label in (
        ("un_custodian_agency", "UN custodian agency"),
        ("un_designated_tier", "UN tier"),
        ("goal_meta_link", "UN metadata"),
    ):
        if meta.get(key):
            facts.append(f"{label}: {str(meta[key]).strip()}.")
    facts.append(f"Unit in the source: {units[0]}{f' ({unit_label})' if unit_label else ''}.")
    facts += [n[0].upper() + n[1:] + "." for n in notes]
    try:
        ind_model = Indicator(
            id=ind,
            name=name,
            definition=definition,
            unit=unit,
            polarity="neutral",
            periodicity="annual",
            source=source,
            note=" ".join(facts),
        )
    except ValidationError as exc:
        return None, [Problem(str(path), f"metadata of {ind!r}: {e['msg']}", path=_loc(e["loc"])) for e in exc.errors()]
    return ind_model, []


Translations = Mapping[str, Mapping[str, Mapping[str, str]]]


def _labels(tr: Translations, groups: set[str]) -> dict[str, dict[str, dict[str, str]]]:
    out: dict[str, dict[str, dict[str, str]]] = {}
    for lang, by_group in tr.items():
        for group, entries in by_group.items():
            if group in groups:
                for code, text in entries.items():
                    out.setdefault(group, {}).setdefault(code, {})[lang] = text
    return out


def _indicator_file(path: Path, ind: str, problems: list[Problem]) -> tuple[pd.DataFrame, list[str]] | None:
    """The table of one indicator file with its units mapped, and the units as the file gives them; or problems."""
    if not _ID.fullmatch(ind):
        problems.append(
            Problem(
                str(path),
                f"the file name gives the indicator id {ind!r}, which is not an id "
                "(letters, digits, '.', '-' and '_', no spaces): rename the file indicator_<id>.csv",
            )
        )
        return None
    try:
        raw = read_table(path)
        require_rows(raw, path)
    except LoadError as exc:
        problems += exc.problems or [Problem(str(path), exc.summary)]
        return None
    if "REF_AREA" in raw.columns and "GeoCode" in raw.columns:
        raw = raw.drop(columns="GeoCode")  # a map-layer id beside the region code
    ucol = next((c for c in raw.columns if c.lower() in ("unit_measure", "units", "unit")), None)
    units: list[str] = []
    if ucol is not None:
        raw[ucol] = raw[ucol].str.strip()
        units = sorted(set(raw[ucol]) - {""})
        raw[ucol] = raw[ucol].map(lambda u: OPEN_SDG_UNITS.get(u, u))
    return raw, units


def read_open_sdg(
    folder: str | Path,
    framework: Framework,
    *,
    source: str = "kz-sdg",
    country: str = "KAZ",
    duplicates: str = "error",
    out_of_range: str = "error",
    vintage: date | datetime | str | None = None,
    label: str | None = None,
) -> Batch:
    """Read and validate every indicator file of an Open SDG folder into one batch (format ``open-sdg``).

    ``source`` is the framework source the figures cite; ``country`` is the
    geography of rows with a blank ``REF_AREA``; ``label`` the name recorded
    for the folder (default: its path).  The batch carries metadata
    of indicators new to the framework (``indicators``) and the code labels
    of the folder's translations (``labels``).  Raises
    :class:`~sandyq.errors.LoadError` listing every problem of every file.
    """
    root = Path(folder)
    if not root.is_dir():
        raise LoadError(f"{root}: not a folder", [Problem(str(root), "no such folder")])
    files = _data_files(root)
    if not files:
        raise LoadError(
            f"{root}: refused: no Open SDG indicator files (data/indicator_<id>.csv)",
            [Problem(str(root), "no indicator_<id>.csv under data/ or the folder itself")],
        )
    problems: list[Problem] = []
    if source not in framework.sources:
        known = ", ".join(sorted(framework.sources))
        problems.append(Problem(str(root), f"unknown source {source!r} (known: {known})"))
    tr = _translations(root, problems)
    crosswalk = framework.geography.crosswalk("sdg")
    raws: dict[str, tuple[Path, pd.DataFrame]] = {}
    new: dict[str, Indicator] = {}
    groups: set[str] = {"REF_AREA", "UNIT_MEASURE"}
    for path in files:
        ind = path.stem[len("indicator_") :]
        found = _indicator_file(path, ind, problems)
        if found is None:
            continue
        raw, units = found
        groups |= {c for c in raw.columns if c.isupper()}
        raws[ind] = (path, raw)
        if ind not in framework.indicators:
            meta = _meta(root, ind, problems)
            model, issues = _new_indicator(ind, meta, tr, units, source, root, path)
            problems += issues
            if model is not None:
                new[ind] = model
    if problems:
        raise refused(str(root), problems)
    fw = framework.with_indicators({i: m.model_dump_json() for i, m in new.items()}) if new else framework
    checked: dict[str, Checked] = {}
    for ind, (path, raw) in raws.items():
        try:
            long = to_long(raw, path, "tidy", indicator=ind, known_indicators=fw.indicators, default_geo=country)
        except LoadError as exc:
            problems += exc.problems
            continue
        long["REF_AREA"] = long["REF_AREA"].astype("string").str.strip().replace(crosswalk)
        value_col = next((c for c in raw.columns if c.lower() in ("value", "obs_value")), None)
        if value_col is not None:  # name the file's own column in problems ("Value", not OBS_VALUE)
            long[COL] = value_col
        result = check(
            long, path, fw, source=source, default_geo=country, duplicates=duplicates, out_of_range=out_of_range
        )
        problems += [_hint(p) for p in result.problems]
        checked[ind] = result
    if problems:
        raise refused(str(root), problems)
    parts = list(checked.values())
    rows = [c.resolved_rows for c in parts if c.resolved_rows is not None]
    return Batch(
        pd.concat([c.staged for c in parts if len(c.staged)] or [parts[0].staged], ignore_index=True),
        file=label or str(root),
        format="open-sdg",
        source=source,
        vintage=vintage,
        sha256=folder_digest(root),
        issues=[p for c in parts for p in c.resolved],
        issue_rows=pd.concat(rows, ignore_index=True) if rows else None,
        indicators=new,
        sources=list(framework.sources.values()),
        skipped_missing=sum(c.skipped_missing for c in parts),
        dropped_duplicates=sum(c.dropped_duplicates for c in parts),
        files=[raws[i][0] for i in checked],
        labels=_labels(tr, groups),
    )


def _loc(parts: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in parts)


def _hint(p: Problem) -> Problem:
    if p.column == "REF_AREA" and p.message.startswith("unknown geography code"):
        return dataclasses.replace(p, message=p.message + " (not in the SDG platform's crosswalk to ISO 3166-2:KZ)")
    return p
