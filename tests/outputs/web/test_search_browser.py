"""Issue 15 items 7 and 4 in headless Chromium: typing in the search box, following a result; embedding a chart.

The server tests run against uvicorn over the default store (the fixtures of
``test_web_browser`` and conftest.py); the static-site test serves a built site with Python's
``http.server``, so search and embeds are shown to work without sandyq running.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sandyq
from sandyq.outputs.web import build_site
from tests.conftest import SDG_RAW
from tests.outputs.web.test_web_browser import page, pytestmark, shots  # noqa: F401


def test_type_in_the_search_box_and_follow_a_result(page: Any, base_url: str, shots: Path) -> None:  # noqa: F811
    page.goto(f"{base_url}/ru/targets/")
    box = page.get_by_role("searchbox", name="Поиск показателей, целей, регионов и терминов")
    box.fill("акмола")
    option = page.locator("#search-list li[role=option] a").first
    option.wait_for()
    assert option.text_content() == "Акмолинская область"
    page.screenshot(path=str(shots / "search_suggestions.png"))
    option.click()
    page.wait_for_url("**/ru/regions/?region=KZ-11")
    assert page.locator("#region").input_value() == "KZ-11"


def test_search_in_kazakh_with_the_keyboard_and_in_english_by_id(page: Any, base_url: str) -> None:  # noqa: F811
    page.goto(f"{base_url}/kk/")
    box = page.locator("#search-q")
    box.fill("интернетті пайдаланатын халық")
    page.locator("#search-list li[role=option]").first.wait_for()
    box.press("ArrowDown")
    assert page.locator("#search-list li[aria-selected=true]").count() == 1
    box.press("Enter")
    page.wait_for_url("**/kk/indicator/17-8-1/")
    page.goto(f"{base_url}/en/glossary/")
    page.locator("#search-q").fill("17-8-1")
    first = page.locator("#search-list li[role=option] a").first
    first.wait_for()
    assert first.get_attribute("href").endswith("en/indicator/17-8-1/")


def test_the_embed_code_carries_the_view_and_the_embed_page_draws_it(browser: Any, base_url: str, shots: Path) -> None:  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(f"{base_url}/ru/indicator/17-8-1/")
    pg.locator("#geo-picker summary").click()
    pg.locator("input[name=geo][value='KZ-71']").check()
    pg.get_by_text("Встроить на сайт").click()
    code = pg.locator("#embed-code").input_value()
    assert code.startswith(f'<iframe src="{base_url}/ru/embed/indicator/17-8-1/?geo=KAZ,KZ-71"'), code
    src = code.split('"')[1]
    embed = ctx.new_page()
    embed.on("pageerror", lambda e: errors.append(str(e)))
    embed.set_content(code)  # the iframe, as a journalist's page would hold it
    frame = embed.frame_locator("iframe")
    frame.locator("#chart svg").wait_for()
    assert frame.locator("h1").text_content() == "Доля населения, пользующегося Интернетом"
    assert frame.locator("#embed-unit").text_content() == "процент"
    legend = frame.locator("#chart svg").text_content()
    assert "Казахстан" in legend and "г. Астана" in legend
    credit = frame.locator(".embed-credit").text_content().replace("\xa0", " ").replace("\u202f", " ")
    assert credit.startswith("Источник: Национальная платформа отчётности Казахстана по ЦУР")
    assert "Версия публикации: 24 окт. 2024 г." in credit and frame.locator(".embed-credit a").last.is_visible()
    embed.screenshot(path=str(shots / "embed.png"))
    direct = ctx.new_page()
    direct.goto(src)
    assert direct.locator("#embed-full").get_attribute("href").endswith("/ru/indicator/17-8-1/?geo=KAZ,KZ-71")
    ctx.close()
    assert errors == []


@pytest.fixture(scope="module")
def static_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A static site (small store: the SDG platform's 17.8.1 file) served by http.server."""
    root = tmp_path_factory.mktemp("static-search")
    db = root / "small.duckdb"
    with sandyq.connect(db) as m:
        m.store.register_sources(m.framework.sources.values())
        m.load(SDG_RAW / "indicator_17-8-1.csv", source="kz-sdg", default_geo="KAZ", vintage="2024-10-24")
    out = root / "out"
    build_site(out, db)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.mark.slow
def test_search_and_embed_work_on_the_static_site(page: Any, static_url: str) -> None:  # noqa: F811
    page.goto(f"{static_url}/en/indicators/")
    box = page.locator("#search-q")
    box.fill("Интернетом")  # a Russian query on the English site
    first = page.locator("#search-list li[role=option] a").first
    first.wait_for()
    assert first.text_content() == "Proportion of individuals using the Internet"
    box.press("Escape")
    box.fill("gini")
    page.locator("#search-list li[role=option]").first.wait_for()
    box.press("Enter")  # no suggestion chosen: the search page, filled in by the browser
    page.wait_for_url("**/en/search/?q=gini")
    link = page.locator("#search-results ol.results a").first
    link.wait_for()
    assert link.text_content() == "Gini index"
    link.click()
    page.wait_for_url("**/en/glossary/#term-gini")
    page.goto(f"{static_url}/kk/embed/indicator/17-8-1/")
    page.locator("#chart svg").wait_for()
    assert page.locator("#embed-unit").text_content() == "пайыз"
    assert "Дереккөз" in page.locator(".embed-credit").text_content()


@pytest.mark.parametrize("path", ["kk/search/?q=интернет", "ru/embed/indicator/17-8-1/?geo=KAZ,KZ-71"])
def test_search_and_embed_fit_a_phone(browser: Any, base_url: str, shots: Path, path: str) -> None:  # noqa: F811
    """Issue 15 item 9 for the new pages: no sideways scroll at 360 px, suggestions inside the screen."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    pg = ctx.new_page()
    pg.goto(f"{base_url}/{path}")
    if "search" in path:
        pg.locator("#search-q").fill("қазақстан")
        pg.locator("#search-list li[role=option]").first.wait_for()
    else:
        pg.locator("#chart svg").wait_for()
    width = pg.evaluate("document.documentElement.scrollWidth")
    right = pg.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('.search-list, #chart svg'))"
        ".map(e => e.getBoundingClientRect().right))"
    )
    pg.screenshot(path=str(shots / f"narrow_{path.split('/')[1]}.png"), full_page=False)
    ctx.close()
    assert width <= 362 and right <= 362, (path, width, right)
