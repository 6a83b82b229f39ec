"""Issue 15 items 7 and 4: the search box (kk, ru, en, ids; without scripts too) and the embed pages."""

from __future__ import annotations

import html
import json
import re

import pytest
from fastapi.testclient import TestClient

from sandyq.outputs._language import english_runs_html
from sandyq.outputs.web._search import FOLD, fold


def results(client: TestClient, lang: str, query: str) -> list[tuple[str, str]]:
    """(link, name) of each result on the server's search page, in order."""
    res = client.get(f"/{lang}/search/", params={"q": query})
    assert res.status_code == 200, res.text[:300]
    block = re.search(r'<ol class="results">(.*?)</ol>', res.text, re.S)
    found = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', block.group(1)) if block else []
    return [(link, html.unescape(name)) for link, name in found]


def test_a_kazakh_query_finds_the_indicator_in_kazakh(client: TestClient) -> None:
    found = results(client, "kk", "интернетті пайдаланатын халық")
    assert found[0] == ("../../kk/indicator/17-8-1/", "Интернетті пайдаланатын халық үлесі")


def test_kazakh_letters_and_case_do_not_matter(client: TestClient) -> None:
    """Typed on a Russian keyboard ("Акмола" for "Ақмола"), in capitals, the Kazakh name is found."""
    exact = results(client, "kk", "Ақмола облысы")
    assert exact and exact == results(client, "kk", "АКМОЛА ОБЛЫСЫ")
    assert exact[0][0] == "../../kk/regions/?region=KZ-11"
    assert results(client, "kk", "Интернеттi")[0] == results(client, "kk", "интернетті")[0]  # Latin i for і


def test_a_russian_query_finds_the_region_and_the_targets(client: TestClient) -> None:
    assert results(client, "ru", "акмолинская")[0] == ("../../ru/regions/?region=KZ-11", "Акмолинская область")
    links = [link for link, _ in results(client, "ru", "доля населения пользующегося интернетом")]
    assert links[0] == "../../ru/indicator/17-8-1/"
    target = results(client, "ru", "доля пользователей интернет 2018")[0]
    assert target == (
        "../../ru/targets/#target-dk-internet-users-2018",
        "Доля пользователей сети Интернет в населении в 2018 году — 78%.",
    )


def test_an_english_query_finds_the_glossary_terms(client: TestClient) -> None:
    found = dict(results(client, "en", "gini"))
    assert found["../../en/glossary/#term-gini"] == "Gini index"
    assert "../../en/glossary/#term-theil" in dict(results(client, "en", "THEIL"))


def test_an_id_comes_first_and_a_query_in_another_language_links_in_the_pages(client: TestClient) -> None:
    assert results(client, "en", "17-8-1")[0] == (
        "../../en/indicator/17-8-1/",
        "Proportion of individuals using the Internet",
    )
    # a Russian query on the English page: the English name, the English page
    assert results(client, "en", "пользующегося интернетом")[0][0] == "../../en/indicator/17-8-1/"
    assert results(client, "ru", "Akmola")[0] == ("../../ru/regions/?region=KZ-11", "Акмолинская область")
    assert results(client, "en", "no such thing at all") == []


def test_links_of_results_open_pages_with_the_anchor_they_name(client: TestClient) -> None:
    link = next(link for link, _ in results(client, "en", "gini") if "#" in link)
    page = client.get("/en/" + link.removeprefix("../../en/").split("#")[0])
    assert page.status_code == 200 and f'id="{link.split("#")[1]}"' in page.text
    target = next(link for link, _ in results(client, "ru", "интернет") if "targets/#" in link)
    assert f'id="{target.split("#")[1]}"' in client.get("/ru/targets/").text


def test_the_search_box_is_in_the_header_of_every_page_and_works_without_scripts(client: TestClient) -> None:
    for path in ("/kk/", "/ru/indicators/", "/en/indicator/17-8-1/", "/en/glossary/"):
        text = client.get(path).text
        assert re.search(r'<form class="search-box" role="search" action="[./]*\w\w/search/" method="get"', text)
        assert 'name="q"' in text
    res = client.get("/ru/search?q=%D0%B0%D0%BA%D0%BC%D0%BE%D0%BB%D0%B0", follow_redirects=False)
    assert res.status_code == 308 and res.headers["location"] == "/ru/search/?q=%D0%B0%D0%BA%D0%BC%D0%BE%D0%BB%D0%B0"
    assert "Акмолинская область" in client.get(res.headers["location"]).text


def test_the_index_for_the_browser_folds_as_the_server_does(client: TestClient) -> None:
    res = client.get("/data/search.json")
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/json")
    index = json.loads(res.content)
    assert index["fold"] == FOLD and set(FOLD) >= set("әіңғүұқөһ")
    kinds = {it["k"] for it in index["items"]}
    assert kinds == {"indicator", "target", "region", "term"}
    for it in index["items"]:
        assert set(it["n"]) == {"kk", "ru", "en"} and all(it["n"].values()), it["id"]
        assert all(fold(name) in it["h"] for name in it["n"].values())
    assert "search.json" in client.get("/api/openapi.json").text


@pytest.mark.parametrize(
    ("lang", "unit", "source", "vintage"),
    [
        ("en", 'Unit: <span id="embed-unit">percent', "Source", "Vintage"),
        ("ru", 'Единица измерения: <span id="embed-unit">процент', "Источник", "Версия публикации"),
        ("kk", 'Өлшем бірлігі: <span id="embed-unit">пайыз', "Дереккөз", "Жариялану нұсқасы"),
    ],
)
def test_the_embed_page_shows_title_unit_source_and_vintage(
    client: TestClient, lang: str, unit: str, source: str, vintage: str
) -> None:
    page = client.get(f"/{lang}/indicator/17-8-1/").text
    heading = re.search(r"<h1>([^<]+)</h1>", page)
    assert heading is not None
    title = heading.group(1)
    res = client.get(f"/{lang}/embed/indicator/17-8-1/?geo=KAZ,KZ-71&rel=1")
    assert res.status_code == 200
    text = res.text
    assert f'<h1 class="embed-title">{title}</h1>' in text
    assert unit in text
    assert f'{source}: <span id="embed-source">' in text and f'{vintage}: <span id="embed-vintage">' in text
    assert f'data-from="../../../../{lang}/indicator/17-8-1/"' in text and 'data-page="embed"' in text
    assert 'class="top"' not in text  # no header, no navigation: the chart alone
    assert f'<iframe src="../../../{lang}/embed/indicator/17-8-1/"' in html.unescape(page)
    assert client.get(f"/{lang}/embed/indicator/no-such-indicator/").status_code == 404


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_search_and_embed_pages_read_in_their_language(client: TestClient, lang: str) -> None:
    for path in ("search/?q=internet", "search/?q=gini", "embed/indicator/17-8-1/"):
        assert english_runs_html(client.get(f"/{lang}/{path}").text, lang) == [], path


def test_the_search_has_a_json_twin(client: TestClient) -> None:
    res = client.get("/api/search", params={"q": "ақмола", "lang": "ru", "limit": 3})
    assert res.status_code == 200
    body = res.json()
    assert body["results"][0] == {
        "kind": "region",
        "id": "KZ-11",
        "name": "Акмолинская область",
        "names": {"kk": "Ақмола облысы", "ru": "Акмолинская область", "en": "Akmola Region"},
        "url": "/ru/regions/?region=KZ-11",
    }
    assert len(client.get("/api/search", params={"q": "интернет", "limit": 3}).json()["results"]) == 3
    assert client.get("/api/search", params={"q": "x", "lang": "de"}).status_code == 400
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 400
