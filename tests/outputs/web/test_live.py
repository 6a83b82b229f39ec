"""A real ``sandyq serve`` on loopback while real commands write the store: no lock error, new figures within 5 s.

DuckDB allows one writing process or many reading ones.  The dashboard holds the
file read-only only while it computes answers and lets go when a writer waits, so
``sandyq load`` succeeds while it runs, and the dashboard notices the change and
shows the new figures without a restart.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sandyq

from ._serving import free_port

SRC = str(Path(sandyq.__file__).resolve().parents[1])
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")]))}
QUERY = "/api/observations?indicator=5-b-1&geo=KZ-71&start=2030&end=2030"
CSV = "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n5-b-1,KZ-71,2030,99.5,PT\n"


def get(base: str, path: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(base + path, timeout=30) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def sandyq_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sandyq", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


@pytest.fixture
def served(default_db: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``sandyq serve`` over a copy of the default store, on a free loopback port."""
    db = tmp_path / "served.duckdb"
    shutil.copy(default_db, db)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandyq", "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "serve exited"
            try:
                if get(base, "/api/openapi.json")[0] == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline, "serve did not answer within 60 s"
                time.sleep(0.2)
        yield base, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_load_succeeds_while_serving_and_the_dashboard_shows_it(served: tuple[str, Path], tmp_path: Path) -> None:
    base, db = served
    status, before = get(base, QUERY)
    assert status == 200 and before["total"] == 0
    _, table = get(base, "/api/indicators")  # cached now: the change must drop it
    assert {r["id"]: r["last_year"] for r in table["indicators"]}["5-b-1"] < 2030

    data = tmp_path / "new.csv"
    data.write_text(
        "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n5-b-1,KZ-71,2030,99.5,PT\n", encoding="utf-8"
    )
    done = sandyq_cli(db, "load", str(data))
    assert done.returncode == 0, done.stderr  # no "Could not set lock on file"
    assert "lock" not in done.stderr.lower()

    loaded = time.monotonic()
    while True:
        status, after = get(base, QUERY)
        assert status == 200, after
        if after["total"] == 1:
            break
        assert time.monotonic() - loaded < 5, "the dashboard did not show the new figure within 5 s"
        time.sleep(0.1)
    assert [(r["geo"], r["period"], r["value"]) for r in after["observations"]] == [("KZ-71", "2030", 99.5)]
    status, table = get(base, "/api/indicators")
    assert status == 200, table
    assert {r["id"]: r["last_year"] for r in table["indicators"]}["5-b-1"] == 2030

    again = sandyq_cli(db, "load", str(data))  # the server has copied the store: writers still get in
    assert again.returncode == 0, again.stderr
