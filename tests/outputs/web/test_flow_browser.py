"""Issue 16's 'done when', in headless Chromium (Debian's, driven by Playwright): an owner signs in and enters a
figure, a reviewer approves it, the public indicator page shows the new value and the store as of yesterday still
gives the old one (the SDG database's 94.7 % of Internet users in 2023).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sandyq import people
from sandyq.store import Store

from ._serving import served
from .test_web_browser import pytestmark  # noqa: F401  (the same marks and skip reason)

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def base_url(default_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from sandyq.outputs.web import create_app

    path = tmp_path_factory.mktemp("flow-browser") / "flow.duckdb"
    shutil.copy(default_db, path)
    with Store(path) as s:
        people.add_user(s, "ann", "owner", PASSWORD, indicators=["17-8-1"])
        people.add_user(s, "rita", "reviewer", PASSWORD)
    with served(create_app(path, language="en")) as url:
        yield url


def sign_in(page: Any, base_url: str, name: str, then: str) -> None:
    page.goto(f"{base_url}/en/login/?next={then}")
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{then}")


def latest_on_the_chart(page: Any, base_url: str) -> str:
    page.goto(f"{base_url}/en/indicator/17-8-1/")
    page.locator("#chart").focus()
    page.keyboard.press("ArrowLeft")  # the first key press reads out the latest year
    return str(page.locator(".sr-live").text_content())


def test_owner_enters_reviewer_approves_and_the_public_page_shows_the_new_vintage(browser: Any, base_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    assert latest_on_the_chart(page, base_url) == "2023; Kazakhstan: 94.7"

    sign_in(page, base_url, "ann", "/en/submit/17-8-1/")
    row = page.locator('tr:has(input[name^="geo_"][value="KAZ"]):has(input[name^="dims_"][value=""])')
    assert "94.7 (2023)" in row.text_content()
    row.locator('input[name^="period_"]').fill("2023")
    row.locator('input[name^="value_"]').fill("97.2")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/en/review/*/")
    assert page.locator("#flow-status").text_content() == "Awaiting review"
    review_url = page.url.removeprefix(base_url)
    page.get_by_role("button", name="Sign out").click()
    assert latest_on_the_chart(page, base_url) == "2023; Kazakhstan: 94.7"  # nothing published yet

    sign_in(page, base_url, "rita", review_url)
    assert "Revised figure" in page.locator("table.flow-diff").text_content()
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url(f"**{review_url}")
    assert page.locator("#flow-status").text_content() == "Approved"

    assert latest_on_the_chart(page, base_url) == "2023; Kazakhstan: 97.2"
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    page.goto(f"{base_url}/api/observations?indicator=17-8-1&geo=KAZ&start=2023&end=2023&as_of={yesterday}")
    assert '"value":94.7' in page.locator("body").text_content()
    ctx.close()
    assert errors == []


def test_the_entry_form_checks_a_figure_as_it_is_typed_and_clears_the_message_once_fixed(
    browser: Any, base_url: str
) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base_url, "ann", "/en/submit/17-8-1/")
    page.goto(f"{base_url}/ru/submit/17-8-1/")  # the page's language: the check answers in it
    row = page.locator('tr:has(input[name^="geo_"][value="KAZ"]):has(input[name^="dims_"][value=""])')
    value = row.locator('input[name^="value_"]')
    value.press_sequentially("120")  # a percentage above 100: the unit's bound
    problem = row.locator(".flow-problems li.flow-error")
    problem.wait_for(timeout=10_000)
    assert problem.text_content() == "значение 120 выходит за пределы, допустимые для единицы PT: [0, 100]"
    assert value.get_attribute("aria-invalid") == "true"
    value.fill("97.5")
    problem.wait_for(state="detached", timeout=10_000)
    assert value.get_attribute("aria-invalid") == "false"
    ctx.close()
    assert errors == []
