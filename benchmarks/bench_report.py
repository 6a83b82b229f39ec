"""Benchmark: the full Digital Kazakhstan monitoring report in each format (issue 17).

Goal, on the reference machine (2 cores): each format under 20 s, end to end
(``sandyq report --format F --output FILE`` in a fresh interpreter: start-up,
gathering the figures, saying them in the language, rendering and writing).
The default store is built first (``sandyq init``) unless ``--db`` names one.

Each format is run twice, each time in a fresh process: **cold**, with an empty
cache folder (``SANDYQ_CACHE``), so the figures are gathered — the goal applies
to these; then **kept**, with the cache folder of the cold PDF run, so the
figures gathered for it are read back (a second report of the same store and
dates in another format or language).  Wall-clock seconds are printed with the
CPU seconds of the process (user + system), which do not grow when other work
shares the machine.  Then, in one process, the split: gathering the figures (once
for all languages), saying them, and each format's rendering.  Run with::

    .venv/bin/python benchmarks/bench_report.py [--db STORE] [--language kk]

Measured on the reference machine (2 cores shared with six other sessions; load
average 10–13 during both runs, so wall-clock seconds say more about the load
than about sandyq — the CPU seconds are the comparable figures), Kazakh, default
store, CPU seconds (wall in brackets):

======  =================  =================  ================
format  before (596f5fc)    after, cold        after, kept
======  =================  =================  ================
pdf     15.1 (177.8)        12.1 (130.6)       6.6 (43.3)
docx    11.8 (133.5)        9.1 (46.2)         3.5 (19.7)
html    10.5 (79.2)         8.0 (56.1)         2.4 (10.6)
======  =================  =================  ================

A second run after, as the load fell to 4–7: cold pdf 39.2 s wall (12.8 s CPU),
docx 22.0 (8.7), html 15.0 (7.3); kept 13.7 (6.8), 9.2 (4.0), 6.8 (2.7).
The split in one process: gathering the figures 8.9 s CPU before, 5.4 s after
(the roll-up ranks the sources of all its series at once, the composite index
ranks without ``scipy.stats``); reading them back when kept, 0.1 s; rendering
PDF 3.5 s, DOCX 1.2 s, HTML < 0.1 s CPU.  At a load of 2.5–4 the code before took
20.4, 15.0 and 15.1 s wall (CHANGELOG), so on an unloaded machine the cold PDF,
at ~12 s CPU, is under the 20 s goal with margin.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
GOAL_SECONDS = 20.0
FORMATS = ("pdf", "docx", "html")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(*args: str, cache: str | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``sandyq ARGS`` in a fresh interpreter (cache folder ``cache``)."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    if cache is not None:
        env["SANDYQ_CACHE"] = cache
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run([sys.executable, "-m", "sandyq", *args], check=True, env=env, capture_output=True)
    return time.perf_counter() - start, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="An existing store (default: build the default store in a temporary folder).")
    parser.add_argument("--language", default="kk", choices=("kk", "ru", "en"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.duckdb")
        if not args.db:
            print(f"building the default store: {_run('--db', db, 'init')[0]:.1f} s")
        head = f"{'format':<6} {'cold s':>7} {'cpu s':>6} {'kept s':>7} {'cpu s':>6} {'size':>10}"
        print(f"{head}  goal < {GOAL_SECONDS:.0f} s")
        failed = False
        cold: dict[str, tuple[float, float]] = {}
        for fmt in FORMATS:  # cold: each with an empty cache folder of its own
            out = Path(tmp) / f"report.{fmt}"
            argv = ("--db", db, "report", "--format", fmt, "--output", str(out), "--language", args.language)
            cold[fmt] = _run(*argv, cache=str(Path(tmp) / f"cache-{fmt}"))
        for fmt in FORMATS:  # kept: the figures the cold PDF run gathered
            out = Path(tmp) / f"report.{fmt}"
            argv = ("--db", db, "report", "--format", fmt, "--output", str(out), "--language", args.language)
            kept = _run(*argv, cache=str(Path(tmp) / "cache-pdf"))
            ok = cold[fmt][0] < GOAL_SECONDS
            failed |= not ok
            print(
                f"{fmt:<6} {cold[fmt][0]:7.1f} {cold[fmt][1]:6.1f} {kept[0]:7.1f} {kept[1]:6.1f} "
                f"{out.stat().st_size:>10,}  {'ok' if ok else 'SLOW'}"
            )
        _split(db, args.language)
    sys.exit(1 if failed else 0)


def _split(db: str, language: str) -> None:
    """Where the time goes, in one process: gathering the figures, then each format."""
    sys.path.insert(0, str(SRC))
    import sandyq
    from sandyq.outputs.report import build_document, gather, render

    with sandyq.connect(db, read_only=True) as m:
        start, cpu = time.perf_counter(), time.process_time()
        facts = gather(m, "digital-kazakhstan")
        print(
            f"gather the figures (once for every language): {time.perf_counter() - start:.1f} s "
            f"({time.process_time() - cpu:.1f} s CPU)"
        )
    start = time.perf_counter()
    doc = build_document(facts, language)
    print(f"say them in {language}: {time.perf_counter() - start:.2f} s")
    for fmt in FORMATS:
        start, cpu = time.perf_counter(), time.process_time()
        render(doc, fmt)
        print(f"render {fmt}: {time.perf_counter() - start:.1f} s ({time.process_time() - cpu:.1f} s CPU)")


if __name__ == "__main__":
    main()
