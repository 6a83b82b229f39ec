"""Benchmark: the full Digital Kazakhstan monitoring report in each format (issue 17).

Goal, on the reference machine (2 cores): each format under 20 s, end to end
(``sandyq report --format F --output FILE`` in a fresh interpreter: start-up,
gathering the figures, saying them in the language, rendering and writing).
The default store is built first (``sandyq init``) unless ``--db`` names one.
Then, in one process, the split: gathering the figures (once for all languages)
and each format's rendering.  Run with::

    .venv/bin/python benchmarks/bench_report.py [--db STORE] [--language kk]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
GOAL_SECONDS = 20.0
FORMATS = ("pdf", "docx", "html")


def _run(*args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sandyq", *args], check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="An existing store (default: build the default store in a temporary folder).")
    parser.add_argument("--language", default="kk", choices=("kk", "ru", "en"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.duckdb")
        if not args.db:
            print(f"building the default store: {_run('--db', db, 'init'):.1f} s")
        print(f"{'format':<6} {'seconds':>8} {'size':>10}  goal < {GOAL_SECONDS:.0f} s")
        failed = False
        for fmt in FORMATS:
            out = Path(tmp) / f"report.{fmt}"
            seconds = _run("--db", db, "report", "--format", fmt, "--output", str(out), "--language", args.language)
            ok = seconds < GOAL_SECONDS
            failed |= not ok
            print(f"{fmt:<6} {seconds:8.1f} {out.stat().st_size:>10,}  {'ok' if ok else 'SLOW'}")
        _split(db, args.language)
    sys.exit(1 if failed else 0)


def _split(db: str, language: str) -> None:
    """Where the time goes, in one process: gathering the figures, then each format."""
    sys.path.insert(0, str(SRC))
    import sandyq
    from sandyq.outputs.report import build_document, gather, render

    with sandyq.connect(db, read_only=True) as m:
        start = time.perf_counter()
        facts = gather(m, "digital-kazakhstan")
        print(f"gather the figures (once for every language): {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    doc = build_document(facts, language)
    print(f"say them in {language}: {time.perf_counter() - start:.2f} s")
    for fmt in FORMATS:
        start = time.perf_counter()
        render(doc, fmt)
        print(f"render {fmt}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
