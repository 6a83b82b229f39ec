"""The composite-index page's data: the store's Digital Development Index, or a specification it is given."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import sandyq
from sandyq.outputs.web import Unavailable
from sandyq.outputs.web._index import composite_results

ASEM = Path(__file__).resolve().parents[3] / "examples" / "coinr-asem" / "asem.yaml"


def test_a_file_specification_is_built_with_rank_intervals(default_monitor: sandyq.Monitor) -> None:
    res = composite_results(default_monitor, nullcontext(), ASEM)
    assert not isinstance(res, Unavailable)
    assert res["origin"] == str(ASEM) and res["runs"] > 0
    table = res["table"]
    assert (table["rank_q5"] <= table["rank"]).all() and (table["rank"] <= table["rank_q95"]).all()


def test_a_specification_that_cannot_be_read_is_unavailable(default_monitor: sandyq.Monitor, tmp_path: Path) -> None:
    res = composite_results(default_monitor, nullcontext(), tmp_path / "missing.yaml")
    assert isinstance(res, Unavailable) and "could not be read" in res.reason
