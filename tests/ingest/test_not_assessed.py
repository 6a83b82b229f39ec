""" "Not assessed" is not zero: the EGDI file's placeholders become load issues, never figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sandyq
from sandyq.errors import LoadError
from sandyq.framework import Framework
from sandyq.ingest import NotAssessed, read_file

from ..conftest import CONTENT

EGDI = CONTENT / "data" / "egdi" / "egdi_2010_2022_long.csv"
COLUMNS = {"e-gov-index": "EGDI", "e-gov-rank": "EGDI.RANK", "e-pat-index": "EGDI.EPI", "osi": "EGDI.OSI"}
COLUMNS |= {"hci": "EGDI.HCI", "tii": "EGDI.TII"}
ZEROS = {"e-gov-index": ["0", "0.0"], "osi": ["0", "0.0"], "e-pat-index": ["0", "0.0"]}


def _read(framework: Framework, not_assessed: object) -> sandyq.ingest.Batch:
    return read_file(
        EGDI,
        framework,
        format="panel",
        source="un-egov",
        columns=COLUMNS,
        ignore=["country-name"],
        not_assessed=not_assessed,  # type: ignore[arg-type]
    )


def test_row_marked_not_assessed_sets_its_zeros_aside(framework: Framework) -> None:
    batch = _read(framework, {"when": "e-gov-index", "values": ZEROS})
    issues = batch.issue_rows
    assert issues is not None and set(issues["kind"]) == {"not_assessed"}
    # SOURCE note: Libya, Central African Republic and Guinea have EGDI = 0 and OSI = 0 in 2012 (not assessed).
    y2012 = issues[issues["period"] == "2012"]
    assert set(y2012["geo"]) == {"LBY", "CAF", "GIN"}
    assert sorted(y2012.groupby("indicator").size().items()) == [("EGDI", 3), ("EGDI.EPI", 3), ("EGDI.OSI", 3)]
    assert len(issues) == 22  # with the nine 2010 rows of EGDI 0 (no Human Capital Index that year)
    staged = batch.staged
    libya = staged[(staged["geo"] == "LBY") & (staged["period"] == "2012")].set_index("indicator")["value"]
    assert "EGDI" not in libya and "EGDI.OSI" not in libya
    assert libya["EGDI.HCI"] == pytest.approx(0.85018)  # the assessed components stay
    # a real e-participation score of 0 in an assessed row stays a figure
    epi = staged[(staged["indicator"] == "EGDI.EPI") & (staged["value"] == 0)]
    assert len(epi) == 53 - 3 - 3


def test_without_when_every_listed_cell_is_not_assessed(framework: Framework) -> None:
    batch = _read(framework, {"e-gov-index": ["0.0"]})
    assert batch.issue_rows is not None and len(batch.issue_rows) == 12  # 9 in 2010, 3 in 2012


def test_a_bad_option_is_refused() -> None:
    with pytest.raises(LoadError, match="'when' must name one of the columns"):
        NotAssessed.of({"when": "osi", "values": {"e-gov-index": ["0"]}})


def test_default_store_has_gaps_not_zeros(default_monitor: sandyq.Monitor) -> None:
    osi = default_monitor.observations("EGDI.OSI", "LBY").set_index("year")["value"]
    assert 2012 not in osi.index and osi.loc[2014] > 0
    issues = default_monitor.store.load_issues()
    marked = issues[(issues["kind"] == "not_assessed") & (issues["geo"] == "LBY")]
    assert set(zip(marked["indicator"], marked["period"], strict=True)) == {
        ("EGDI", "2012"),
        ("EGDI.OSI", "2012"),
        ("EGDI.EPI", "2012"),
    }
    assert isinstance(marked, pd.DataFrame) and Path(marked["file"].iloc[0]).name == EGDI.name
