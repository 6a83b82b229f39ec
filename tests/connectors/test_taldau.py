"""The Taldau connector on recorded responses (see fixtures/README.md): values, suppression, cache, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandyq import write_batch
from sandyq.connectors import ConnectorError, HttpClient, Response, fetch_taldau, read_taldau
from sandyq.connectors.taldau import term_geo
from sandyq.errors import LoadError
from sandyq.framework import Framework
from sandyq.store import Store
from tests.connectors.recorded import FakeClock, Recorded, recorded_json

# Published by the Bureau of National Statistics (Taldau; bundled in data/kz-bns-ict-national).
ICT_SPECIALISTS = {"2016": 34011, "2020": 36642, "2024": 43413}
COMPUTERS_ONLINE = {"2004": None, "2019": 925759, "2024": 1092530}


def test_fetch_loads_national_totals_with_unit_source_vintage(
    store: Store, framework: Framework, client: HttpClient
) -> None:
    report = write_batch(store, fetch_taldau(framework, 19096214, client=client, vintage="2026-11-01"))
    assert (report.added, report.source) == (9, "taldau")
    obs = store.observations("ict_specialists", source="taldau").set_index("period")
    assert set(obs["geo"]) == {"KAZ"} and set(obs["unit"]) == {"PERSONS"}
    for period, value in ICT_SPECIALISTS.items():
        assert obs.loc[period, "value"] == value
    assert {str(v)[:10] for v in obs["vintage"]} == {"2026-11-01"}
    assert "taldau" in set(store.sources()["id"])


def test_suppressed_value_is_not_loaded_but_recorded(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded
) -> None:
    body = recorded_json("taldau/703651-data.json")
    periods = body[0]["periods"]  # type: ignore[index]
    assert periods[15]["date"] == "31.12.2019"
    periods[15]["value"] = "x"  # the publisher's mark for a confidential cell
    transport.override("GetIndexData/703651", body)
    report = write_batch(store, fetch_taldau(framework, 703651, client=client))
    assert report.added == 21 and len(report.issues) == 1 and "suppressed" in report.issues[0].message
    obs = store.observations("computers_internet_connected", source="taldau").set_index("period")
    assert "2019" not in obs.index and obs.loc["2024", "value"] == COMPUTERS_ONLINE["2024"]
    issues = store.load_issues()
    assert list(issues["kind"]) == ["suppressed"] and list(issues["period"]) == ["2019"]


def test_second_run_uses_the_cache(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded, tmp_path: Path
) -> None:
    write_batch(store, fetch_taldau(framework, 19096214, client=client))
    assert len(transport.calls) == 4
    again = HttpClient(cache_dir=tmp_path / "cache", transport=transport)
    report = write_batch(store, fetch_taldau(framework, 19096214, client=again))
    assert len(transport.calls) == 4 and again.stats.cache_hits == 4 and report.added == 0
    fresh = HttpClient(cache_dir=tmp_path / "cache", transport=transport, refresh=True, min_interval=0)
    write_batch(store, fetch_taldau(framework, 19096214, client=fresh))
    assert len(transport.calls) == 8


def test_requests_are_rate_limited(framework: Framework, tmp_path: Path, transport: Recorded, clock: FakeClock) -> None:
    polite = HttpClient(cache_dir=tmp_path / "c", transport=transport, clock=clock, sleep=clock.sleep, min_interval=2.0)
    read_taldau(19096214, "ict_specialists", client=polite)
    assert clock.sleeps == [2.0, 2.0, 2.0]  # four requests to one host, two seconds apart


def test_refused_request_names_url_and_status(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded
) -> None:
    transport.override("GetIndexData", Response(403, "<html>Access denied</html>", reason="Forbidden"))
    with pytest.raises(ConnectorError) as info:
        write_batch(store, fetch_taldau(framework, 703651, client=client))
    assert "GetIndexData/703651" in info.value.summary and "HTTP 403 Forbidden" in info.value.summary
    assert "refused access" in info.value.problems[0].message
    assert client.stats.retries == 0  # a refusal is not retried
    assert store.count() == 0 and store.loads().empty


def test_failure_then_success_is_retried(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded, clock: FakeClock
) -> None:
    ok = Response(200, (Path(__file__).parent / "fixtures" / "taldau" / "19096214-periods.json").read_text("utf-8"))
    transport.override("GetPeriodList", Response(502, "bad gateway"), ok)
    report = write_batch(store, fetch_taldau(framework, 19096214, client=client))
    assert report.added == 9 and client.stats.retries == 1 and 2.0 in clock.sleeps


@pytest.mark.parametrize(
    ("part", "answer", "message"),
    [
        ("GetIndexAttributes", {"unit": "единица"}, "expected an object with 'measureName'"),
        ("GetPeriodList", {"periods": []}, "expected a list of {id, name}"),
        ("GetSegmentList", [{"dic": 67}], "expected a list of {dicId, names, termIds}"),
        (
            "GetIndexData",
            [{"terms": [741880], "termNames": ["Республика Казахстан"], "values": []}],
            "expected [{terms, termNames, periods",
        ),
        (
            "GetIndexData",
            [{"terms": [741880, 1], "termNames": ["Республика Казахстан"], "periods": []}],
            "1 term(s) per row",
        ),
        ("GetIndexData", "<!DOCTYPE html><html><body>Пожалуйста, подождите</body></html>", "expected JSON"),
    ],
    ids=["attributes", "periods", "segments", "data shape", "data terms", "html page"],
)
def test_unexpected_payload_is_refused(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded, part: str, answer: object, message: str
) -> None:
    transport.override(part, answer)
    with pytest.raises(ConnectorError) as info:
        write_batch(store, fetch_taldau(framework, 19096214, client=client))
    assert part in info.value.problems[0].file and message in info.value.problems[0].message
    assert store.count() == 0


def test_unit_that_does_not_match_is_refused(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded
) -> None:
    transport.override("GetIndexAttributes", {"measureName": "тысяч человек"})
    with pytest.raises(LoadError, match="unit does not match ict_specialists") as info:
        write_batch(store, fetch_taldau(framework, 19096214, client=client))
    assert "(TH_PERSONS), the indicator is in PERSONS" in info.value.problems[0].message
    assert store.count() == 0


def test_region_term_that_matches_no_region_is_refused(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded
) -> None:
    body = recorded_json("taldau/19096214-data.json")
    body[0]["terms"], body[0]["termNames"] = [1234567], ["Байконур"]  # type: ignore[index]
    transport.override("GetIndexData", body)
    with pytest.raises(LoadError) as info:
        write_batch(store, fetch_taldau(framework, 19096214, client=client))
    assert "region term 1234567 'Байконур' matches no ISO 3166-2:KZ region" in info.value.problems[0].message
    assert store.count() == 0


def test_index_without_annual_series_lists_what_exists(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded
) -> None:
    transport.override("GetPeriodList", [{"id": 4, "name": "Месяц"}, {"id": 6, "name": "Полугодие"}])
    with pytest.raises(LoadError, match="has no year series") as info:
        write_batch(store, fetch_taldau(framework, 19096214, client=client))
    assert "4 (Месяц), 6 (Полугодие)" in info.value.problems[0].message


def test_unmapped_index_needs_an_indicator(
    store: Store, framework: Framework, client: HttpClient, transport: Recorded
) -> None:
    with pytest.raises(LoadError, match="give --indicator"):
        write_batch(store, fetch_taldau(framework, 999, client=client))
    assert transport.calls == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Республика Казахстан", "KAZ"),
        ("г.Астана", "KZ-71"),
        ("г. Нур-Султан", "KZ-71"),
        ("г.Алматы", "KZ-75"),
        ("Туркестанская область", "KZ-61"),
        ("Южно-Казахстанская область", "KZ-YUZ"),
        ("область Ұлытау", "KZ-62"),
        ("ВОСТОЧНО-КАЗАХСТАНСКАЯ ОБЛАСТЬ", "KZ-63"),
        ("Байконур", None),
    ],
)
def test_region_terms_map_to_iso_codes(name: str, code: str | None) -> None:
    assert term_geo(name) == code
