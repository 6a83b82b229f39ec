"""Benchmark: ``sandyq index uncertainty --runs 1000000`` on COINr's ASEM example, time and peak memory.

The command runs in a child process, as a user would run it, and the script
prints its wall time and peak resident memory (the goal: at most 10 s and
2 GB).  A second figure runs ten times as many runs, to show that memory does
not grow with the number of runs (the runs go in blocks within the memory
budget, ``--memory-mb``, 256 MiB by default).  Run with::

    .venv/bin/python benchmarks/bench_uncertainty.py [RUNS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "examples" / "coinr-asem" / "asem.yaml"
GOAL_SECONDS = 10.0
GOAL_BYTES = 2 * 10**9


#: Runs the command line in the child and, on its way out, writes its own peak memory (KiB) on standard error.
_CHILD = """
import resource, runpy, sys
sys.argv = ["sandyq", *sys.argv[1:]]
try:
    runpy.run_module("sandyq", run_name="__main__")
finally:
    print("peak-kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def measure(runs: int) -> tuple[float, int, str]:
    """Wall time, peak resident bytes and standard output of ``sandyq index uncertainty --runs RUNS``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    args = ["index", "uncertainty", str(SPEC), "--runs", str(runs), "--seed", "1"]
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, *args], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"sandyq {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    peak_kib = int(next(x for x in proc.stderr.splitlines() if x.startswith("peak-kib")).split()[1])
    return seconds, peak_kib * 1024, proc.stdout


def main(runs: int = 1_000_000) -> None:
    seconds, peak, out = measure(runs)
    print(f"sandyq index uncertainty --runs {runs:,} (ASEM, 51 units, 4 uncertain inputs)")
    print(f"  wall time:        {seconds:6.2f} s   (goal ≤ {GOAL_SECONDS:.0f} s)")
    print(f"  peak memory:      {peak / 1e6:6.0f} MB  (goal ≤ {GOAL_BYTES / 1e9:.0f} GB)")
    print(f"  goals:            {'met' if seconds <= GOAL_SECONDS and peak <= GOAL_BYTES else 'check'}")
    more_seconds, more_peak, _ = measure(runs * 10)
    print(f"  ×10 runs:         {more_seconds:6.2f} s, {more_peak / 1e6:.0f} MB peak (memory does not grow with runs)")
    print()
    lines = out.splitlines()
    head = next(i for i, x in enumerate(lines) if x.startswith("uCode"))
    print(
        "\n".join(
            [lines[0], "", *lines[head - 1 : head + 1], *[x for x in lines if x.startswith(("CHE ", "NLD ", "IND "))]]
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
