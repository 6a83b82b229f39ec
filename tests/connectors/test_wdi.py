"""The World Bank connector on recorded API v2 responses (see fixtures/README.md): values, vintage, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import wbgapi

from sandyq import write_batch
from sandyq.connectors import ConnectorError, HttpClient, Response, fetch_wdi, read_wdi
from sandyq.errors import LoadError
from sandyq.framework import Framework
from sandyq.store import Store
from tests.connectors.recorded import FakeClock, Recorded, recorded_json

CODES = ["IT.CEL.SETS.P2", "IT.NET.BBND.P2"]
COUNTRIES = ["KAZ", "KGZ", "UZB"]


def _fetch(store: Store, framework: Framework, client: HttpClient, **kw: object) -> object:
    return write_batch(store, fetch_wdi(framework, CODES, COUNTRIES, 2018, 2023, client=client, **kw))  # type: ignore[arg-type]


# Published WDI values (World Bank, as bundled in data/country-panel/digital_panel_wide.csv).
PUBLISHED = [
    ("IT.CEL.SETS.P2", "KAZ", "2023", 127.115),
    ("IT.CEL.SETS.P2", "UZB", "2023", 106.885),
    ("IT.CEL.SETS.P2", "KGZ", "2018", 137.742),
    ("IT.NET.BBND.P2", "KAZ", "2023", 14.3457),
    ("IT.NET.BBND.P2", "KAZ", "2018", 13.0002),
]


def test_fetch_loads_published_values_with_unit_source_and_vintage(
    store: Store, framework: Framework, client: HttpClient
) -> None:
    report = _fetch(store, framework, client)
    assert report.added == 36 and report.source == "wdi-api"  # type: ignore[attr-defined]
    assert f"{report.vintage:%Y-%m-%d}" == "2026-07-01"  # type: ignore[attr-defined]  # the API's lastupdated
    obs = store.observations(source="wdi-api").set_index(["indicator", "geo", "period"])
    for code, geo, period, value in PUBLISHED:
        row = obs.loc[(code, geo, period)]
        assert row["value"] == pytest.approx(value, abs=1e-9)
        assert row["unit"] == "PER_100" and str(row["vintage"]).startswith("2026-07-01")
    assert "wdi-api" in set(store.sources()["id"])


def test_explicit_vintage_wins(store: Store, framework: Framework, client: HttpClient) -> None:
    report = _fetch(store, framework, client, vintage="2026-08-15")
    assert f"{report.vintage:%Y-%m-%d}" == "2026-08-15"  # type: ignore[attr-defined]


def test_second_run_is_served_from_the_cache(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded, tmp_path: Path
) -> None:
    _fetch(store, framework, client)
    asked = len(transport.calls)
    again = HttpClient(cache_dir=tmp_path / "cache", transport=transport)
    report = _fetch(store, framework, again)
    assert len(transport.calls) == asked and again.stats.cache_hits == 2
    assert report.added == 0 and report.unchanged == 36  # type: ignore[attr-defined]
    offline = HttpClient(cache_dir=tmp_path / "cache", offline=True)  # no transport at all
    assert len(read_wdi(CODES, COUNTRIES, 2018, 2023, client=offline).long) == 36


def test_paged_answers_are_joined(client: HttpClient, transport: Recorded, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wbgapi, "per_page", 10)
    result = read_wdi(["IT.CEL.SETS.P2"], COUNTRIES, 2018, 2023, client=client)
    assert len(transport.calls) == 2 and "page=2" in transport.calls[1]
    assert len(result.long) == 18 and result.long["REF_AREA"].value_counts().to_dict() == dict.fromkeys(COUNTRIES, 6)


def test_http_error_names_url_and_status_and_loads_nothing(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded, clock: FakeClock
) -> None:
    transport.override("IT.NET.BBND.P2", Response(503, "<html>Service Unavailable</html>", reason="Unavailable"))
    with pytest.raises(ConnectorError) as info:
        _fetch(store, framework, client)
    assert "IT.NET.BBND.P2" in info.value.summary and "HTTP 503" in info.value.summary
    assert "the service failed" in info.value.problems[0].message
    assert client.stats.retries == 2 and clock.sleeps.count(2.0) >= 1 and 4.0 in clock.sleeps  # back-off 2 s, 4 s
    assert store.count() == 0 and store.loads().empty


def test_api_message_is_reported(store: Store, framework: Framework, client: HttpClient, transport: Recorded) -> None:
    # The API's documented error answer: a header carrying a message and no rows.
    transport.override(
        "IT.CEL.SETS.P2",
        [{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}],
    )
    with pytest.raises(ConnectorError, match="refused the request") as info:
        _fetch(store, framework, client)
    assert "Invalid value: The provided parameter value is not valid" in info.value.problems[0].message
    assert store.count() == 0


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda rows: rows[0].pop("date"), "row lacks indicator/country/date/value"),
        (lambda rows: rows[0].__setitem__("value", "127,1"), "is not a number"),
    ],
    ids=["row without date", "value as text"],
)
def test_unexpected_rows_are_refused(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded, mutate: object, message: str
) -> None:
    body = recorded_json("wdi/IT.CEL.SETS.P2.json")
    mutate(body[1])  # type: ignore[index,operator]
    transport.override("IT.CEL.SETS.P2", body)
    with pytest.raises(ConnectorError) as info:
        _fetch(store, framework, client)
    assert message in info.value.problems[0].message and store.count() == 0


def test_not_json_is_refused(store: Store, framework: Framework, client: HttpClient, transport: Recorded) -> None:
    transport.override("IT.CEL.SETS.P2", "<?xml version='1.0'?><wb:error/>")
    with pytest.raises(ConnectorError, match="did not answer JSON"):
        _fetch(store, framework, client)
    assert store.count() == 0


def test_value_failing_validation_loads_nothing(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded
) -> None:
    body = recorded_json("wdi/IT.NET.BBND.P2.json")
    body[1][3]["value"] = -14.0  # type: ignore[index]
    transport.override("IT.NET.BBND.P2", body)
    with pytest.raises(LoadError, match="nothing was loaded") as info:
        _fetch(store, framework, client)
    assert any("outside what unit PER_100 allows" in p.message and p.row == 22 for p in info.value.problems)
    assert store.count() == 0


@pytest.mark.parametrize(
    ("codes", "countries", "message"),
    [
        (["NOT.A.CODE"], ["KAZ"], "'NOT.A.CODE' is not in the framework"),
        (["IT.CEL.SETS.P2"], ["ZZZ"], "unknown country or aggregate code 'ZZZ'"),
    ],
    ids=["unknown indicator", "unknown country"],
)
def test_bad_request_is_refused_before_any_request(
    store: Store,
    framework: Framework,
    client: HttpClient,
    transport: Recorded,
    codes: list[str],
    countries: list[str],
    message: str,
) -> None:
    with pytest.raises(LoadError) as info:
        write_batch(store, fetch_wdi(framework, codes, countries, client=client))
    assert any(message in p.message for p in info.value.problems)
    assert transport.calls == []


def test_wbgapi_is_left_as_it_was(store: Store, framework: Framework, client: HttpClient, transport: Recorded) -> None:
    original = wbgapi._queryAPI
    transport.override("IT.CEL.SETS.P2", Response(404, "not found"))
    with pytest.raises(ConnectorError, match="HTTP 404"):
        _fetch(store, framework, client)
    assert wbgapi._queryAPI is original


def test_fixtures_say_they_are_reconstructed() -> None:
    readme = (Path(__file__).parent / "fixtures" / "README.md").read_text(encoding="utf-8")
    assert "reconstructed offline" in readme and "no network" in readme
    assert json.loads((Path(__file__).parent / "fixtures" / "recordings.json").read_text(encoding="utf-8"))


def test_code_without_figures_is_reported(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded
) -> None:
    header = recorded_json("wdi/IT.NET.BBND.P2.json")[0]  # type: ignore[index]
    transport.override("IT.NET.BBND.P2", [{**header, "total": 0, "pages": 0}, None])  # the API's empty answer
    report = _fetch(store, framework, client)
    assert report.added == 18  # type: ignore[attr-defined]
    assert [p.message for p in report.issues] == [  # type: ignore[attr-defined]
        "the World Bank published no figure of IT.NET.BBND.P2 for KAZ, KGZ, UZB in 2018–2023"
    ]
