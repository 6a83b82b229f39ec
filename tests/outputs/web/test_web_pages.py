"""HTML pages in kk, ru and en: every page renders, every UI string is in every catalog, fragments look right."""

from __future__ import annotations

import json
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
    "programme/digital-kazakhstan-2020-draft/",
    "indicator/dk.digital_literacy/",
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
        ids |= set(re.findall(r'\bsummary="((?:[^"\\]|\\.)*)"', text))  # API routes: the API page translates them
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


def test_targets_page_answers_with_units_and_the_other_sources(client: TestClient) -> None:
    """Issue 12: every target with its unit, the source it is judged on and the other publishers beside it."""
    html = client.get("/en/targets/").text
    row = re.search(
        r'<tr data-programme="digital-kazakhstan"[^>]*>(?:(?!</tr>).)*?'
        r"Digital literacy of the population — 77 %.*?</tr>",
        html,
        re.S,
    )
    assert row is not None
    cells = row.group(0)
    assert "87.3 %" in cells and "83.0 %" in cells and "Also: 85.3 % (2021)" in cells
    assert "Owner of the data: Bureau of National Statistics" in cells
    assert "No projection needed: the data reach the target year 2022." in cells
    assert "2 trillion tenge" in html or "2.0 trillion tenge" in html
    assert "superseded draft, kept for history" in html


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "How sure are the probabilities?"), ("ru", "Насколько надёжны вероятности?"),
     ("kk", "Ықтималдықтар қаншалықты сенімді?")],
)  # fmt: skip
def test_targets_page_shows_how_sure_the_probabilities_are(client: TestClient, lang: str, heading: str) -> None:
    """Issue 13: the reliability diagram and table and the Brier skill of the calibration the projections use."""
    from sandyq.analytics.progress import DEFAULT_CALIBRATION

    html = client.get(f"/{lang}/targets/").text
    section = html[html.index('<section id="how-sure"') :]
    assert heading in section and "<svg" in section
    bins = DEFAULT_CALIBRATION.events["reliability"]
    assert section.count("<circle") == len(bins) == 10
    assert section.count("<tr><td>") == 10
    brier = f"{DEFAULT_CALIBRATION.events['brier']:.3f}"
    assert (brier if lang == "en" else brier.replace(".", ",")) in section


def test_probability_says_what_it_is_the_probability_of(client: TestClient) -> None:
    html = client.get("/en/targets/").text
    assert re.search(r"Probability that “[^”]+” (reaches|falls to) [^<]+ by \d{4}", html)


def test_overview_counts_only_the_targets_that_can_be_judged(client: TestClient) -> None:
    html = client.get("/en/").text
    assert "targets that can be judged</div>" in html
    assert "Execution rate: the share of the targets that can be judged that are achieved." in html
    draft = client.get("/en/programme/digital-kazakhstan-2020-draft/").text
    assert "A superseded draft, kept for history. Replaced by: <strong>Digital Kazakhstan</strong>" in draft


def test_indicator_chart_gets_the_required_path(client: TestClient) -> None:
    html = client.get("/en/indicator/dk.digital_literacy/").text
    found = re.search(r'<script type="application/json" id="payload">(.*?)</script>', html, re.S)
    assert found is not None
    payload = json.loads(found.group(1))
    target = next(t for t in payload["targets"] if t["id"] == "dk-digital-literacy")
    path = {p["x"]: p["value"] for p in target["required"]}
    assert path[2021] == pytest.approx(81.5) and path[2022] == pytest.approx(83.0)
    assert target["valueText"] == "83.0 %" and target["source"] == "kz-bns-survey"
    assert {o["source"] for o in payload["otherSources"]} == {"kz-bns-6plus", "kz-gov-statements"}
    assert "Required path" in payload["t"]


def _payload(client: TestClient, path: str) -> dict:
    found = re.search(r'<script type="application/json" id="payload">(.*?)</script>', client.get(path).text, re.S)
    assert found is not None
    return json.loads(found.group(1))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_indicators_list_shows_years_as_years(client: TestClient, lang: str) -> None:
    """Issue 15 item 3: '2010–2022', not '2010.0–2022.0' (years went float where an indicator has no data)."""
    html = client.get(f"/{lang}/indicators/").text
    assert ">2010–2022<" in html  # UN e-Government Survey editions, 2010 to 2022
    assert not re.search(r"\d{4}\.0–", html)
    assert not re.search(r'data-v="\d{4}\.0"', html)


def test_chart_data_is_rounded_to_the_indicators_precision(client: TestClient) -> None:
    """Issue 15 item 3: the share of Internet users in 2012 is 61.9 %, not 61.906624019322635."""
    payload = _payload(client, "/en/indicator/17-8-1/")
    assert payload["decimals"] == 1
    kaz = {p[2]: p[1] for p in payload["series"][""]["KAZ"]}
    assert kaz["2012"] == 61.9 and kaz["2023"] == 94.7
    for dims in payload["series"].values():
        for points in dims.values():
            assert all(p[1] is None or p[1] == round(p[1], 1) for p in points)
    regions = _payload(client, "/en/regions/17-8-1/")
    assert all(v == round(v, 1) for year in regions["values"].values() for v in year.values())


def test_chart_payload_names_the_source_and_its_vintage(client: TestClient) -> None:
    """The credit line under every chart (and in its downloads) needs the source's name and vintage."""
    payload = _payload(client, "/ru/indicator/17-8-1/")
    key = "|KAZ"
    assert payload["sources"][key] == "kz-sdg"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", payload["vintages"][key])
    assert payload["sourceNames"]["kz-sdg"]
    assert payload["t"]["Vintage"] == "Версия публикации" and payload["t"]["Source"] != "Source"
    regions = _payload(client, "/en/regions/17-8-1/")
    assert regions["sourceNames"] and re.fullmatch(r"\d{4}-\d\d-\d\d", regions["vintage"])


def test_peer_groups_that_matter_to_kazakhstan_are_offered_first(client: TestClient) -> None:
    """Issue 15 item 5: Central Asia, EAEU, CIS, upper-middle-income, OECD — in that order, with sources."""
    html = client.get("/ru/indicator/NY.GDP.PCAP.CD/").text
    options = re.findall(
        r'<option value="([a-z-]+)">([^<]*)</option>', html.split('id="peer-group"')[1].split("</select>")[0]
    )
    assert [o[0] for o in options] == ["central-asia", "eaeu", "cis", "umc", "oecd"]
    assert options[0][1] == "Центральная Азия (4)" and options[1][1].startswith("Евразийский экономический союз")
    groups = {g["id"]: g for g in _payload(client, "/ru/indicator/NY.GDP.PCAP.CD/")["groups"]}
    assert groups["central-asia"]["geos"] == ["KGZ", "TJK", "TKM", "UZB"]
    assert groups["eaeu"]["geos"] == ["ARM", "BLR", "KGZ", "RUS"]
    assert groups["umc"]["geos"] == ["UMC"] and groups["oecd"]["geos"] == ["OED"]  # the World Bank's own aggregates
    assert groups["cis"]["median"] and len(groups["cis"]["geos"]) == 9
    assert "M49" in groups["central-asia"]["source"] and "2014" in groups["eaeu"]["source"]
    internet = {g["id"]: g for g in _payload(client, "/en/indicator/IT.NET.USER.ZS/")["groups"]}
    assert internet["oecd"]["median"] and len(internet["oecd"]["geos"]) == 38  # no OECD aggregate: the median


def test_audit_page_names_rules_and_indicators_and_hides_nothing(client: TestClient) -> None:
    """Issue 15 item 6: rule and indicator names people read; every error and warning listed (paged), none capped."""
    audit = client.get("/api/audit").json()["findings"]
    serious = [f for f in audit if f["severity"] in ("error", "warning")]
    html = client.get("/ru/quality/").text
    rows = re.findall(r'<tr data-severity="(error|warning)">', html)
    assert len(rows) == len(serious) > 500  # 548 on the default store: no silent cap at 500
    assert f"Показаны находки: {len(serious)} / {len(audit)}." in html
    assert 'data-page-size="50"' in html and 'data-pager="audit-table"' in html
    assert "Ряд пересекает изменение границ" in html  # boundary_change, by its name
    assert ">Доля населения, пользующегося Интернетом</a>" in html  # the indicator's name, not only 17-8-1
    assert "<code>boundary_change</code>" not in html


def test_quality_page_counts_indicators_as_the_indicators_page_does(client: TestClient) -> None:
    """Issue 15 item 6: one count of indicators with data across the site (95 of 110 on the default store)."""
    listed = client.get("/en/indicators/").text
    with_data = len(re.findall(r'<td class="num" data-v="[1-9]\d*">\d+</td>\s*</tr>', listed))
    total = listed.count('<tr data-programme="')
    html = client.get("/en/quality/").text
    assert f"{with_data} / {total} indicators with data." in html
    assert (with_data, total) == (95, 110)
