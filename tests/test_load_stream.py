"""A tidy CSV longer than ``load_chunk_rows`` is streamed: read, validated and staged a chunk at a time.

The streamed load must be indistinguishable from a whole one (same stored rows, same report), say the
*file's* line of a problem found in any chunk, load nothing then, refuse a key given different values in
two chunks, compare revisions across chunks, and stay atomic under kill -9.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sandyq
from sandyq.errors import LoadError
from sandyq.framework import Framework
from sandyq.ingest import open_stream, read_file
from sandyq.store import LoadReport, Store
from tests._postgres import BACKENDS, backend_url

CHUNK = 5_000
WHOLE = 10**9  # a chunk larger than any file: read whole


def _tidy(path: Path, framework: Framework, offset: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """Indicator 17-8-1 (percent of individuals using the internet) for every country, 1960–2023, by sex."""
    countries = [g.code for g in framework.geography.countries()]
    keys = pd.MultiIndex.from_product(
        [countries, [str(y) for y in range(1960, 2024)], ["", "F", "M"]], names=["REF_AREA", "TIME_PERIOD", "SEX"]
    )
    frame = keys.to_frame(index=False)
    frame.insert(0, "INDICATOR", "17-8-1")
    frame["OBS_VALUE"] = np.round(np.random.default_rng(seed).random(len(frame)) * 90 + offset, 2)
    frame.to_csv(path, index=False)
    return frame


def _state(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    obs = store.observations().drop(columns="vintage")
    loads = store.loads()[["file", "format", "rows_read", "rows_added", "rows_revised", "rows_unchanged", "sha256"]]
    return obs, loads


def _load(db: Path | str, csv: Path, framework: Framework, chunk_rows: int, duplicates: str = "error") -> LoadReport:
    with Store(db) as s:
        (report,) = sandyq.load_file(
            s, csv, framework, source="wdi", vintage="2024-01-01", chunk_rows=chunk_rows, duplicates=duplicates
        )
        return report


def test_a_chunked_load_stores_what_a_whole_load_stores(tmp_path: Path, framework: Framework) -> None:
    csv = tmp_path / "tidy.csv"
    frame = _tidy(csv, framework)
    assert len(frame) > 5 * CHUNK
    assert open_stream(csv, framework, chunk_rows=CHUNK) is not None
    assert open_stream(csv, framework, chunk_rows=WHOLE) is None
    streamed = _load(tmp_path / "a.duckdb", csv, framework, CHUNK)
    whole = _load(tmp_path / "b.duckdb", csv, framework, WHOLE)
    assert (streamed.rows_read, streamed.added, streamed.revised) == (len(frame), len(frame), 0)
    assert (whole.rows_read, whole.added) == (streamed.rows_read, streamed.added)
    with Store(tmp_path / "a.duckdb") as a, Store(tmp_path / "b.duckdb") as b:
        assert a.check().empty
        for x, y in zip(_state(a), _state(b), strict=True):
            pd.testing.assert_frame_equal(x, y)
        assert a.count() == len(frame)
    # reading without a store gives the same batch either way
    chunked = read_file(csv, framework, source="wdi", chunk_rows=CHUNK).staged
    pd.testing.assert_frame_equal(chunked, read_file(csv, framework, source="wdi", chunk_rows=WHOLE).staged)


def test_a_problem_in_the_second_chunk_names_its_line_and_loads_nothing(tmp_path: Path, framework: Framework) -> None:
    csv = tmp_path / "tidy.csv"
    frame = _tidy(csv, framework)
    line = CHUNK + 1234  # the header is line 1: this row is in the second chunk
    frame.loc[line - 2, "REF_AREA"] = "XXX"
    frame["OBS_VALUE"] = frame["OBS_VALUE"].astype(object)
    frame.loc[3 * CHUNK + 7 - 2, "OBS_VALUE"] = "lots"
    frame.to_csv(csv, index=False)
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        s.register_sources([framework.sources["wdi"]])
    for chunk_rows in (CHUNK, WHOLE):
        with pytest.raises(LoadError) as caught:
            _load(db, csv, framework, chunk_rows)
        problems = [(p.row, p.column, p.message) for p in caught.value.problems]
        assert problems == [
            (line, "REF_AREA", "unknown geography code 'XXX'"),
            (3 * CHUNK + 7, "OBS_VALUE", "not a number: 'lots'"),
        ]
        assert "nothing was loaded" in caught.value.summary
        with Store(db) as s:
            assert s.count() == 0 and s.loads().empty


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """An empty store on each backend: a new DuckDB file, or an emptied PostgreSQL database."""
    url = backend_url(request, request.param)
    return tmp_path / "s.duckdb" if url == ":memory:" else url


def test_one_key_with_two_values_in_two_chunks_is_refused(tmp_path: Path, framework: Framework, db: Path | str) -> None:
    csv = tmp_path / "tidy.csv"
    frame = _tidy(csv, framework)
    twin = frame.iloc[[8]].assign(OBS_VALUE=12.5)  # line 10, first chunk; the twin is the last line
    same = frame.iloc[[CHUNK + 3]]  # an identical figure given again: dropped, as in a whole file
    pd.concat([frame, same, twin]).to_csv(csv, index=False)
    last = len(frame) + 3
    with pytest.raises(LoadError) as caught:
        _load(db, csv, framework, CHUNK)
    (problem,) = caught.value.problems
    first = frame.iloc[8]
    assert problem.row == last and problem.column == "OBS_VALUE"
    assert problem.message == (
        f"one key (17-8-1 {first.REF_AREA} {first.TIME_PERIOD} {'sex=' + first.SEX if first.SEX else 'total'}) "
        f"has different values {first.OBS_VALUE:g}, 12.5 in rows 10, {last}"
    )
    with Store(db) as s:
        assert s.count() == 0
    # keeping the last row: loaded, the first one set aside as an issue of the load
    report = _load(db, csv, framework, CHUNK, duplicates="last")
    assert report.rows_read == len(frame) and report.added == len(frame)
    assert [(p.row, p.message) for p in report.issues] == [
        (10, f"duplicate key with a different value {first.OBS_VALUE:g}; kept the last row")
    ]
    with Store(db) as s:
        stored = s.observations("17-8-1", first.REF_AREA, dims=f"sex={first.SEX}" if first.SEX else "")
        assert stored.set_index("period").loc[first.TIME_PERIOD, "value"] == 12.5
        assert s.load_issues()["row_number"].tolist() == [10]


def test_revisions_are_found_in_every_chunk(tmp_path: Path, framework: Framework) -> None:
    csv = tmp_path / "tidy.csv"
    frame = _tidy(csv, framework)
    base = tmp_path / "base.duckdb"
    _load(base, csv, framework, WHOLE)
    revised = frame.copy()
    changed = [5, CHUNK + 5, 3 * CHUNK + 5, len(frame) - 1]  # rows in the first, second, fourth and last chunks
    revised.loc[changed, "OBS_VALUE"] += 1.0
    revised.to_csv(csv, index=False)
    results = []
    for chunk_rows in (CHUNK, WHOLE):
        db = tmp_path / f"{chunk_rows}.duckdb"
        shutil.copy(base, db)
        with Store(db) as s:
            (report,) = sandyq.load_file(s, csv, framework, source="wdi", vintage="2025-01-01", chunk_rows=chunk_rows)
            assert (report.added, report.revised, report.unchanged) == (0, len(changed), len(frame) - len(changed))
            results.append(_state(s))
            assert s.count() == len(frame) + len(changed)
            assert len(s.observations(as_of="2024-06-01")) == len(frame)
    for x, y in zip(*results, strict=True):
        pd.testing.assert_frame_equal(x, y)
    # the same file again at the same vintage changes nothing
    with Store(tmp_path / f"{CHUNK}.duckdb") as s:
        (again,) = sandyq.load_file(s, csv, framework, source="wdi", vintage="2025-01-01", chunk_rows=CHUNK)
        assert again.load_id is None and again.unchanged == len(frame)


def test_a_file_that_cannot_be_streamed_line_by_line_is_read_whole(tmp_path: Path, framework: Framework) -> None:
    """A quoted field spanning lines moves every later row's line: the whole-file reader handles it."""
    csv = tmp_path / "tidy.csv"
    frame = _tidy(csv, framework)
    frame["COMMENT"] = ""
    frame.loc[2 * CHUNK, "COMMENT"] = "revised\nby the publisher"
    frame.loc[3 * CHUNK, "REF_AREA"] = "XXX"
    frame.to_csv(csv, index=False)
    with pytest.raises(LoadError) as caught:
        _load(tmp_path / "s.duckdb", csv, framework, CHUNK)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3 * CHUNK + 3, "REF_AREA")]


def test_the_command_line_streams_as_the_setting_says(
    tmp_path: Path, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from sandyq.outputs.cli import app

    csv = tmp_path / "tidy.csv"
    frame = _tidy(csv, framework)
    frame.loc[2 * CHUNK + 10, "OBS_VALUE"] = -1.0  # a percentage below 0, in the third chunk
    frame.to_csv(csv, index=False)
    db = tmp_path / "s.duckdb"
    monkeypatch.setenv("SANDYQ_LOAD_CHUNK_ROWS", str(CHUNK))
    command = ["--db", str(db), "load", str(csv), "--source", "wdi", "--vintage", "2024-01-01"]
    refused = CliRunner().invoke(app, command)
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    assert re.search(rf"\b{2 * CHUNK + 12}\b", refused.output), refused.output  # the line in the file
    frame.loc[2 * CHUNK + 10, "OBS_VALUE"] = 1.0
    frame.to_csv(csv, index=False)
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    assert re.search(rf"{len(frame)}\s+added", result.stderr), result.stderr
    with Store(db) as s:
        assert s.count() == len(frame) and s.loads()["rows_read"].tolist() == [len(frame)]


# Load a tidy CSV in chunks, saying when the load begins; the parent kills it at some moment.
_LOADER = """
import sys
import sandyq
from sandyq.store import LoadReport, Store
fw = sandyq.load_framework()
with Store(sys.argv[1], lock_timeout=0) as s:
    print("loading", flush=True)
    (report,) = sandyq.load_file(s, sys.argv[2], fw, source="wdi", vintage="2025-01-01", chunk_rows=4000)
    print("done", report.added, report.revised, flush=True)
"""


@pytest.mark.slow
def test_a_chunked_load_killed_at_any_moment_leaves_the_store_as_it_was_or_whole(
    tmp_path: Path, framework: Framework
) -> None:
    csv = tmp_path / "tidy.csv"
    frame = _tidy(csv, framework)
    base = tmp_path / "base.duckdb"
    _load(base, csv, framework, WHOLE)
    _tidy(csv, framework, offset=0.5, seed=0)  # every figure revised
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    def start(db: Path) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", _LOADER, str(db), str(csv)], stdout=subprocess.PIPE, text=True, env=env
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "loading"
        return proc

    def state(db: Path) -> tuple[int, int]:
        with Store(db) as s:
            assert s.check().empty
            return s.count(), len(s.loads())

    before = state(base)
    whole = tmp_path / "whole.duckdb"
    shutil.copy(base, whole)
    proc = start(whole)
    began = time.monotonic()
    assert proc.stdout is not None
    assert proc.stdout.readline().split() == ["done", "0", str(len(frame))]
    took = time.monotonic() - began
    proc.wait(timeout=60)
    after = state(whole)
    assert after == (before[0] + len(frame), before[1] + 1)
    outcomes = []
    for fraction in (0.1, 0.5, 0.8, 0.97):
        trial = tmp_path / f"trial-{fraction}.duckdb"
        shutil.copy(base, trial)
        proc = start(trial)
        time.sleep(took * fraction)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        got = state(trial)
        assert got in (before, after), f"killed after {fraction:.0%}: neither before nor after ({got})"
        outcomes.append("unchanged" if got == before else "whole")
    assert outcomes[0] == "unchanged", outcomes
