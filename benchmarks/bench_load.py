"""Benchmark: loading a large tidy CSV with sandyq against DuckDB's own CSV reader (the floor).

Goal, on the reference machine (2 cores): ``sandyq.load_file`` of a 1M-row tidy
CSV into a fresh DuckDB store within 2× of the floor in wall time, CPU time and
memory.  The floor is what DuckDB alone needs to put the same rows into an
equivalent table: ``read_csv`` with the columns typed, ``INSERT`` into a table with
the store's observation columns and primary key.  sandyq does more (it checks
every cell against the framework, records the load and compares each key with
the figures already stored), so the ratio says what that care costs.

The file is generated first (not timed): real indicator ids, geographies
(countries and Kazakhstan's regions) and units from the bundled framework,
values within each unit's bounds, a ``SEX`` disaggregation and blank statuses,
periods in years (months when more keys are needed).  Each contender then runs
in a fresh interpreter, so its peak resident memory is its own; the table gives
wall time, CPU time (all threads), the peak RSS of the process and the memory
the load added above the process before it.  A last run splits sandyq's load
into its two halves: reading and validating (``sandyq.read_data``, ingest) and
writing (``sandyq.write_batch``, the store); it holds every validated row in memory,
so it runs only up to 2M rows.  Run with::

    .venv/bin/python benchmarks/bench_load.py                    # 1M rows
    .venv/bin/python benchmarks/bench_load.py --rows 10000000    # 10M rows (slow)

Measured 2026-12-03 on the reference machine (2 cores shared with other jobs, load
average ~10, so wall times are inflated and noisy; CPU time is the steadier figure),
with streaming (``load_chunk_rows`` 500,000) and the merge in DuckDB:

=========  ==========================  ======  ======  =============
rows       contender                   wall s  CPU s   peak RSS MiB
=========  ==========================  ======  ======  =============
1M         DuckDB floor                 24.3     3.5     523
1M         sandyq.load_file             38.3     5.0     895
1M         ratio                         1.6     1.4     1.7
10M        DuckDB floor                215.3    36.7    4133
10M        sandyq.load_file            338.3    49.8    5935
10M        ratio                         1.6     1.4     1.4
=========  ==========================  ======  ======  =============

(The 10M run was measured before the last trim of the stream's memory — one
chunk alive at a time, 4 MiB read blocks — which took 1M from 981 to 895 MiB.)
Before (whole-file read, comparison in pandas): 1M took 5.8 s CPU and 1044 MiB
on a quiet machine (ratios 1.6 CPU, 2.0 memory); issue 11 measured 10M at 195 s
and 9.3 GB.  At 1M the peak ratio is highest because sandyq's own imports
(framework, pandas, pyarrow: ~215 MiB) weigh against a small floor; above it the
extra is one chunk in pandas plus the staged rows in DuckDB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
GOAL_RATIO = 2.0
HEADER = "INDICATOR,REF_AREA,TIME_PERIOD,SEX,OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n"

#: Measures the code between the markers in a child process and prints one JSON line.
MEASURE = """
import json, os, resource, sys, time
def rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
{setup}
before = rss_mb()
wall, cpu = time.perf_counter(), time.process_time()
{body}
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"wall": wall, "cpu": cpu, "peak": peak, "added": peak - before, **extra}}))
"""

SANDYQ_SETUP = """
import sandyq
from sandyq.store import Store
framework = sandyq.load_framework()
store = Store(sys.argv[2])
extra = {}
"""
SANDYQ_BODY = """
reports = sandyq.load_file(store, sys.argv[1], framework, source="wdi", vintage="2024-01-01")
store.close()
extra["rows"] = sum(r.added for r in reports)
"""
SPLIT_BODY = """
t = time.perf_counter(); c = time.process_time()
batches = sandyq.read_data(sys.argv[1], framework, source="wdi", vintage="2024-01-01")
extra["read_wall"], extra["read_cpu"] = time.perf_counter() - t, time.process_time() - c
extra["read_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter(); c = time.process_time()
reports = [sandyq.write_batch(store, b) for b in batches]
store.close()
extra["write_wall"], extra["write_cpu"] = time.perf_counter() - t, time.process_time() - c
extra["rows"] = sum(r.added for r in reports)
"""
DUCKDB_SETUP = """
import duckdb
con = duckdb.connect(sys.argv[2])
extra = {}
"""
DUCKDB_BODY = """
con.execute('''CREATE TABLE observation (
    indicator VARCHAR NOT NULL, geo VARCHAR NOT NULL, period VARCHAR NOT NULL, dims VARCHAR NOT NULL,
    source VARCHAR NOT NULL, vintage TIMESTAMP NOT NULL, value DOUBLE NOT NULL, unit VARCHAR NOT NULL,
    status VARCHAR, note VARCHAR, load_id INTEGER NOT NULL,
    PRIMARY KEY (indicator, geo, period, dims, source, vintage))''')
con.execute('''INSERT INTO observation
    SELECT INDICATOR, REF_AREA, TIME_PERIOD, CASE WHEN coalesce(SEX, '') = '' THEN '' ELSE 'sex=' || SEX END,
           'wdi', TIMESTAMP '2024-01-01', OBS_VALUE, UNIT_MEASURE, NULLIF(OBS_STATUS, ''), NULL, 1
    FROM read_csv(?, header = true, columns = {
        'INDICATOR': 'VARCHAR', 'REF_AREA': 'VARCHAR', 'TIME_PERIOD': 'VARCHAR', 'SEX': 'VARCHAR',
        'OBS_VALUE': 'DOUBLE', 'UNIT_MEASURE': 'VARCHAR', 'OBS_STATUS': 'VARCHAR'})''', [sys.argv[1]])
extra["rows"] = con.execute("SELECT count(*) FROM observation").fetchone()[0]
con.close()
"""


def generate(path: Path, rows: int) -> None:
    """Write a tidy CSV of ``rows`` distinct observations drawn from the bundled framework."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    import sandyq
    from sandyq.framework import UNITS

    fw = sandyq.load_framework()
    inds = [i for i in fw.indicators.values() if i.formula is None]
    geos = [g.code for g in fw.geography.countries()] + [g.code for g in fw.geography.regions()]
    sexes = ["", "F", "M"]
    per_period = len(inds) * len(geos) * len(sexes)
    n_periods = -(-rows // per_period)
    if n_periods <= 2023 - 1900:
        periods = [str(y) for y in range(2023 - n_periods, 2023)]
    else:
        periods = [f"{1900 + m // 12}-{m % 12 + 1:02d}" for m in range(n_periods)]
    p, i, g, s = np.unravel_index(np.arange(rows), (len(periods), len(inds), len(geos), len(sexes)))
    lo = np.array([UNITS[x.unit].minimum if UNITS[x.unit].minimum is not None else -1e6 for x in inds])
    hi = np.array([UNITS[x.unit].maximum if UNITS[x.unit].maximum is not None else 1e6 for x in inds])
    value = np.round(lo[i] + np.random.default_rng(1).random(rows) * (hi[i] - lo[i]), 2)
    table = pa.table(
        {
            "INDICATOR": pa.array([x.id for x in inds]).take(i),
            "REF_AREA": pa.array(geos).take(g),
            "TIME_PERIOD": pa.array(periods).take(p),
            "SEX": pa.array(sexes).take(s),
            "OBS_VALUE": value,
            "UNIT_MEASURE": pa.array([x.unit for x in inds]).take(i),
            "OBS_STATUS": pa.array([""] * rows),
        }
    )
    with path.open("wb") as fh:
        fh.write(HEADER.encode())
        pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="none"))


def measure(setup: str, body: str, csv: Path, db: Path) -> dict[str, float]:
    """Run ``body`` after ``setup`` in a fresh interpreter; its wall and CPU time and memory."""
    db.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)}
    code = MEASURE.format(setup=setup, body=body)
    out = subprocess.run([sys.executable, "-c", code, str(csv), str(db)], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"the measured run failed:\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated CSV (default 1M)")
    parser.add_argument("--ten-million", action="store_true", help="10M rows")
    args = parser.parse_args()
    rows = 10_000_000 if args.ten_million else args.rows
    with tempfile.TemporaryDirectory() as tmp:
        csv, db = Path(tmp) / "tidy.csv", Path(tmp) / "store.duckdb"
        generate(csv, rows)
        print(f"{rows:,} rows, {csv.stat().st_size / 2**20:.0f} MiB of CSV")
        floor = measure(DUCKDB_SETUP, DUCKDB_BODY, csv, db)
        ours = measure(SANDYQ_SETUP, SANDYQ_BODY, csv, db)
        # The split holds every validated row in memory (what read_data returns): only for the smaller files.
        split = measure(SANDYQ_SETUP, SPLIT_BODY, csv, db) if rows <= 2_000_000 else None
    assert floor["rows"] == ours["rows"] == rows, (floor["rows"], ours["rows"], rows)
    print(f"{'':34}{'wall s':>9}{'CPU s':>9}{'peak RSS MiB':>14}{'added MiB':>11}")
    for label, m in (("DuckDB read_csv + INSERT (floor)", floor), ("sandyq.load_file", ours)):
        print(f"{label:34}{m['wall']:9.2f}{m['cpu']:9.2f}{m['peak']:14.0f}{m['added']:11.0f}")
    ratios = {k: ours[k] / floor[k] for k in ("wall", "cpu", "peak", "added")}
    widths = dict(zip(ratios, (9, 9, 14, 11), strict=True))
    print(f"{'ratio (goal ≤ 2)':34}" + "".join(f"{ratios[k]:{widths[k]}.1f}" for k in ratios))
    if split is not None:
        print(
            f"sandyq's halves: read+validate {split['read_wall']:.2f} s wall, {split['read_cpu']:.2f} s CPU, "
            f"peak {split['read_peak']:.0f} MiB; write (store) {split['write_wall']:.2f} s wall, "
            f"{split['write_cpu']:.2f} s CPU; whole run peak {split['peak']:.0f} MiB"
        )
    met = [k for k in ("wall", "cpu", "peak") if ratios[k] <= GOAL_RATIO]
    print(f"goal (≤ {GOAL_RATIO:g}× the floor) met for: {', '.join(met) or 'none'}")


if __name__ == "__main__":
    main()
