"""The dashboard over a PostgreSQL store: it reads while writers write, and several workers serve one database."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from sandyq import load_file, people
from sandyq.errors import StoreError
from sandyq.framework import Framework
from sandyq.outputs.web import create_app
from sandyq.store import Store
from tests.conftest import SDG_RAW


def _revision(value: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"indicator": "17-8-1", "geo": "KAZ", "period": ["2023"], "dims": "", "source": "kz-sdg", "value": [value],
         "unit": "PT", "status": None, "note": None}
    )  # fmt: skip


@pytest.fixture
def pg_store(pg_empty: str, framework: Framework) -> Iterator[str]:
    with Store(pg_empty) as s:
        s.register_sources(framework.sources.values())
        load_file(s, SDG_RAW / "indicator_17-8-1.csv", framework, source="kz-sdg", default_geo="KAZ",
                  vintage="2024-10-24")  # fmt: skip
    yield pg_empty


def _kaz_2023(client: TestClient, as_of: str | None = None) -> float:
    query = "/api/observations?indicator=17-8-1&geo=KAZ&start=2023&end=2023" + (f"&as_of={as_of}" if as_of else "")
    (row,) = client.get(query).json()["observations"]
    return float(row["value"])


def test_two_workers_serve_one_database_and_see_a_new_vintage(pg_store: str) -> None:
    one, two = create_app(pg_store, language="en"), create_app(pg_store, language="en")
    with TestClient(one) as a, TestClient(two) as b:
        assert a.get("/en/").status_code == 200
        first = _kaz_2023(a)
        assert _kaz_2023(b) == first
        with Store(pg_store) as w:  # a writer while both serve: nobody waits for anybody
            w.load_frame(_revision(first + 1.5), file="r.csv", format="tidy", vintage="2025-03-01")
        for app in (one, two):
            assert app.state.dash.refresh(wait=1.0)
        assert _kaz_2023(a) == _kaz_2023(b) == first + 1.5
        assert _kaz_2023(b, as_of="2025-01-01") == first  # the earlier vintage is still there
        assert one.state.dash.data_version == 2
    assert not one.state.dash.reader.is_open  # stopping closed every connection


def test_a_change_is_noticed_by_the_change_counter(pg_store: str) -> None:
    app = create_app(pg_store, language="en")
    dash = app.state.dash
    with TestClient(app):
        before = dash._snapshot.signature
        with Store(pg_store) as w:
            w.load_frame(_revision(1.0), file="r.csv", format="tidy", vintage="2025-03-01")
        from sandyq.outputs.web._snapshot import signature

        assert signature(pg_store, dash.reader) != before


def test_serving_a_database_that_cannot_be_reached_is_a_clear_error(pg_url: str) -> None:
    head, tail = pg_url.split("@", 1)
    down = f"{head}@127.0.0.1:1/{tail.split('/', 1)[1]}"
    with pytest.raises(StoreError, match="cannot reach the PostgreSQL server") as info:
        create_app(down, language="en")
    assert ":sandyq@" not in str(info.value)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def test_sessions_csrf_and_the_sign_in_limit_hold_across_workers(pg_store: str) -> None:
    """Two workers of one database: a session made by one is good on the other (one key, kept in the store), and
    failed sign-ins counted by both add up (they are kept in the store, not in a worker's memory)."""
    with Store(pg_store) as s:
        people.add_user(s, "rita", "reviewer", "correct-horse-battery")
        people.add_user(s, "vic", "viewer", "correct-horse-battery")
    one, two = create_app(pg_store, language="en"), create_app(pg_store, language="en")
    with TestClient(one) as a, TestClient(two) as b:
        wrong = {"name": "vic", "password": "wrong"}
        csrf_a, csrf_b = _csrf(a.get("/en/login/").text), _csrf(b.get("/en/login/").text)
        tries = [a.post("/en/login/", data=wrong | {"csrf": csrf_a}).status_code for _ in range(3)]
        tries += [b.post("/en/login/", data=wrong | {"csrf": csrf_b}).status_code for _ in range(2)]
        assert tries == [401] * 5
        assert a.post("/en/login/", data=wrong | {"csrf": csrf_a}).status_code == 429
        assert b.post("/en/login/", data=wrong | {"csrf": csrf_b}).status_code == 429

        signed = {"name": "rita", "password": "correct-horse-battery", "csrf": csrf_a}
        assert a.post("/en/login/", data=signed, follow_redirects=False).status_code == 303
        b.cookies.set("sandyq_session", a.cookies["sandyq_session"])  # the next request lands on the other worker
        assert b.get("/api/submissions").status_code == 200
        csrf = _csrf(b.get("/en/login/").text)  # the session's token, as the other worker reads it
        url = f"/api/submissions/{'0' * 32}/reject"
        assert b.post(url, json={"comment": "no"}).status_code == 403  # a session write needs its CSRF token
        assert b.post(url, json={"comment": "no"}, headers={"X-CSRF-Token": csrf}).status_code == 404
