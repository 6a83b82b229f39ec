"""A file that is not a sound sandyq store is refused with a message naming it: never a traceback, never a change."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sandyq.errors import StoreError
from sandyq.framework import Framework
from sandyq.outputs.cli import app
from sandyq.store import Store

runner = CliRunner()


def _frame(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` synthetic observations of one indicator (distinct keys), values in [0, 100)."""
    i = np.arange(n)
    return pd.DataFrame(
        {
            "indicator": "17-8-1",
            "geo": "KAZ",
            "period": (1800 + i % 300).astype(str),
            "dims": "age=Y" + pd.Series(i // 300).astype(str),
            "source": "kz-sdg",
            "value": np.random.default_rng(seed).random(n) * 100,
            "unit": "PT",
            "status": None,
            "note": None,
        }
    )


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory, framework: Framework) -> Path:
    """A sound store of 300,000 observations, some 40 MB on disk."""
    path = tmp_path_factory.mktemp("open") / "sound.duckdb"
    with Store(path) as s:
        s.register_sources([framework.sources["kz-sdg"]])
        s.load_frame(_frame(300_000), file="big.csv", format="tidy", vintage="2024-10-24")
        assert s.check().empty
    return path


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _text(p: Path) -> None:
    p.write_text("INDICATOR,REF_AREA\n17-8-1,KAZ\n", encoding="utf-8")


def _sqlite(p: Path) -> None:
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE observation (x)")
    con.commit()
    con.close()


def _zip(p: Path) -> None:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("a.txt", "a")


def _noise(p: Path) -> None:
    p.write_bytes(np.random.default_rng(1).integers(0, 256, 100_000, dtype=np.uint8).tobytes())


FOREIGN: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (_empty, "the file is empty"),
    "text": (_text, "the file is a text file, not a DuckDB database"),
    "sqlite": (_sqlite, "the file is a SQLite database, not a DuckDB database"),
    "zip": (_zip, "the file is a zip archive"),
    "noise": (_noise, "not a DuckDB database"),
}


@pytest.mark.parametrize("read_only", [False, True], ids=["write", "read"])
@pytest.mark.parametrize("kind", list(FOREIGN))
def test_a_file_that_is_no_duckdb_database_is_refused_unchanged(tmp_path: Path, kind: str, read_only: bool) -> None:
    path = tmp_path / f"{kind}.duckdb"
    make, message = FOREIGN[kind]
    make(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a sandyq store|is empty") as info:
        Store(path, read_only=read_only)
    assert str(path) in str(info.value) and message in str(info.value)
    assert path.read_bytes() == before


def test_a_foreign_duckdb_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (id INTEGER, amount DOUBLE)")
    con.close()
    with pytest.raises(StoreError, match=r"a DuckDB database, but not a sandyq store \(it has the tables sales"):
        Store(path)
    con = duckdb.connect(str(path))
    tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    con.close()
    assert tables == ["sales"]  # nothing was created in it; and it was not left locked


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="this is a folder"):
        Store(tmp_path)


@pytest.mark.parametrize("fraction", [0.0005, 0.05, 0.5, 0.95])
def test_a_truncated_store_is_refused_naming_it(sound: Path, tmp_path: Path, fraction: float) -> None:
    path = tmp_path / "cut.duckdb"
    data = sound.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    try:
        with Store(path, read_only=True) as s:
            problems = s.check()
            s.observations()
    except StoreError as exc:
        assert str(path) in str(exc)
        assert "-readonly" not in str(exc) and "duckdb.org" not in str(exc)
    else:  # what was cut off was not needed to read observations: check says the file is truncated all the same
        file = problems[problems["check"] == "file"]
        assert "the file is truncated" in file["detail"].item()


def _block_of(path: Path, column: str) -> int:
    """Where in the file the first block of an observation column starts."""
    con = duckdb.connect(str(path), read_only=True)
    block = con.execute(
        "SELECT min(block_id) FROM pragma_storage_info('observation') WHERE column_name = ? AND block_id >= 0",
        [column],
    ).fetchall()[0][0]
    size = con.execute("SELECT block_size FROM pragma_database_size()").fetchall()[0][0]
    con.close()
    return 3 * 4096 + int(block) * int(size)


def test_a_damaged_block_is_reported_by_check_and_reads_fail_clearly(sound: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.duckdb"
    data = bytearray(sound.read_bytes())
    start = _block_of(sound, "value")
    data[start + 1000 : start + 2000] = bytes(1000)
    path.write_bytes(bytes(data))
    with Store(path, read_only=True) as s:
        problems = s.check()
        readable = problems[problems["check"] == "readable"]
        assert readable["table"].tolist() == ["observation"]
        assert "Corrupt database file" in readable["detail"].item()
        with pytest.raises(StoreError, match="cannot be read or written as it is") as info:
            s.observations()
        assert str(path) in str(info.value) and "sandyq check" in str(info.value)
    result = runner.invoke(app, ["--db", str(path), "check"])
    assert result.exit_code == 1 and "readable" in result.stdout
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("command", [["show", "17-8-1"], ["check"], ["load", "x.csv"], ["init"]])
def test_the_command_line_says_which_file_is_wrong(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("my notes\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", str(path), *command])
    assert result.exit_code == 2, result.output
    assert f"{path}: not a sandyq store: the file is a text file" in result.stderr
    assert "Traceback" not in result.output + result.stderr
