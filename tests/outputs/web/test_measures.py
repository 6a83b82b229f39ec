"""Measures over HTTP: the public list with the execution rate, an owner's report (API and form), the overview.

The application runs over a copy of the default store with an owner of 17-8-1 (Internet users; its task
"digital-literacy" has two measures of the Digital Kazakhstan plan, both in progress by seed 004's account), an
owner of another indicator, a viewer and an admin.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sandyq import people
from sandyq.outputs.web import create_app
from sandyq.store import Store, accounts

PASSWORD = "correct-horse-battery"
REPORT = "/api/measures/digital-kazakhstan/digital-literacy-campaign"


@pytest.fixture(scope="module")
def client(default_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The application over a copy of the default store, and API tokens of ann, otto and vic."""
    path = tmp_path_factory.mktemp("measures") / "measures.duckdb"
    shutil.copy(default_db, path)
    with Store(path) as s:
        people.add_user(s, "ann", "owner", PASSWORD, indicators=["17-8-1"])
        people.add_user(s, "otto", "owner", PASSWORD, indicators=["SE.TER.ENRR"])
        people.add_user(s, "vic", "viewer", PASSWORD)
        tokens = {n: people.create_token(s, n, ["submit", "read"])[1] for n in ("ann", "otto", "vic")}
        tokens["ann-read"] = people.create_token(s, "ann", ["read"])[1]
    tokens["path"] = str(path)
    with TestClient(create_app(path, language="en")) as c:
        yield c, tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_list_is_public_and_carries_the_execution_rate(client: tuple[TestClient, dict[str, str]]) -> None:
    c, _ = client
    body = c.get("/api/measures", params={"programme": "digital-kazakhstan"}).json()
    rate = body["rates"]["digital-kazakhstan"]
    assert (rate["measures"], rate["done"], rate["rate_all"], rate["due"]) == (16, 7, 0.4375, 0)
    assert rate["tasks"]["digital-literacy"]["measures"] == 2
    row = next(m for m in body["measures"] if m["id"] == "digital-literacy-campaign")
    assert (row["status"], row["task"], row["deadline"], row["overdue"]) == (
        "in_progress",
        "digital-literacy",
        None,
        False,
    )
    assert c.get("/api/measures", params={"programme": "nothing"}).status_code == 404
    ru = c.get("/api/measures", params={"programme": "digital-kazakhstan", "lang": "ru"}).json()
    assert next(m for m in ru["measures"] if m["id"] == "competence-centres")["name"].startswith("Создание Центров")


def test_an_owner_reports_by_token_and_the_others_are_refused(client: tuple[TestClient, dict[str, str]]) -> None:
    c, tokens = client
    body = {"status": "done", "completed": "2019-12-20", "budget_spent": 42.0, "comment": "1.2 mn people trained"}
    assert c.post(REPORT, json=body).status_code == 401
    assert c.post(REPORT, json=body, headers=bearer(tokens["vic"])).status_code == 403
    assert c.post(REPORT, json=body, headers=bearer(tokens["ann-read"])).status_code == 403
    foreign = c.post(REPORT, json=body, headers=bearer(tokens["otto"]))
    assert foreign.status_code == 403 and "may not report measure 'digital-literacy-campaign'" in foreign.text
    unknown = c.post("/api/measures/digital-kazakhstan/nothing", json=body, headers=bearer(tokens["ann"]))
    assert unknown.status_code == 404
    bad = c.post(REPORT, json=body | {"status": "finished"}, headers=bearer(tokens["ann"]))
    assert bad.status_code == 400
    early = c.post(REPORT, json=body | {"status": "in_progress"}, headers=bearer(tokens["ann"]))
    assert early.status_code == 400 and "not 'done'" in early.text
    made = c.post(REPORT, json=body, headers=bearer(tokens["ann"]))
    assert made.status_code == 201, made.text
    assert made.json()["reported_by"] == "ann" and made.headers["cache-control"] == "no-store"
    listed = c.get("/api/measures", params={"programme": "digital-kazakhstan"}).json()
    row = next(m for m in listed["measures"] if m["id"] == "digital-literacy-campaign")
    assert (row["status"], row["completed"], row["budget_spent"], row["reported_by"]) == (
        "done", "2019-12-20", 42.0, "ann"
    )  # fmt: skip
    assert listed["rates"]["digital-kazakhstan"]["done"] == 8
    before = c.get("/api/measures", params={"programme": "digital-kazakhstan", "as_of": "2020-01-01"}).json()
    assert before["rates"]["digital-kazakhstan"]["done"] == 7  # as of before the report: the plan's own account
    overview = c.get("/en/").text
    assert "execution rate of measures (8/16)" in overview and "50 %" in overview
    ru = c.get("/ru/").text
    assert "уровень исполнения мероприятий (8/16)" in ru


def test_an_owner_reports_with_the_form(client: tuple[TestClient, dict[str, str]]) -> None:
    c, tokens = client
    assert c.get("/en/submit/measures/", follow_redirects=False).headers["location"].startswith("/en/login/")
    login = re.search(r'name="csrf" value="([^"]+)"', c.get("/en/login/").text)
    assert login is not None
    signed = c.post("/en/login/", data={"name": "ann", "password": PASSWORD, "csrf": login.group(1)})
    assert signed.status_code == 200, (str(signed.url), signed.text[-1500:])
    form = c.get("/kk/submit/measures/")
    assert form.status_code == 200 and 'id="m-digital-literacy-preparation"' in form.text
    assert form.headers["cache-control"] == "no-store" and "Іс-шаралар туралы есеп" in form.text
    assert 'id="m-competence-centres"' not in form.text  # not of her task, and no agency of hers
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    data = {
        "csrf": csrf.group(1), "programme": "digital-kazakhstan", "measure": "digital-literacy-preparation",
        "status": "in_progress", "budget_planned": "100,5", "budget_spent": "", "comment": "curricula drafted",
    }  # fmt: skip
    assert c.post("/kk/submit/measures/", data=data | {"csrf": "forged"}).status_code == 403
    done = c.post("/kk/submit/measures/", data=data, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#m-digital-literacy-preparation")
    c.post("/en/logout/", data={"csrf": csrf.group(1)})
    with Store(tokens["path"], read_only=True) as s:
        trail = [e for e in accounts.audit_events(s) if e["action"] == "measure.report"]
    assert trail[0]["subject"] == "digital-kazakhstan/digital-literacy-preparation"
    assert trail[0]["detail"]["budget_planned"] == 100.5 and trail[0]["actor"] == "ann"
