"""Benchmark: start-up time of ``import sandyq`` and ``sandyq --help``.

Goal, warm, on the reference machine (2 cores): each under 1.0 s.  Every
command runs in a fresh interpreter ``RUNS`` times (after one untimed warm-up
run); the table gives min/median/max wall time and the median's ratio to a bare
``python -c pass`` (the floor no change to sandyq can go below).  For
reference, without a goal: the ``--help`` of a two-command Typer app (the
floor of any typer/rich command line) and the import of the API (``from sandyq
import connect``: pandas, DuckDB, pydantic).  Then ``-X importtime``'s ten largest cumulative
imports of each goal command.  Run with::

    .venv/bin/python benchmarks/bench_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
GOAL_SECONDS = 1.0

#: A Typer app with two commands: what ``--help`` costs in any program using typer and rich.
TYPER_APP = """import typer
app = typer.Typer()
@app.command()
def one(x: int = 1) -> None:
    "One."
@app.command()
def two(y: str = "") -> None:
    "Two."
app()
"""

#: (label, interpreter arguments, goal in seconds or None)
COMMANDS: list[tuple[str, list[str], float | None]] = [
    ("python -c pass", ["-c", "pass"], None),
    ('python -c "import sandyq"', ["-c", "import sandyq"], GOAL_SECONDS),
    ("python -m sandyq --help", ["-m", "sandyq", "--help"], GOAL_SECONDS),
    ("(reference) a two-command Typer app --help", ["-c", TYPER_APP, "--help"], None),
    ('(reference) python -c "from sandyq import connect"', ["-c", "from sandyq import connect"], None),
]


def environment() -> dict[str, str]:
    """The environment of the runs: this checkout's sources first on the path."""
    path = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def wall_times(args: list[str], runs: int) -> list[float]:
    """Wall time in seconds of ``python ARGS`` in a new interpreter, ``runs`` times after one warm-up run."""
    env = environment()
    cmd = [sys.executable, *args]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        out.append(time.perf_counter() - t0)
    return out


def top_imports(args: list[str], n: int = 10) -> list[tuple[float, float, str]]:
    """The ``n`` largest cumulative imports (cumulative s, self s, module) of ``python -X importtime ARGS``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args], env=environment(), check=True, capture_output=True, text=True
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|", 2)
        rows.append((int(cumulative) / 1e6, int(own) / 1e6, name.strip()))
    return sorted(rows, reverse=True)[:n]


def main(runs: int = 10) -> None:
    print(f"{sys.executable} ({sys.version.split()[0]}), sources {SRC}, {runs} runs each after a warm-up run\n")
    print(f"{'command':<52} {'min':>7} {'median':>7} {'max':>7} {'× floor':>8}  goal")
    floor = None
    for label, args, goal in COMMANDS:
        times = wall_times(args, runs)
        med = statistics.median(times)
        floor = floor or med
        verdict = "" if goal is None else (f"< {goal:.1f} s met" if med < goal else f"< {goal:.1f} s NOT met")
        print(f"{label:<52} {min(times):7.3f} {med:7.3f} {max(times):7.3f} {med / floor:8.1f}  {verdict}")
    for label, args, goal in COMMANDS:
        if goal is None:
            continue
        print(f"\n-X importtime, top 10 cumulative imports of {label} (seconds; importtime inflates them):")
        for cumulative, own, name in top_imports(args):
            print(f"  {cumulative:7.3f} cumulative  {own:7.3f} self  {name}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each command (default 10)")
    main(parser.parse_args().runs)
