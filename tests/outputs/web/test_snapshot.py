"""The dashboard reads the store where it lies: writers let in and waited for, changes seen, stale answers dropped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

import sandyq
from sandyq.errors import StoreError
from sandyq.outputs.web import Dashboard
from sandyq.outputs.web._cache import LruCache
from sandyq.outputs.web._gate import BusyError
from sandyq.outputs.web._snapshot import ThreadCursors, signature

SRC = str(Path(sandyq.__file__).resolve().parents[1])
TIDY = "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n5-b-1,KZ-71,2031,88.8,PT\n"


@pytest.fixture
def db(default_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "copy.duckdb"
    shutil.copy(default_db, path)
    return path


def hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that opens the store for writing, says so, and keeps it open for ``seconds``."""
    code = (
        "import sys, time, duckdb\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "print('open', flush=True)\n"
        f"time.sleep({seconds})\n"
        "con.close()\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    return proc


def write_in_another_process(db: Path) -> subprocess.Popen[str]:
    """``sandyq`` opening the store for writing in another process (it waits for readers), then a write.

    It prints how long it took: mostly starting Python and reading the framework.
    """
    code = (
        "import sys, time, sandyq\n"
        "started = time.monotonic()\n"
        "with sandyq.connect(sys.argv[1]) as m:\n"
        "    m.store.con.execute('CREATE TABLE scratch (x INTEGER)')\n"
        "print(f'{time.monotonic() - started:.3f}', flush=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC, "SANDYQ_LOCK_TIMEOUT": "30"}
    return subprocess.Popen(
        [sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def test_the_dashboard_reads_the_file_and_lets_a_writer_in_even_while_busy(db: Path) -> None:
    """No copy in memory: the file is held read-only while read, and let go within a second for a writer."""
    dash = Dashboard(db)
    stop = threading.Event()
    errors: list[BaseException] = []

    def busy() -> None:  # uncached reads all the time, so the file would never be idle
        k = 0
        while not stop.is_set():
            try:
                dash.observations(["17-8-1"], start=str(2000 + k % 25))
                dash.cache.clear()
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)
            k += 1

    readers = [threading.Thread(target=busy) for _ in range(2)]
    try:
        assert len(dash.indicator_data("17-8-1")) > 0 and dash.reader.is_open
        for t in readers:
            t.start()
        time.sleep(0.5)
        writer = write_in_another_process(db)
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        # let in before it had to say it waits (QUIET s), though reads never stopped
        assert "waiting for another process" not in err, err
    finally:
        stop.set()
        for t in readers:
            t.join()
        dash.close()
    assert not [e for e in errors if not isinstance(e, BusyError)], errors
    with duckdb.connect(str(db), read_only=True) as con:  # the write happened
        assert con.execute("SELECT count(*) FROM scratch").fetchall() == [(0,)]


def test_an_idle_dashboard_lets_go_of_the_file(db: Path) -> None:
    dash = Dashboard(db)
    try:
        dash.reader.linger = 0.2
        dash.indicator_data("17-8-1")
        deadline = time.monotonic() + 5
        while dash.reader.is_open:
            assert time.monotonic() < deadline, "the file is still held 5 s after the last read"
            time.sleep(0.05)
        with duckdb.connect(str(db)) as writer:  # nothing holds the file: a plain DuckDB writer gets in
            writer.execute("CREATE TABLE scratch (x INTEGER)")
    finally:
        dash.close()


def test_a_writer_is_waited_for_and_named_when_it_does_not_finish(db: Path) -> None:
    writer = hold_write_lock(db, 8)  # longer than reading the framework takes on a busy machine
    try:
        with pytest.raises(StoreError, match="another process is writing to the store"):
            Dashboard(db, wait=0.2)
        started = time.monotonic()
        dash = Dashboard(db, wait=30)  # the writer finishes after 8 s; the store is read then
        assert time.monotonic() - started < 30
        dash.close()
    finally:
        writer.wait(timeout=30)


def test_a_change_of_the_store_is_copied_and_the_caches_dropped(db: Path, tmp_path: Path) -> None:
    dash = Dashboard(db)
    try:
        before = dash.indicator_data("5-b-1")
        assert "2031" not in set(before["period"]) and dash.data_version == 1
        (tmp_path / "new.csv").write_text(TIDY, encoding="utf-8")
        sig = signature(db)
        with sandyq.connect(db) as m:
            m.load(tmp_path / "new.csv")
        assert signature(db) != sig
        assert dash.refresh()
        after = dash.indicator_data("5-b-1")
        assert dash.data_version == 2 and "2031" in set(after["period"])
    finally:
        dash.close()


def test_refresh_if_changed_looks_at_most_once_a_second_and_copies_in_the_background(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sandyq.outputs.web import _data

    monkeypatch.setattr(_data, "CHECK_EVERY", 0.05)
    monkeypatch.setattr(_data, "SETTLE", 0.05)
    dash = Dashboard(db)
    try:
        dash.indicator_table("en")
        (tmp_path / "new.csv").write_text(TIDY, encoding="utf-8")
        with sandyq.connect(db) as m:
            m.load(tmp_path / "new.csv")
        deadline = time.monotonic() + 10
        while dash.data_version == 1:
            dash.refresh_if_changed()
            assert time.monotonic() < deadline, "no new copy within 10 s"
            time.sleep(0.02)
        table = dash.indicator_table("en")
        assert table.set_index("id").loc["5-b-1", "last_year"] == 2031
    finally:
        dash.close()


def test_an_answer_computed_from_a_replaced_copy_is_not_kept() -> None:
    cache = LruCache(budget=1000)
    generation = cache.generation
    cache.clear()  # the store changed while the answer was being computed
    assert not cache.put("answer", b"old", nbytes=3, generation=generation)
    assert "answer" not in cache and cache.stats.stale == 1
    assert cache.put("answer", b"new", nbytes=3, generation=cache.generation)


def test_each_thread_reads_through_its_own_cursor() -> None:
    con = ThreadCursors(duckdb.connect(":memory:"))
    con.execute("CREATE TABLE t AS SELECT range AS x FROM range(100000)")
    results: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                results.append(int(con.execute("SELECT sum(x) FROM t").fetchall()[0][0]))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    con.close()
    assert not errors and results == [sum(range(100000))] * 160
