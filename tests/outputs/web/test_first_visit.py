"""Issue 15 item 8: a first visit does not wait for the slow answers; a restart does not compute them again."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

from sandyq.outputs._disk import DiskAnswers
from sandyq.outputs.web._data import Dashboard
from sandyq.outputs.web._pages import Pages
from sandyq.outputs.web._unavailable import Unavailable


def test_an_answer_kept_on_disk_is_read_by_the_next_run_of_the_same_store(default_db: Path, tmp_path: Path) -> None:
    first = Dashboard(default_db, disk=DiskAnswers(tmp_path, default_db))
    try:
        with first.reader.lease():
            assert first.kept("answer", lambda: {"value": 42}) == {"value": 42}
            version = first.monitor.store.data_version()
    finally:
        first.close()
    assert version > 0
    assert len(list((tmp_path / "web").glob(f"*-{version}-*.pickle"))) == 1

    def recompute() -> dict[str, int]:
        raise AssertionError("computed again although kept")

    again = Dashboard(default_db, disk=DiskAnswers(tmp_path, default_db))
    try:
        with again.reader.lease():
            assert again.kept("answer", recompute) == {"value": 42}
    finally:
        again.close()
    other = DiskAnswers(tmp_path, default_db.with_name("other.duckdb"))  # another store never reads these files
    assert other.get("answer", version) is None


def test_a_page_waiting_for_the_index_renders_at_once_then_complete(default_db: Path) -> None:
    dash = Dashboard(default_db)
    dash.warm_languages = ("en",)  # as under `sandyq serve`, which warms the slow answers in the background
    pages = Pages(dash)
    try:
        with dash.deferring() as pending:
            result = dash.composite()
            html = pages.render("en", "index/")
        assert isinstance(result, Unavailable) and result.pending
        assert pending == ["index", "index"]
        assert 'http-equiv="refresh"' in html and "These figures are being computed" in html
        for t in threading.enumerate():
            if t.name == "sandyq-compute":
                t.join(timeout=300)
        with dash.deferring() as pending:
            html = pages.render("en", "index/")
        assert pending == []
        assert 'http-equiv="refresh"' not in html and "being computed" not in html
        assert "Digital Development Index" in html
    finally:
        dash.close()


def test_nothing_is_deferred_unless_the_dashboard_warms_itself(default_db: Path) -> None:
    """Tests, build-site and a dashboard without warming compute what a page needs before answering."""
    dash = Dashboard(default_db)
    try:
        with dash.deferring() as pending:
            assert dash._slow("index", "cheap", lambda: 1) == 1
        assert pending == []
        dash.warm_languages = ("en",)
        with dash.deferring() as pending:
            assert isinstance(dash._slow("index", "cheap", lambda: 1), Unavailable)
        assert pending == ["index"]
    finally:
        dash.close()


def test_an_indicator_json_file_holds_every_figure_of_its_csv_in_fewer_bytes(client: TestClient) -> None:
    """build-site writes one per indicator: the JSON names the indicator, unit and places once, not per row."""
    body = client.get("/data/indicator/17-8-1.json")
    csv = client.get("/data/indicator/17-8-1.csv")
    data = body.json()
    assert data["indicator"]["id"] == "17-8-1" and data["indicator"]["unit"] == "PT"
    assert data["geos"]["KAZ"] == "Kazakhstan"
    rows = [dict(zip(data["columns"], r, strict=True)) for r in data["rows"]]
    table = pd.read_csv(io.BytesIO(csv.content), keep_default_na=False, dtype={"period": str})
    assert len(rows) == len(table) > 100
    assert sorted((r["geo"], r["period"], r["dims"], round(r["value"], 9)) for r in rows) == sorted(
        zip(table["geo"], table["period"], table["dims"], table["value"].astype(float).round(9), strict=True)
    )
    assert {r["vintage"] for r in rows} == set(table["vintage"])
    assert len(body.content) < len(csv.content)  # with the metadata, and still smaller than the CSV


def test_an_indicator_page_shows_its_figures_at_once_and_its_projection_and_peers_next(default_db: Path) -> None:
    dash = Dashboard(default_db)
    dash.warm_languages = ("en",)  # as under `sandyq serve`
    pages = Pages(dash)
    try:
        with dash.deferring() as pending:
            html = pages.render("en", "indicator/17-8-1/")
        assert pending == ["indicator"]
        assert 'http-equiv="refresh"' in html and "These figures are being computed" in html
        assert '"light":true' in html and '"peers":{}' in html
        assert ",94.7," in html  # the national series, 2023, is there from the first request
        for t in threading.enumerate():
            if t.name == "sandyq-compute":
                t.join(timeout=300)
        with dash.deferring() as pending:
            html = pages.render("en", "indicator/17-8-1/")
        assert pending == []
        assert 'http-equiv="refresh"' not in html and '"light":true' not in html
        assert '"peers":{"KZ-10":[' in html and '"available":true' in html
    finally:
        dash.close()
