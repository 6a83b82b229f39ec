"""Processes take turns with a store: opening waits for another, says so and gives up clearly; readers let go."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from sandyq.errors import InvalidValueError, LoadError, StoreError
from sandyq.framework import Framework
from sandyq.store import Store

# A process that opens a DuckDB file, says so, and keeps it until its standard input closes.
_HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("held", flush=True)
sys.stdin.read()
"""


@contextmanager
def _held(path: Path, mode: str = "write") -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        _release(proc)


def _release(proc: subprocess.Popen[str]) -> None:
    if proc.stdin is not None and not proc.stdin.closed:
        proc.stdin.close()
    proc.wait(timeout=60)


def _row(value: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["17-8-1"],
            "geo": ["KAZ"],
            "period": ["2023"],
            "dims": [""],
            "source": ["kz-sdg"],
            "value": [value],
            "unit": ["PT"],
            "status": [None],
            "note": [None],
        }
    )


@pytest.fixture
def db(tmp_path: Path, framework: Framework) -> Path:
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.register_sources([framework.sources["kz-sdg"]])
    return path


@pytest.mark.parametrize("read_only", [False, True], ids=["writer", "reader"])
def test_opening_waits_for_a_writer_then_gives_up_clearly(db: Path, read_only: bool) -> None:
    notices: list[str] = []
    with _held(db) as holder:
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            Store(db, read_only=read_only, lock_timeout=0.6, on_wait=notices.append)
        waited = time.monotonic() - started
    assert notices == [f"waiting for another process writing to {db} (PID {holder.pid})…"]
    assert str(info.value) == (
        f"{db}: gave up after 0.6 s waiting for another process writing to {db} (PID {holder.pid}); try again once "
        "it has finished, or wait longer with the setting lock_timeout (SANDYQ_LOCK_TIMEOUT, in seconds)"
    )
    assert 0.5 <= waited < 5


def test_opening_proceeds_once_the_other_process_is_done(db: Path) -> None:
    notices: list[str] = []
    with _held(db) as holder:
        threading.Timer(0.5, _release, [holder]).start()
        started = time.monotonic()
        with Store(db, lock_timeout=30, on_wait=notices.append) as s:
            s.load_frame(_row(1.0), file="t.csv", format="tidy")
            assert s.count() == 1
        assert time.monotonic() - started >= 0.4
    assert len(notices) == 1 and notices[0].startswith("waiting for another process writing to")


def test_a_writer_waits_for_readers_and_says_so_without_duckdbs_hint(db: Path) -> None:
    notices: list[str] = []
    with _held(db, "read") as holder:
        with Store(db, read_only=True, lock_timeout=0, on_wait=notices.append) as s:  # readers share the file
            assert s.count() == 0
        assert notices == []
        with pytest.raises(StoreError) as info:
            Store(db, lock_timeout=0.2, on_wait=notices.append)
    assert notices == [f"waiting for another process reading {db} (PID {holder.pid}) to close it…"]
    assert "-readonly" not in str(info.value) and "duckdb.org" not in str(info.value)


def test_the_wait_is_a_setting(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDYQ_LOCK_TIMEOUT", "0.1")
    with _held(db), pytest.raises(StoreError, match="gave up after 0.1 s"):
        Store(db, on_wait=lambda message: None)
    monkeypatch.setenv("SANDYQ_LOCK_TIMEOUT", "soon")
    with pytest.raises(InvalidValueError, match="SANDYQ_LOCK_TIMEOUT='soon': expected a number"):
        Store(db)


def test_the_wait_is_shown_on_stderr_by_default(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    with _held(db), pytest.raises(StoreError):
        Store(db, lock_timeout=0.1)
    assert caplog.records[-1].name == "sandyq.store"
    assert caplog.records[-1].getMessage().startswith(f"waiting for another process writing to {db}")


def test_one_process_waits_for_its_own_other_connection_and_names_it_when_giving_up(db: Path) -> None:
    with Store(db), pytest.raises(StoreError, match="gave up after 0.2 s waiting for this process's writing"):
        Store(db, read_only=True, lock_timeout=0.2)


def test_a_writer_waits_for_a_reader_of_the_same_process_to_close(db: Path) -> None:
    """The dashboard reads in the process that may also load (the Python API): the load waits, never fails."""
    reader = Store(db, read_only=True)
    closing = threading.Timer(0.3, reader.close)
    closing.start()
    try:
        with Store(db, lock_timeout=10) as s:
            assert s.count() >= 0
    finally:
        closing.join()


def test_the_change_counter_counts_committed_changes(db: Path, framework: Framework) -> None:
    with Store(db) as s:
        start = s.data_version()
        s.load_frame(_row(1.0), file="t.csv", format="tidy", vintage="2025-01-01")
        assert s.data_version() == start + 1
        s.load_frame(_row(1.0), file="t.csv", format="tidy")  # nothing new
        s.register_sources([framework.sources["kz-sdg"]])  # recorded as it is
        s.save_indicators({}, origin="t")
        assert s.data_version() == start + 1
        with pytest.raises(LoadError):  # refused loads change nothing
            s.load_frame(_row(float("nan")), file="t.csv", format="tidy")
        s.save_document("calibration", "{}")
        assert s.data_version() == start + 2


_WRITER = """
import io, sys
import pandas as pd
from sandyq.store import Store
frame = pd.read_json(io.StringIO(sys.argv[2]), orient="records", dtype={"period": str})
with Store(sys.argv[1], lock_timeout=0) as s:
    print(s.load_frame(frame, file="other.csv", format="tidy").load_id)
"""


def test_a_reader_lets_go_between_sessions_and_sees_the_change(db: Path) -> None:
    with Store(db) as s:
        s.load_frame(_row(1.0), file="t.csv", format="tidy", vintage="2025-01-01")
    reader = Store(db, read_only=True)
    seen = reader.data_version()
    reader.close()
    assert not reader.is_open
    data = _row(2.0).to_json(orient="records")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", _WRITER, str(db), data], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr  # written without waiting: the reader had let go (lock_timeout=0)
    with reader.session():
        assert reader.is_open
        assert reader.data_version() == seen + 1
        assert reader.observations()["value"].tolist() == [2.0]
    assert not reader.is_open
    with pytest.raises(StoreError, match="the store is closed"):
        reader.count()
