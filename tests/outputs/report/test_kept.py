"""The report's gathered figures kept on disk: read back on the same day and store, gathered anew otherwise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sandyq
from sandyq.outputs._disk import DiskAnswers
from sandyq.outputs.report import Facts, facts_key, kept_gather

PROGRAMME = "digital-kazakhstan"


def test_todays_figures_are_one_file_read_that_day_and_replaced_the_next(tmp_path: Path) -> None:
    with sandyq.connect(tmp_path / "s.duckdb") as m:  # an empty store: gathering is quick, the keeping the same
        facts = kept_gather(m, PROGRAMME, folder=tmp_path / "cache")
        disk = DiskAnswers(tmp_path / "cache", m.store.path)
        key, version = facts_key(m, PROGRAMME, None, None, today="today"), m.store.data_version()
        day, kept = disk.get(key, version)
        assert day == dt.date.today().isoformat() and isinstance(kept, Facts)
        (file,) = (tmp_path / "cache" / "web").glob("*.pickle")
        inode = file.stat().st_ino
        assert kept_gather(m, PROGRAMME, folder=tmp_path / "cache").report == facts.report
        assert file.stat().st_ino == inode  # read back, not written again
        disk.put(key, version, ("2000-01-01", kept))  # as if kept yesterday: gathered again, and the file replaced
        inode = file.stat().st_ino
        kept_gather(m, PROGRAMME, folder=tmp_path / "cache")
        assert file.stat().st_ino != inode and disk.get(key, version)[0] == day
        assert len(list((tmp_path / "cache" / "web").glob("*.pickle"))) == 1
        assert kept_gather(m, PROGRAMME, as_of="2019-06-30", folder=tmp_path / "cache").report.as_of == "2019-06-30"
        assert len(list((tmp_path / "cache" / "web").glob("*.pickle"))) == 2  # a dated report keeps its own
        assert facts_key(m, PROGRAMME, None, None)[2] == dt.date.today().isoformat()  # the dashboard's memory key
