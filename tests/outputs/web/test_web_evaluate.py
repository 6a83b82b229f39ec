"""The evaluation page and its JSON route on the default store, in three languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sandyq.outputs._language import english_runs_html


def test_json_route(client: TestClient) -> None:
    r = client.get(
        "/api/evaluate/IT.NET.USER.ZS",
        params={"treated": "KAZ", "from": 2018, "donors": "umc", "method": "sc", "lang": "kk"},
    )
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["treated"] == "KAZ" and d["method"] == "sc" and d["language"] == "kk"
    assert len(d["gap"]) == len(d["periods"]) and set(d["placebo"]) == set(d["donors"])
    assert abs(sum(d["weights"].values()) - 1) < 1e-9


def test_json_route_refusals(client: TestClient) -> None:
    assert client.get("/api/evaluate/NOPE").status_code == 404
    assert client.get("/api/evaluate/IT.NET.USER.ZS", params={"treated": "WLD"}).status_code == 400
    assert client.get("/api/evaluate/IT.NET.USER.ZS", params={"method": "magic"}).status_code == 400


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_page_in_each_language(client: TestClient, lang: str) -> None:
    r = client.get(f"/{lang}/evaluate/IT.NET.USER.ZS/", params={"donors": "umc", "method": "sc"})
    assert r.status_code == 200, r.text
    page = r.text
    content = page.split("<h1", 1)[1].split("</main>", 1)[0]
    assert content.count("<svg") == 2 and "<polyline" in content and "<script" not in content  # drawn by the server
    assert 'class="post"' in page and "2018" in page
    if lang != "en":
        assert english_runs_html(page, lang) == []


def test_unknown_indicator_page_is_404(client: TestClient) -> None:
    r = client.get("/en/evaluate/NOPE/")
    assert r.status_code == 404 and "NOPE" in r.text
