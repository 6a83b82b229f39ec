"""End to end in headless Chromium (Debian's ``chromium``, never a downloaded browser), driven by Playwright.

The dashboard runs in uvicorn on 127.0.0.1 over the default store, and one Chromium serves every browser test
(``base_url`` and ``browser`` in conftest.py).  Screenshots go to ``$SANDYQ_SCREENSHOTS`` (or the test's temporary
folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ._serving import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no Chromium at {CHROMIUM} (install Debian's chromium or set SANDYQ_CHROMIUM)",
    ),
]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.errors = errors
    yield pg
    ctx.close()
    assert errors == [], errors


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("SANDYQ_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(
    "path",
    [
        "en/",
        "en/targets/",
        "en/indicators/",
        "en/indicator/17-8-1/",
        "en/regions/",
        "en/index/",
        "en/quality/",
        "en/glossary/",
        "en/api/",
    ],
)
def test_each_page_opens(page: Any, base_url: str, shots: Path, path: str) -> None:
    page.goto(f"{base_url}/{path}")
    assert page.locator("h1").first.is_visible()
    page.screenshot(path=str(shots / f"{path.strip('/').replace('/', '_')}.png"), full_page=False)


def test_switch_language_keeps_the_page(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/en/indicator/17-8-1/")
    page.get_by_role("link", name="Русский").click()
    page.wait_for_url("**/ru/indicator/17-8-1/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("tab", name="Карта").is_visible()
    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_url("**/kk/indicator/17-8-1/")
    assert page.get_by_role("tab", name="Кесте").is_visible()


def test_chart_draws_and_reads_out_with_the_keyboard(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/en/indicator/17-8-1/")
    svg = page.locator("#chart svg")
    assert svg.get_attribute("role") == "img" and "Kazakhstan" in svg.get_attribute("aria-label")
    page.locator("#chart").focus()
    page.keyboard.press("ArrowLeft")  # the first key press reads out the latest year
    assert page.locator(".sr-live").text_content() == "2023; Kazakhstan: 94.7"
    page.keyboard.press("ArrowLeft")
    assert page.locator(".sr-live").text_content() == "2022; Kazakhstan: 94"
    page.check("#relative")
    assert "% change since 2011" in page.locator("#chart-caption").text_content()


def test_chart_draws_the_required_path_to_the_targets(page: Any, base_url: str, shots: Path) -> None:
    """Issue 12: the path the target required, from the base through each milestone, is drawn and read out."""
    page.goto(f"{base_url}/en/indicator/dk.digital_literacy/")
    assert page.locator("#chart svg path.required-path").count() >= 1
    assert "Required path" in page.locator("#chart svg").text_content()
    page.locator("#chart").screenshot(path=str(shots / "indicator_required_path.png"))


def test_year_slider_moves_the_map_across_boundary_sets(page: Any, base_url: str, shots: Path) -> None:
    page.goto(f"{base_url}/en/indicator/17-8-1/")
    page.get_by_role("tab", name="Map").click()
    caption = page.locator("#map-caption")
    page.locator("#year").fill("2015")
    page.wait_for_function("document.getElementById('map-caption').textContent.includes('2015')")
    assert "kz-adm1-pre2018" in caption.text_content()
    assert page.locator("#map path[data-code='KZ-YUZ']").count() == 1
    page.locator("#year").fill("2022")
    page.wait_for_function("document.getElementById('map-caption').textContent.includes('2022')")
    assert "kz-adm1-2024" in caption.text_content()
    assert page.locator("#map path[data-code='KZ-62']").count() == 1  # Ulytau exists from 2022
    page.screenshot(path=str(shots / "indicator_map_2022.png"))


def test_pick_a_region(page: Any, base_url: str, shots: Path) -> None:
    page.goto(f"{base_url}/en/regions/17-8-1/")
    page.select_option("#region", "KZ-71")
    assert page.locator("#rank-table tr.sel").get_attribute("data-geo") == "KZ-71"
    assert "Astana" in page.locator("#region-caption").text_content()
    page.locator("#map path[data-code='KZ-75']").click()
    assert page.locator("#region").input_value() == "KZ-75"
    page.locator("#year").fill("2017")
    page.wait_for_function("document.getElementById('rank-year').textContent === '2017'")
    page.screenshot(path=str(shots / "regions_picked.png"), full_page=True)


def test_download_csv(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(f"{base_url}/en/indicator/17-8-1/")
    page.locator("#geo-picker summary").click()
    page.fill("#geo-search", "astana")
    page.locator("input[name=geo][value='KZ-71']").check()
    assert "Astana" in page.locator("[data-picked]").text_content()
    with page.expect_download() as info:
        page.click("#dl-visible")
    shown = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert shown[0] == "indicator,geo,geo_name,period,dims,value,unit,source"
    assert "17-8-1,KAZ,Kazakhstan,2023,,94.7,PT,kz-sdg" in shown
    assert "17-8-1,KZ-71,Astana,2023,,97.4,PT,kz-sdg" in shown
    with page.expect_download() as info:
        page.get_by_role("link", name="Full data (CSV)").click()
    full = Path(info.value.path()).read_text(encoding="utf-8")
    assert full.startswith("indicator,indicator_name,geo,geo_name,period,dims,value,unit,status,source,vintage")
    with page.expect_download() as info:
        page.click("#dl-png")
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as info:
        page.click("#dl-svg")
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert "<svg" in svg and "Astana" in svg


NARROW_PAGES = [
    "en/",
    "ru/overview/",
    "kk/targets/",
    "ru/targets/",
    "en/targets/",
    "ru/indicators/",
    "ru/indicator/17-8-1/",
    "kk/indicator/dk.digital_literacy/",
    "kk/regions/",
    "ru/index/",
    "kk/quality/",
    "ru/glossary/",
    "en/api/",
]


@pytest.mark.parametrize("path", NARROW_PAGES)
def test_narrow_screen_has_no_sideways_scroll(browser: Any, base_url: str, shots: Path, path: str) -> None:
    """Issue 15 item 9: every page fits a 360 px phone; wide tables scroll inside their own box, not the page."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    pg = ctx.new_page()
    pg.goto(f"{base_url}/{path}")
    width = pg.evaluate("document.documentElement.scrollWidth")
    culprits = pg.evaluate(
        """() => Array.from(document.querySelectorAll('body *')).filter(e => {
             const r = e.getBoundingClientRect();
             return r.right > 362 && !e.closest('.scroll') && getComputedStyle(e).position !== 'fixed';
           }).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    wide_tables = pg.evaluate(
        """() => Array.from(document.querySelectorAll('table.data:not(.coverage)'))
             .filter(t => t.closest('[hidden]') === null && t.getBoundingClientRect().right > 362)
             .map(t => t.id || t.className)"""
    )
    pg.screenshot(path=str(shots / f"narrow_{path.strip('/').replace('/', '_')}.png"), full_page=False)
    ctx.close()
    assert width <= 362 and culprits == [] and wide_tables == [], (path, width, culprits, wide_tables)


def _credit_pixels(page: Any, png: bytes) -> int:
    """Non-white pixels in the bottom 40 px of a downloaded PNG (where the source and vintage line is drawn)."""
    import base64

    url = "data:image/png;base64," + base64.b64encode(png).decode()
    return page.evaluate(
        """async (url) => {
             const img = new Image(); img.src = url; await img.decode();
             const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
             const x = c.getContext('2d'); x.drawImage(img, 0, 0);
             const d = x.getImageData(0, img.height - 40, img.width, 40).data;
             let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 200) n++;
             return n;
           }""",
        url,
    )


def test_chart_and_its_downloads_carry_unit_source_and_vintage(page: Any, base_url: str, tmp_path: Path) -> None:
    """Issue 15 item 3: a chart someone publishes says what it measures and where the figures come from."""
    page.goto(f"{base_url}/ru/indicator/17-8-1/")
    chart = page.locator("#chart svg")
    unit = chart.locator("text.chart-unit").text_content()
    credit = " ".join(chart.locator("text.chart-credit").all_text_contents())
    assert unit == page.locator("dl.meta dd").first.text_content().strip()  # the unit named on the page
    assert credit.startswith("Источник: ") and "Версия публикации: " in credit, credit
    with page.expect_download() as info:
        page.click("#dl-svg")
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert 'class="chart-unit"' in svg and f">{unit}<" in svg
    credit_lines = re.findall(r'<text[^>]*class="chart-credit"[^>]*>([^<]*)</text>', svg)
    assert " ".join(credit_lines) == credit  # the same source and vintage line as on the page
    assert 'class="chart-title"' in svg and "Казахстан" in svg
    with page.expect_download() as info:
        page.click("#dl-png")
    png = Path(info.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1800  # drawn at 900 px, twice the resolution
    assert _credit_pixels(page, png) > 200  # the credit line is there, at the foot of the image


def test_a_lone_value_is_drawn_readably(page: Any, base_url: str, shots: Path) -> None:
    """Issue 15 item 3: one 2013 value (2.5 %) with a 2020 target is a labelled marker, not a dot in the corner."""
    page.goto(f"{base_url}/en/indicator/dk.ict_share_gdp/")
    lone = page.locator("#chart svg circle.lone")
    assert lone.count() == 1
    assert float(lone.get_attribute("r")) >= 6
    assert float(lone.get_attribute("cx")) > 64 + 10  # off the y axis
    assert page.locator("#chart svg text.point-label").text_content() == "2.5"
    page.locator("#chart").screenshot(path=str(shots / "indicator_lone_value.png"))


def test_compare_with_a_peer_group(page: Any, base_url: str, shots: Path) -> None:
    """Issue 15 item 5: one choice adds Central Asia's countries; a big group (OECD) comes as one median line."""
    page.goto(f"{base_url}/ru/indicator/IT.NET.USER.ZS/")
    page.select_option("#peer-group", "central-asia")
    legend = page.locator("#chart svg").text_content()
    assert all(name in legend for name in ("Казахстан", "Киргизия", "Узбекистан", "Таджикистан"))
    assert "M49" in page.locator("#peer-note").text_content()
    page.select_option("#peer-group", "oecd")
    picked = page.locator("[data-picked]").text_content()
    assert picked == "Казахстан, Страны — члены ОЭСР — медиана по 38"
    assert page.locator("#chart svg path[stroke-linejoin]").count() == 2
    page.locator("#chart").screenshot(path=str(shots / "indicator_peer_group_oecd.png"))


def test_audit_findings_are_paged_not_capped(page: Any, base_url: str) -> None:
    """Issue 15 item 6: 548 errors and warnings, 50 a page; filtering starts again at the first page."""
    page.goto(f"{base_url}/ru/quality/")
    rng = page.locator("[data-range]")
    total = page.locator("#audit-table tbody tr").count()
    assert total > 500 and rng.text_content() == f"1–50 / {total}"
    assert page.locator("[data-prev]").is_disabled()
    page.click("[data-next]")
    assert rng.text_content() == f"51–100 / {total}"
    assert (
        page.evaluate("Array.from(document.querySelectorAll('#audit-table tbody tr')).filter(r => !r.hidden).length")
        == 50
    )
    page.select_option("form[data-filter-table=audit-table] select[data-col=severity]", "error")
    errors = page.locator("#audit-table tbody tr[data-severity=error]").count()
    assert rng.text_content() == f"1–{errors} / {errors}" and page.locator("[data-next]").is_disabled()


def test_the_view_lives_in_the_url(browser: Any, base_url: str) -> None:
    """Issue 15 item 4: geographies, group, tab, year and options go into the URL; the link reopens the same view."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.goto(f"{base_url}/en/indicator/17-8-1/")
    pg.locator("#geo-picker summary").click()
    pg.locator("input[name=geo][value='KZ-71']").check()
    pg.check("#relative")
    pg.get_by_role("tab", name="Map").click()
    pg.locator("#year").fill("2015")
    pg.wait_for_function("location.search.includes('year=2015')")
    url = pg.url
    assert "geo=KAZ,KZ-71" in url and "tab=map" in url and "rel=1" in url
    assert pg.get_by_role("link", name="Русский").get_attribute("href").endswith(url.split("/en/indicator/17-8-1/")[1])
    other = ctx.new_page()
    other.goto(url)
    assert other.locator("[data-picked]").text_content() == "Kazakhstan, Astana"
    assert other.locator("#relative").is_checked()
    assert other.locator("#panel-map").is_visible() and other.locator("#year-out").text_content() == "2015"
    other.get_by_role("link", name="Русский").click()
    other.wait_for_url("**/ru/indicator/17-8-1/?*")
    assert other.locator("[data-picked]").text_content() == "Казахстан, г. Астана"
    ctx.close()
