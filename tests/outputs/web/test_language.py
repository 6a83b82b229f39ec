"""Kazakh and Russian pages read in Kazakh and Russian: no run of three English words outside codes and names.

The checker (:mod:`sandyq.outputs._language`) runs over the pages made clean so far — the glossary, the
indicators list, the API page, an indicator's sources — and over the page chrome (header, menus, footer) of every page.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from sandyq.outputs._language import english_runs, english_runs_html

PAGES = ["", "targets/", "indicators/", "indicator/17-8-1/", "regions/", "index/", "quality/", "glossary/", "api/"]


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize(
    "page",
    [
        "glossary/",
        "indicators/",
        "api/",
        "",
        "targets/",
        "indicator/17-8-1/",
        "indicator/5-b-1/",
        "regions/",
        "quality/",
        "index/",
    ],
)
def test_clean_pages_have_no_english_sentence(client: TestClient, language: str, page: str) -> None:
    assert english_runs_html(client.get(f"/{language}/{page}").text, language) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_page_chrome_has_no_english_sentence(client: TestClient, language: str) -> None:
    for page in PAGES:
        html = client.get(f"/{language}/{page}").text
        chrome = re.sub(r"<main\b.*</main>", "", html, flags=re.DOTALL)
        assert "<header" in chrome and "<footer" in chrome
        assert english_runs_html(chrome, language) == [], page


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_sources_on_an_indicator_page_are_in_the_language(client: TestClient, language: str) -> None:
    html = client.get(f"/{language}/indicator/17-8-1/").text
    dl = re.search(r'<dl class="meta.*?</dl>', html, flags=re.DOTALL)
    block = dl.group(0) if dl else html
    assert english_runs_html(block, language) == []


def test_the_checker_finds_what_the_issue_found() -> None:
    # The issue's own examples: the projection sentence and the CLI title in Kazakh.
    assert english_runs("Болжам: Projected 97.83 in 2028 (5 years after the latest value)")
    assert english_runs("Цифрлық Қазақстан — progress as of 2026-12-03, no data")
    # A name, a code, a quotation and a sentence in Russian pass.
    assert (
        english_runs("Источник: World Development Indicators, IT.NET.USER.ZS; «Kazakhstanis' digital literacy level»")
        == []
    )
    assert (
        english_runs(
            "Всемирный банк: Показатели мирового развития (CC BY 4.0), через datasets/world-development-indicators."
        )
        == []
    )


def test_a_short_series_says_why_it_has_no_projection_in_the_language(client: TestClient) -> None:
    # Digital literacy has one national value in the bundled data: no projection, and the reason in Russian.
    html = client.get("/ru/indicator/kz.digital_literacy/").text
    assert "менее двух годовых значений национального ряда" in html and "fewer than two" not in html


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_target_reason_and_projection_is_in_the_language(client: TestClient, language: str) -> None:
    # The targets page carries every target's status reason, projection note and probability sentence.
    html = client.get(f"/{language}/targets/").text
    assert english_runs_html(html, language) == []
    assert "No projection" not in html and "The value moved" not in html and "Probability that" not in html


def test_the_projection_sentence_of_an_indicator_reads_in_russian(client: TestClient) -> None:
    # The issue's example ("Болжам: Projected 97.83 in 2028 …"): the sentence and its numbers in the language.
    ru = client.get("/ru/indicator/17-8-1/").text
    kk = client.get("/kk/indicator/17-8-1/").text
    assert "Прогноз на 2028 год:" in ru and "интервал прогноза 95 %" in ru and "Projected" not in ru
    assert "2028 жылға болжам:" in kk and "95 % болжам аралығы" in kk


def test_audit_findings_and_load_issues_read_in_the_language(client: TestClient) -> None:
    # The data-quality page: a boundary change names the region and the change in Russian, a jump its reasons,
    # a value set aside at load its bounds; numbers keep their printed digits with the locale's decimal comma.
    ru = client.get("/ru/quality/").text
    assert "KZ-61 (Туркестанская область): ряд за 2015–2019 гг. охватывает изменение границ 2018-06-19" in ru
    assert "предупреждение: не менее 20 единиц разброса" in ru and "robust scales" not in ru
    assert "выходит за пределы, допустимые для единицы PT: [0, 100]; исключено, не загружено" in ru
    kk = client.get("/kk/quality/").text
    assert "кілт басқа 89,2 мәнімен қайталанған; бірінші жол сақталды" in kk


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_json_explanations_follow_the_lang_parameter(client: TestClient, language: str) -> None:
    # The JSON API says its explanation fields (findings, tolerances, regional notes, projection notes, index notes)
    # in the request's language; codes, ids and numbers stay as they are, and English is the default.
    audit = client.get(f"/api/audit?lang={language}").json()["findings"]
    assert [f for f in audit if english_runs(f["message"]) or english_runs(f["tolerance"])] == []
    regions = client.get(f"/api/regions/17-8-1?lang={language}").json()
    notes = [r["note"] for rows in regions["ranking"].values() for r in rows if r.get("note")]
    assert notes and [n for n in notes if english_runs(n)] == []
    index = client.get(f"/api/index?lang={language}").json()
    assert [n for n in index["notes"] if english_runs(n)] == []
    progress = client.get(f"/api/progress?lang={language}").json()
    assert [t["projection_note"] for t in progress["targets"] if english_runs(t["projection_note"] or "")] == []
    english = client.get("/api/progress").json()
    assert any(str(t["projection_note"]).startswith("No projection") for t in english["targets"])
