"""Loads survive kill -9 and each other: all or nothing, and two at once take turns."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sandyq.framework import Framework
from sandyq.store import Store

pytestmark = pytest.mark.slow

_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

# Load a large CSV through the store, saying when the writing starts and when it is done.
_LOADER = """
import sys
import pandas as pd
from sandyq.store import Store
frame = pd.read_csv(sys.argv[2], dtype={"period": str, "dims": str}, keep_default_na=False)
frame["status"] = None
frame["note"] = None
with Store(sys.argv[1], lock_timeout=0) as s:
    print("writing", flush=True)
    report = s.load_frame(frame, file="big.csv", format="tidy")
    print("done", report.load_id, report.added, report.revised, flush=True)
"""


def _frame(n: int, seed: int) -> pd.DataFrame:
    i = np.arange(n)
    return pd.DataFrame(
        {
            "indicator": "17-8-1",
            "geo": "KAZ",
            "period": (1800 + i % 300).astype(str),
            "dims": "age=Y" + pd.Series(i // 300).astype(str),
            "source": "kz-sdg",
            "value": np.round(np.random.default_rng(seed).random(n) * 100, 6),
            "unit": "PT",
            "status": None,
            "note": None,
        }
    )


def _state(path: Path) -> tuple[int, int, pd.DataFrame]:
    """Rows, loads and the figures in force (without vintages, which differ between runs) of a sound store."""
    with Store(path) as s:
        problems = s.check()
        assert problems.empty, problems.to_string()
        obs = s.observations().drop(columns="vintage")
        return s.count(), len(s.loads()), obs


def _start(db: Path, csv: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _LOADER, str(db), str(csv)], stdout=subprocess.PIPE, text=True, env=_ENV
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    return proc


def test_a_load_killed_at_any_moment_leaves_the_store_as_it_was_or_whole(tmp_path: Path, framework: Framework) -> None:
    base = tmp_path / "base.duckdb"
    with Store(base) as s:
        s.register_sources([framework.sources["kz-sdg"]])
        s.load_frame(_frame(60_000, 0), file="first.csv", format="tidy", vintage="2024-01-01")
    # The file revises half the stored figures and adds 30,000 new ones.
    new = _frame(90_000, 1)
    old = _frame(60_000, 0)
    new.loc[: len(old) - 1 : 2, "value"] = old["value"].to_numpy()[::2]
    csv = tmp_path / "big.csv"
    new.to_csv(csv, index=False)
    before = _state(base)

    whole = tmp_path / "whole.duckdb"
    shutil.copy(base, whole)
    proc = _start(whole, csv)
    started = time.monotonic()
    assert proc.stdout is not None
    assert proc.stdout.readline().split()[2:] == ["30000", "30000"]
    writing = time.monotonic() - started
    proc.wait(timeout=120)
    after = _state(whole)
    assert after[:2] == (before[0] + 60_000, before[1] + 1)

    rng = random.Random(11)
    outcomes = []
    for fraction in (0.02, 0.4, 0.8, 0.95, 1.1):
        trial = tmp_path / f"trial-{fraction}.duckdb"
        shutil.copy(base, trial)
        proc = _start(trial, csv)
        time.sleep(writing * fraction * rng.uniform(0.9, 1.1))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        state = _state(trial)  # opens it (replaying DuckDB's log) and checks it
        if state[:2] == before[:2]:
            pd.testing.assert_frame_equal(state[2], before[2])
            outcomes.append("unchanged")
        else:
            assert state[:2] == after[:2], f"killed after {fraction:.0%} of the writing: neither before nor after"
            pd.testing.assert_frame_equal(state[2], after[2])
            outcomes.append("whole")
    assert outcomes[0] == "unchanged", outcomes


def _tidy_csv(path: Path, framework: Framework, sexes: tuple[str, ...], offset: float = 0.0) -> int:
    """A large tidy file of indicator 17-8-1 (every country, 1960–2023, by sex); returns its rows."""
    countries = [g.code for g in framework.geography.countries()]
    rng = np.random.default_rng(len(sexes))
    rows = pd.MultiIndex.from_product([countries, range(1960, 2024), sexes], names=["REF_AREA", "TIME_PERIOD", "SEX"])
    frame = rows.to_frame(index=False).assign(
        INDICATOR="17-8-1", OBS_VALUE=np.round(rng.random(len(rows)) * 99, 2) + offset
    )
    frame.to_csv(path, index=False)
    return len(frame)


def test_two_loads_at_once_take_turns(tmp_path: Path, framework: Framework) -> None:
    """Two loads started while a third process writes both wait, say so, and then both load, one after the other.

    A holder process keeps the store open for writing until the test releases it, so the loads
    are certain to meet a lock however fast or slow this machine is.
    """
    db = tmp_path / "both.duckdb"
    with Store(db) as s:
        s.register_sources([framework.sources["kz-sdg"]])
    big, small = tmp_path / "big.csv", tmp_path / "small.csv"
    n_big = _tidy_csv(big, framework, ("F", "M", ""))
    n_small = _tidy_csv(small, framework, ("",), offset=0.005)  # every total differs
    hold = "import sys; from sandyq.store import Store; s = Store(sys.argv[1]); print('locked', flush=True); "
    hold += "sys.stdin.readline(); s.close()"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_ENV
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"

    def load(csv: Path) -> tuple[subprocess.Popen[str], list[str]]:
        command = [sys.executable, "-m", "sandyq", "--db", str(db), "load", str(csv), "--source", "kz-sdg"]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_ENV)
        lines: list[str] = []
        threading.Thread(target=lambda: lines.extend(proc.stderr or []), daemon=True).start()
        return proc, lines

    loads = [load(big), load(small)]
    deadline = time.monotonic() + 120
    waiting = f"waiting for another process writing to {db} (PID {holder.pid})…"
    while not all(any(waiting in line for line in lines) for _, lines in loads):
        assert time.monotonic() < deadline, [lines for _, lines in loads]
        assert all(proc.poll() is None for proc, _ in loads), "a load ended while the store was held"
        time.sleep(0.05)
    assert holder.stdin is not None
    holder.stdin.write("\n")
    holder.stdin.close()
    holder.wait(timeout=60)
    for proc, lines in loads:
        proc.wait(timeout=300)
        err = "".join(lines)
        assert proc.returncode == 0, err
        assert "readonly" not in err and "Traceback" not in err
    with Store(db, read_only=True) as s:
        assert s.check().empty
        loads_done = s.loads()
        assert sorted(loads_done["file"]) == sorted([str(big), str(small)])
        assert dict(zip(loads_done["file"], loads_done["rows_read"], strict=True)) == {
            str(big): n_big,
            str(small): n_small,
        }
        assert s.count() == n_big + n_small  # every total stored twice: one load revised the other's
