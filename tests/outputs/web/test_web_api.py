"""The JSON API in-process: every route, filters, CSV twins, and JSON errors with the right status."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

JSON_ROUTES = [
    "/api/indicators",
    "/api/indicators?programme=digital-kazakhstan&lang=kk",
    "/api/indicators/17-8-1",
    "/api/observations?indicator=17-8-1&geo=KAZ",
    "/api/progress",
    "/api/progress?programme=information-kazakhstan-2020&lang=ru",
    "/api/regions/17-8-1",
    "/api/audit",
    "/api/coverage",
    "/api/glossary?lang=kk",
    "/api/programmes",
    "/api/boundaries/kz-adm1-2024",
    "/data/indicator/17-8-1.json",
    "/data/progress/digital-kazakhstan.json",
    "/data/geo/ne-110m-countries.json",
]
CSV_ROUTES = [
    "/api/indicators.csv",
    "/api/observations.csv?indicator=17-8-1",
    "/api/progress.csv",
    "/api/audit.csv",
    "/api/coverage.csv",
    "/api/glossary.csv",
    "/data/indicators.csv",
    "/data/indicator/17-8-1.csv",
    "/data/progress/digital-kazakhstan.csv",
    "/data/coverage.csv",
    "/data/glossary.csv",
]


def api_routes(routes: Sequence[Any]) -> list[APIRoute]:
    """Every APIRoute, also inside included routers (FastAPI wraps those)."""
    out: list[APIRoute] = []
    for r in routes:
        if isinstance(r, APIRoute):
            out.append(r)
        inner = getattr(r, "original_router", None) or getattr(r, "router", None)
        if inner is not None and hasattr(inner, "routes"):
            out += api_routes(inner.routes)
    return out


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("path", JSON_ROUTES)
def test_json_routes_answer(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 200, res.text
    assert res.headers["content-type"].startswith("application/json")
    assert res.json()


@pytest.mark.parametrize("path", CSV_ROUTES)
def test_csv_routes_answer(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 200, res.text
    assert res.headers["content-type"].startswith("text/csv")
    assert len(rows(res.text)) > 0


def test_index_is_either_computed_or_explained(client: TestClient) -> None:
    res = client.get("/api/index")
    if res.status_code == 503:
        assert "not available" in res.json()["error"]["message"]
    else:
        body = res.json()
        assert res.status_code == 200 and body["units"] and "rank_q5" in body["units"][0]


def test_observations_match_the_published_figures(client: TestClient) -> None:
    # Kazakhstan's SDG platform, 17.8.1: 94.7 % of individuals used the Internet in 2023, 97.4 % in Astana.
    body = client.get("/api/observations?indicator=17-8-1&geo=KAZ,KZNS&start=2023&end=2023").json()
    values = {r["geo"]: r["value"] for r in body["observations"]}
    assert values == {"KAZ": 94.7, "KZ-71": 97.4}
    assert body["count"] == 2
    first = body["observations"][0]
    assert first["unit"] == "PT" and first["source"] == "kz-sdg" and first["vintage"].startswith("2024-10-24")


def test_period_range_is_inclusive(client: TestClient) -> None:
    body = client.get("/api/observations?indicator=17-8-1&geo=KAZ&start=2016&end=2018").json()
    assert [r["period"] for r in body["observations"]] == ["2016", "2017", "2018"]


def test_disaggregation_filter(client: TestClient) -> None:
    totals = client.get("/api/observations?indicator=17-8-1&geo=KAZ").json()["count"]
    women = client.get("/api/observations?indicator=17-8-1&geo=KAZ&dims=SEX=F").json()["observations"]
    every = client.get("/api/observations?indicator=17-8-1&geo=KAZ&dims=*").json()["count"]
    assert women and {r["dims"] for r in women} == {"sex=F"}
    assert every > totals > 0


def test_as_of_hides_later_vintages(client: TestClient) -> None:
    # The SDG platform's figures carry the vintage 2024-10-24: as published on 2024-01-01 there were none.
    before = client.get("/api/observations?indicator=17-8-1&as_of=2024-01-01").json()
    after = client.get("/api/observations?indicator=17-8-1&as_of=2024-10-24").json()
    assert before["count"] == 0 and after["count"] > 0


def test_names_follow_the_language(client: TestClient) -> None:
    ru = client.get("/api/observations?indicator=17-8-1&geo=KZ-71&lang=ru").json()["observations"][0]
    assert ru["geo_name"] == "г. Астана"


def test_source_names_follow_the_language(client: TestClient) -> None:
    # The Bureau of National Statistics under its official name in each language, with all three kept in `names`.
    ru = client.get("/api/indicators/17-8-1?lang=ru").json()["source"]
    kk = client.get("/api/indicators/17-8-1?lang=kk").json()["source"]
    assert ru["publisher"].startswith("Бюро национальной статистики")
    assert kk["publisher"].endswith("Ұлттық статистика бюросы")
    assert ru["names"]["en"].startswith("Kazakhstan SDG national reporting platform")
    page = client.get("/ru/indicator/17-8-1/").text
    assert "Бюро национальной статистики" in page and "Bureau of National Statistics" not in page


def test_csv_variants_carry_unit_source_and_vintage(client: TestClient) -> None:
    for path in ("/api/observations.csv?indicator=17-8-1&geo=KAZ", "/data/indicator/17-8-1.csv", "/api/progress.csv"):
        table = rows(client.get(path).text)
        assert {"unit", "source", "vintage"} <= set(table[0]), path
    obs = rows(client.get("/api/observations.csv?indicator=17-8-1&geo=KAZ&start=2023").text)
    assert obs == [{**obs[0], "value": "94.7", "unit": "PT", "source": "kz-sdg", "vintage": "2024-10-24"}]


def test_xlsx_download(client: TestClient) -> None:
    from openpyxl import load_workbook

    res = client.get("/data/indicator/17-8-1.xlsx")
    assert res.status_code == 200
    book = load_workbook(io.BytesIO(res.content), read_only=True)
    assert book.sheetnames == ["data", "about"]
    header = next(book["data"].iter_rows(values_only=True))
    assert {"unit", "source", "vintage"} <= set(header)


def test_glossary_has_the_table_1_concepts(client: TestClient) -> None:
    terms = client.get("/api/glossary").json()["terms"]
    assert len(terms) == 18
    assert {"id": "digital-economy", "name": "Digital economy"}.items() <= terms[0].items() or any(
        t["id"] == "digital-economy" and t["name"] == "Digital economy" for t in terms
    )


def test_progress_counts_every_target(client: TestClient) -> None:
    body = client.get("/api/progress").json()
    assert body["programme"] == "digital-kazakhstan"
    assert sum(body["counts"].values()) == len(body["targets"]) == 21  # 21 since issue 12


@pytest.mark.parametrize(
    ("path", "column"),
    [
        ("/api/observations?indicator=17-8-1&start=20x", "start"),
        ("/api/observations?indicator=17-8-1&end=2020-Q7", "end"),
        ("/api/observations?indicator=17-8-1&as_of=yesterday", "as_of"),
        ("/api/observations?indicator=17-8-1&dims=sex", "dims"),
        ("/api/observations", "indicator"),
        ("/api/observations.csv", "indicator"),
        ("/api/indicators?lang=de", "lang"),
        ("/api/progress?as_of=2020-13-01", "as_of"),
    ],
)
def test_bad_parameters_are_400_json(client: TestClient, path: str, column: str) -> None:
    res = client.get(path)
    assert res.status_code == 400
    err = res.json()["error"]
    assert err["status"] == 400 and column in (err["message"] + str(err["problems"]))


@pytest.mark.parametrize(
    "path",
    [
        "/api/indicators/no-such-indicator",
        "/api/observations?indicator=no-such-indicator",
        "/api/observations?indicator=17-8-1&geo=ATLANTIS",
        "/api/regions/no-such-indicator",
        "/api/progress?programme=no-such-programme",
        "/api/boundaries/no-such-set",
        "/data/indicator/no-such-indicator.csv",
        "/data/nothing.csv",
        "/api/no-such-route",
    ],
)
def test_unknown_ids_are_404_json(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 404
    err = res.json()["error"]
    assert err["status"] == 404 and err["message"]


def test_openapi_lists_every_route(client: TestClient, web_app: FastAPI) -> None:
    spec = client.get("/api/openapi.json").json()
    routes = {r.path for r in api_routes(web_app.routes) if r.include_in_schema}
    assert routes and routes <= set(spec["paths"])
    assert {"/api/observations", "/api/observations.csv", "/api/indicators/{indicator_id}"} <= routes
    params = {p["name"] for p in spec["paths"]["/api/observations"]["get"]["parameters"]}
    assert {"indicator", "geo", "start", "end", "dims", "as_of"} <= params


def test_no_page_loads_anything_from_the_internet(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN
    html = client.get("/en/indicator/17-8-1/").text
    assert "http://" not in html.replace('href="http', "") and "cdn" not in html.lower()
    js = client.get("/static/sandyq.js").text
    assert "http" not in js.replace("http://www.w3.org/2000/svg", "")


def test_regions_say_their_weights_and_cautions_in_the_language_asked(client: TestClient) -> None:
    en = client.get("/api/regions/17-8-1").json()
    assert en["weighted"] is True and en["weights"].startswith("Population-weighted")
    assert "population-weighted coefficient of variation" in en["sigma"]["verdict"]
    assert "weighted by population" in en["beta"]["verdict"]
    assert len(en["cautions"]) == 1 and "ceiling" in en["cautions"][0]  # Internet users: 92–97 % in every region
    kk = client.get("/api/regions/17-8-1?lang=kk").json()
    assert kk["weights"].startswith("Халық санымен өлшенген") and kk["cautions"][0].startswith("Үлес")
