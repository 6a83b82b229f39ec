"""Build the loadable files of ``content/data/kz-programme-targets/`` from the material and its mapping.

``observations.csv`` is the material as received (127 rows); ``mapping.csv`` says, row by row, how
each is loaded (sandyq indicator, geography, period, source, unit factor, status, vintage) or why
it is not.  The tidy files in ``tidy/`` are this module's output, one per vintage (a load has one
vintage), so that ``--as-of`` sees each figure only from its publication date.  The test
``test_programme_targets_data.py`` rebuilds them and compares, so no number can drift from the
material.  Run ``python -m tests.content.programme_targets`` to write them again.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from importlib import resources
from pathlib import Path

FOLDER = Path(str(resources.files("sandyq") / "content" / "data" / "kz-programme-targets"))
COLUMNS = ["INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS", "COMMENT", "SOURCE"]


def read(name: str, folder: Path = FOLDER) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _value(text: str, factor: str) -> str:
    """The material's value, converted by ``factor`` exactly (decimal arithmetic), as printed."""
    if not factor:
        return text
    out = Decimal(text) * Decimal(factor)
    return format(out.normalize(), "f")


def _comment(row: dict[str, str], number: int, factor: str) -> str:
    parts = [f"kz-programme-targets/observations.csv row {number}", row["source_publisher"], row["source_url"]]
    if row["published_date"]:
        parts.append(f"published {row['published_date']}")
    if factor:
        parts.append(f"printed {row['value']} {row['unit']}")
    if row["definition_note"]:
        parts.append(row["definition_note"])
    return "; ".join(p.strip() for p in parts if p.strip())


def build(folder: Path = FOLDER) -> dict[str, list[dict[str, str]]]:
    """The tidy rows of every loaded observation, by file name (``<vintage>.csv``)."""
    material = read("observations.csv", folder)
    mapping = read("mapping.csv", folder)
    assert len(material) == len(mapping), "mapping.csv must have one row per observation"
    files: dict[str, list[dict[str, str]]] = {}
    for number, (row, m) in enumerate(zip(material, mapping, strict=True), start=1):
        same = (m["row"], m["indicator_id"], m["geo"], m["year"], m["value"])
        assert same == (str(number), row["indicator_id"], row["geo"], row["year"], row["value"]), same
        if not m["indicator"]:
            assert m["reason"], f"row {number} is neither loaded nor explained"
            continue
        files.setdefault(f"{m['vintage']}.csv", []).append(
            {
                "INDICATOR": m["indicator"],
                "REF_AREA": m["ref_area"],
                "TIME_PERIOD": m["period"],
                "OBS_VALUE": _value(row["value"], m["factor"]),
                "UNIT_MEASURE": m["unit"],
                "OBS_STATUS": m["status"],
                "COMMENT": _comment(row, number, m["factor"]),
                "SOURCE": m["source"],
            }
        )
    return dict(sorted(files.items()))


def write(folder: Path = FOLDER) -> list[Path]:
    """Write ``tidy/<vintage>.csv`` (and remove files no vintage needs any more)."""
    out = folder / "tidy"
    out.mkdir(exist_ok=True)
    files = build(folder)
    for old in out.glob("*.csv"):
        if old.name not in files:
            old.unlink()
    written = []
    for name, rows in files.items():
        path = out / name
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    for p in write(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER):
        print(p)
