"""HTML pages in kk, ru and en: every page renders, every UI string is in every catalog, fragments look right."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sandyq.outputs.web import LANGUAGES, Unavailable
from sandyq.outputs.web._i18n import catalog

WEB = Path(str(resources.files("sandyq") / "outputs" / "web"))
PAGES = [
    "",
    "targets/",
    "indicators/",
    "indicator/17-8-1/",
    "indicator/IT.NET.USER.ZS/",
    "indicator/4-4-1/",
    "indicator/kz.cybersecurity_specialists_trained/",
    "regions/",
    "regions/5-b-1/",
    "index/",
    "quality/",
    "glossary/",
    "api/",
    "programme/information-kazakhstan-2020/",
]
NAV = {"kk": "Нысаналар", "ru": "Цели", "en": "Targets"}


def used_msgids() -> set[str]:
    """Every string the templates and modules send through the catalogs."""
    ids: set[str] = set()
    for f in (WEB / "templates").glob("*.html"):
        text = f.read_text(encoding="utf-8")
        ids |= set(re.findall(r"_\(\s*'((?:[^'\\]|\\.)*)'\s*\)", text))
        ids |= set(re.findall(r'_\(\s*"((?:[^"\\]|\\.)*)"\s*\)', text))
    for f in WEB.glob("*.py"):
        text = f.read_text(encoding="utf-8")
        ids |= set(re.findall(r'\bN_\("((?:[^"\\]|\\.)*)"\)', text))
        ids |= set(re.findall(r'\b_\("((?:[^"\\]|\\.)*)",\s*\w+\)', text))
        ids |= set(re.findall(r"\b_\('((?:[^'\\]|\\.)*)',\s*\w+\)", text))
        ids |= set(re.findall(r'gettext\(\w+, "((?:[^"\\]|\\.)*)"\)', text))
    return ids


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_every_language(client: TestClient, lang: str, page: str) -> None:
    res = client.get(f"/{lang}/{page}")
    assert res.status_code == 200, res.text[:500]
    html = res.text
    assert f'<html lang="{lang}">' in html
    assert f">{NAV[lang]}</a>" in html
    for other in LANGUAGES:  # the switcher keeps the page and puts the language in the URL
        assert f'{other}/{page}" hreflang="{other}"' in html


def test_every_catalog_has_every_msgid() -> None:
    used = used_msgids()
    assert len(used) > 150
    for lang in LANGUAGES:
        cat = catalog(lang)
        ids = {m.id for m in cat if m.id}
        assert used - ids == set(), lang
        assert ids - used == set(), f"{lang}: unused msgids"
        if lang != "en":
            empty = [m.id for m in cat if m.id and not m.string]
            assert empty == [], f"{lang}: untranslated {empty[:5]}"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_english_ui_text_on_translated_pages(client: TestClient, lang: str) -> None:
    html = client.get(f"/{lang}/").text
    for english in (
        "Overview",
        "Targets</a>",
        "Data quality",
        "Are we on track?",
        "Directions and tasks",
        "Skip to content",
    ):
        assert english not in html, english


def test_redirects_keep_the_language_in_the_url(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/en/"
    assert client.get("/ru/targets", follow_redirects=False).headers["location"] == "/ru/targets/"


def test_unknown_page_is_a_404_page_in_its_language(client: TestClient) -> None:
    res = client.get("/ru/indicator/no-such-indicator/")
    assert res.status_code == 404 and "Страница не найдена" in res.text


def test_indicator_table_fragment(client: TestClient) -> None:
    html = client.get("/ru/indicator/17-8-1/").text
    # the published figure of the SDG platform, in the Russian number format
    assert '<tr><th scope="row">2023</th><td class="num">94,7</td></tr>' in html
    assert 'href="../../../data/indicator/17-8-1.csv" download' in html
    assert '<script type="application/json" id="payload">' in html


def test_target_row_and_milestones(client: TestClient) -> None:
    html = client.get("/en/indicator/kz.cybersecurity_specialists_trained/").text
    assert '<tr class="target-row"><th scope="row">Target 2021</th><td class="num">500</td></tr>' in html


def test_overview_fragments(client: TestClient) -> None:
    html = client.get("/kk/").text
    assert "<h1>Цифрлық Қазақстан" in html
    assert 'aria-current="page">Шолу</a>' in html
    assert re.search(r'<div class="big">21</div><div>нысана</div>', html)  # 21 targets since issue 12


def test_glossary_has_anchors_for_tags(client: TestClient) -> None:
    html = client.get("/ru/glossary/").text
    assert '<div id="digital-economy" class="term">' in html and "<dt>Цифровая экономика</dt>" in html


def test_unavailable_computation_is_said_plainly(
    client: TestClient, web_app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    dash = web_app.state.dash  # type: ignore[attr-defined]
    monkeypatch.setattr(dash, "audit", lambda: Unavailable("audit", "not landed yet"))
    from sandyq.outputs.web._views import quality_context

    ctx = quality_context(dash, "en")
    assert ctx["findings"] == [] and ctx["findings_missing"].reason == "not landed yet"
    html = web_app.state.pages._page("en", "quality/", "quality", "quality.html", "Q", ctx)  # type: ignore[attr-defined]
    assert "Not available" in html and "not landed yet" in html
