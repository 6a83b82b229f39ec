"""Submission → review → publish over HTTP, in process: the JSON API, the pages, and every conflict the issue names.

The application runs over a copy of the default store (the shared one stays as ``init`` made it), with accounts
made here: an owner of 17-8-1 (the Internet users of the SDG database, last published 94.7 % for 2023), an owner of
another indicator, a reviewer, a viewer and an admin.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import sandyq
from sandyq import people
from sandyq.outputs.web import create_app
from sandyq.store import Store, accounts
from tests._postgres import BACKENDS, postgres_database
from tests.conftest import SDG_RAW

PASSWORD = "correct-horse-battery"
FIGURE = {"indicator": "17-8-1", "geo": "KAZ", "period": "2023", "unit": "PT", "source": "kz-sdg"}


@pytest.fixture(scope="module", params=BACKENDS)
def flow_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The store the application serves: a copy of the default store, or a PostgreSQL database of this module's
    own holding the SDG database's 17-8-1 (what the tests read and revise) — the same workflow on both backends."""
    if request.param == "postgresql":
        with postgres_database("flow") as url:
            with Store(url) as s:
                framework = sandyq.load_framework()
                s.register_sources(framework.sources.values())
                sandyq.load_file(s, SDG_RAW / "indicator_17-8-1.csv", framework, source="kz-sdg", default_geo="KAZ",
                                 vintage="2024-10-24")  # fmt: skip
            _people(url)
            yield url
        return
    path = tmp_path_factory.mktemp("flow") / "flow.duckdb"
    shutil.copy(request.getfixturevalue("default_db"), path)
    _people(str(path))
    yield str(path)


def _people(db: str) -> None:
    with Store(db) as s:
        people.add_user(s, "ann", "owner", PASSWORD, indicators=["17-8-1"])
        people.add_user(s, "otto", "owner", PASSWORD, indicators=["4-4-1"])
        people.add_user(s, "rita", "reviewer", PASSWORD)
        people.add_user(s, "remy", "reviewer", PASSWORD)
        people.add_user(s, "vic", "viewer", PASSWORD)


@pytest.fixture(scope="module")
def tokens(flow_db: str) -> dict[str, str]:
    with Store(flow_db) as s:
        made = {name: people.create_token(s, name, ["submit", "review", "read"])[1] for name in ("ann", "otto", "vic")}
        made["rita"] = people.create_token(s, "rita", ["review", "read"])[1]
        made["remy"] = people.create_token(s, "remy", ["review", "read"])[1]
        made["ann-read"] = people.create_token(s, "ann", ["read"])[1]
        made["expired"] = people.create_token(s, "ann", ["submit"], days=-1)[1]
        revoked, made["revoked"] = people.create_token(s, "ann", ["submit"])
        accounts.revoke_token(s, revoked.id)
    return made


@pytest.fixture(scope="module")
def flow_app(flow_db: str, tokens: dict[str, str]) -> FastAPI:
    return create_app(flow_db, language="en")


@pytest.fixture(scope="module")
def client(flow_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(flow_app) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def submit(client: TestClient, token: str, value: float, **figure: Any) -> Any:
    row = FIGURE | figure | {"value": value}
    return client.post("/api/submissions", json={"rows": [row]}, headers=bearer(token))


def published(client: TestClient, as_of: str | None = None, period: str = "2023") -> float:
    params = {"indicator": "17-8-1", "geo": "KAZ", "start": period[:4], "end": period[:4]}
    rows = client.get("/api/observations", params=params | ({"as_of": as_of} if as_of else {})).json()["observations"]
    return float(next(r["value"] for r in rows if r["period"] == period and r["source"] == "kz-sdg"))


def test_every_write_route_of_the_openapi_refuses_anonymous_401_and_a_wrong_role_403(
    client: TestClient, tokens: dict[str, str]
) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    writes = [(p, m) for p, ops in paths.items() for m in ops if m in ("post", "put", "patch", "delete")]
    assert len(writes) >= 5 and ("/api/measures/{programme}/{measure}", "post") in writes, writes
    for path, method in writes:
        url = path.replace("{sid}", "0" * 32).replace("{programme}", "digital-kazakhstan")
        url = url.replace("{measure}", "digital-literacy-campaign")
        anonymous = client.request(method, url, json={})
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
        viewer = client.request(method, url, json={}, headers=bearer(tokens["vic"]))
        assert viewer.status_code == 403, (method, path, viewer.text)
        read_only = client.request(method, url, json={}, headers=bearer(tokens["ann-read"]))
        assert read_only.status_code == 403, (method, path, read_only.text)
    for path in ("/api/trail", "/api/trail.csv", "/api/submissions"):
        assert client.get(path, headers=bearer(tokens["rita"])).headers["cache-control"] == "no-store"
        assert client.get(path).status_code == 401  # never answered from the response cache
    assert client.get("/api/trail", headers=bearer(tokens["ann"])).status_code == 403


def test_owner_submits_reviewer_approves_once_and_the_figure_is_published_as_a_new_vintage(
    client: TestClient, tokens: dict[str, str]
) -> None:
    assert published(client) == 94.7  # the SDG database's figure for 2023
    answer = submit(client, tokens["ann"], 95.3)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "pending" and body["account"] == "ann"
    [row] = body["rows"]
    assert (row["change"], row["prior_value"], row["value"]) == ("revised", 94.7, 95.3)
    assert published(client) == 94.7  # not published before review

    sid = body["id"]
    assert client.post(f"/api/submissions/{sid}/approve", headers=bearer(tokens["ann"])).status_code == 403
    shown = client.get(f"/api/submissions/{sid}", headers=bearer(tokens["rita"])).json()
    assert shown["rows"][0]["change"] == "revised"
    approved = client.post(
        f"/api/submissions/{sid}/approve", json={"comment": "checked"}, headers=bearer(tokens["rita"])
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["publication"]["revised"] == 1
    second = client.post(f"/api/submissions/{sid}/approve", headers=bearer(tokens["remy"]))
    assert second.status_code == 409 and "approved already" in second.json()["error"]["message"]
    assert published(client) == 95.3
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert published(client, as_of=yesterday) == 94.7  # the earlier vintage stays readable

    actions = [e["action"] for e in client.get("/api/trail", headers=bearer(tokens["rita"])).json()["events"]]
    assert {"submission.create", "submission.approve", "publication"} <= set(actions)
    csv = client.get("/api/trail.csv", headers=bearer(tokens["rita"]))
    assert csv.status_code == 200 and csv.text.startswith("seq,moment,actor,action,subject,detail,reason")
    assert sid in csv.text


def test_a_stale_submission_is_refused_naming_the_figure(client: TestClient, tokens: dict[str, str]) -> None:
    first = submit(client, tokens["ann"], 71.0, period="2019").json()["id"]
    second = submit(client, tokens["ann"], 72.0, period="2019").json()["id"]
    ok = client.post(f"/api/submissions/{first}/approve", headers=bearer(tokens["rita"]))
    assert ok.status_code == 200
    stale = client.post(f"/api/submissions/{second}/approve", headers=bearer(tokens["remy"]))
    assert stale.status_code == 409
    assert "17-8-1 KAZ 2019 (kz-sdg) is now 71" in stale.json()["error"]["message"]
    pending = client.get("/api/submissions?status=pending", headers=bearer(tokens["rita"])).json()["submissions"]
    assert second in [s["id"] for s in pending]  # nothing applied, nothing lost


def test_two_reviewers_deciding_at_once_one_wins_the_other_gets_409(client: TestClient, tokens: dict[str, str]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    sid = submit(client, tokens["ann"], 80.0, period="2020").json()["id"]
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(
                lambda who: client.post(f"/api/submissions/{sid}/approve", headers=bearer(tokens[who])).status_code,
                ["rita", "remy"],
            )
        )
    assert sorted(answers) == [200, 409]
    trail = client.get("/api/trail", headers=bearer(tokens["rita"])).json()["events"]
    assert [e["action"] for e in trail if e["subject"] == sid].count("publication") == 1  # published once


def test_owner_of_another_indicator_is_403_and_bad_tokens_are_401(client: TestClient, tokens: dict[str, str]) -> None:
    foreign = submit(client, tokens["otto"], 99.0)
    assert foreign.status_code == 403 and "does not own indicator 17-8-1" in foreign.json()["error"]["message"]
    expired = submit(client, tokens["expired"], 99.0)
    assert expired.status_code == 401 and "expired" in expired.json()["error"]["message"]
    revoked = submit(client, tokens["revoked"], 99.0)
    assert revoked.status_code == 401 and "revoked" in revoked.json()["error"]["message"]
    wrong = submit(client, "sqt_not-a-token", 99.0)
    assert wrong.status_code == 401


def test_a_submission_is_validated_like_a_load(client: TestClient, tokens: dict[str, str]) -> None:
    over = submit(client, tokens["ann"], 120.0)  # a percentage above 100
    assert over.status_code == 400, over.text
    assert over.json()["error"]["problems"]
    upload = client.post(
        "/api/submissions/upload",
        files={
            "file": (
                "kz.csv",
                b"INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,SOURCE\n17-8-1,KAZ,2024,96.1,PT,kz-sdg\n",
            )
        },
        headers=bearer(tokens["ann"]),
    )
    assert upload.status_code == 201, upload.text
    assert [r["change"] for r in upload.json()["rows"]] == ["new"]
    returned = client.post(f"/api/submissions/{upload.json()['id']}/return", json={}, headers=bearer(tokens["rita"]))
    assert returned.status_code == 400  # returning needs a comment
    returned = client.post(
        f"/api/submissions/{upload.json()['id']}/return", json={"comment": "source?"}, headers=bearer(tokens["rita"])
    )
    assert returned.json()["status"] == "returned"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def _entry(form: str, period: str, value: str) -> dict[str, str]:
    """What the entry form sends for Kazakhstan's total: ``value`` for ``period``, the rest as the form shows it."""
    index = re.search(r'name="geo_(\d+)" value="KAZ"><\/td>\s*<td>Total', form)
    count = re.search(r'name="count" value="(\d+)"', form)
    assert index and count, form[:3000]
    i = index.group(1)
    data = {k: v for k, v in re.findall(r'name="(\w+_\d+)" value="([^"]*)"', form) if k.endswith(f"_{i}")}
    return data | {"csrf": _csrf(form), "count": count.group(1), f"value_{i}": value, f"period_{i}": period}


def _signed_in(app: FastAPI, name: str) -> TestClient:
    web = TestClient(app)  # a browser of its own (its own cookies); the module's client runs the app
    csrf = _csrf(web.get("/en/login/").text)
    assert web.post("/en/login/", data={"name": name, "password": PASSWORD, "csrf": csrf}).status_code in (200, 403)
    return web


def test_a_stale_form_is_refused_naming_the_figure(
    client: TestClient, flow_app: FastAPI, tokens: dict[str, str]
) -> None:
    web = _signed_in(flow_app, "ann")
    form = web.get("/en/submit/17-8-1/").text
    moved = submit(client, tokens["ann"], 96.6)  # meanwhile the 2023 figure is revised and published
    assert (
        client.post(f"/api/submissions/{moved.json()['id']}/approve", headers=bearer(tokens["rita"])).status_code == 200
    )
    stale = web.post("/en/submit/17-8-1/", data=_entry(form, "2023", "97.7"))
    assert stale.status_code == 409
    assert "17-8-1 KAZ 2023 (kz-sdg): the published figure changed to 96.6" in stale.text


def test_pages_sign_in_with_csrf_enter_a_figure_and_review_it(client: TestClient, flow_app: FastAPI) -> None:
    web = TestClient(flow_app)  # a browser of its own (its own cookies); the module's client runs the app
    assert web.get("/en/submit/", follow_redirects=False).headers["location"] == "/en/login/?next=/en/submit/"
    csrf = _csrf(web.get("/en/login/").text)
    no_csrf = web.post("/en/login/", data={"name": "ann", "password": PASSWORD})
    assert no_csrf.status_code == 403
    signed = web.post("/en/login/", data={"name": "ann", "password": PASSWORD, "csrf": csrf, "next": "/en/submit/"})
    assert signed.status_code == 200 and "17-8-1" in signed.text
    form = web.get("/en/submit/17-8-1/")
    assert form.headers["cache-control"] == "no-store"
    assert re.search(r"\d+\.\d+ \(2023\)", form.text)  # the latest published figure is beside the field
    data = _entry(form.text, "2024", "97.0")
    entered = web.post("/en/submit/17-8-1/", data=data, follow_redirects=False)
    assert entered.status_code == 303, entered.text
    page = web.get(entered.headers["location"])
    assert "pending" in page.text and "97.0" in page.text
    assert web.post("/en/submit/17-8-1/", data=data | {"csrf": "forged"}).status_code == 403
    assert web.get("/en/review/").status_code == 403  # an owner does not review
    web.post("/en/logout/", data={"csrf": _csrf(page.text)})
    assert web.get("/en/submit/", follow_redirects=False).status_code == 303


def test_sign_in_is_rate_limited_per_account_and_address(client: TestClient, flow_app: FastAPI) -> None:
    web = TestClient(flow_app)
    csrf = _csrf(web.get("/en/login/").text)
    statuses = [
        web.post("/en/login/", data={"name": "vic", "password": "wrong", "csrf": csrf}).status_code for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    right = web.post("/en/login/", data={"name": "vic", "password": PASSWORD, "csrf": csrf})
    assert right.status_code == 429  # even the right password waits until the failures age out
    other = web.post("/en/login/", data={"name": "rita", "password": PASSWORD, "csrf": csrf}, follow_redirects=False)
    assert other.status_code == 303  # another account from the same address is not held back


#: Values for the path and required query parameters of every route: unknown ones, so that each answers fast.
_UNKNOWN = {"sid": "0" * 32, "indicator_id": "no-such", "indicator": "no-such", "name": "no-such"}


def test_every_route_that_answers_401_declares_how_to_sign_in_and_no_public_route_does(
    client: TestClient, flow_app: FastAPI, flow_db: str
) -> None:
    # Every route is asked anonymously on the small PostgreSQL store; on the default store (DuckDB) the public
    # routes without a parameter are left out: they compute the whole programme's answers, for a minute.
    every = flow_db.startswith("postgresql")
    schema = client.get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert (schemes["apiToken"]["type"], schemes["apiToken"]["scheme"]) == ("http", "bearer")
    assert (schemes["session"]["in"], schemes["session"]["name"]) == ("cookie", "sandyq_session")
    assert (schemes["csrf"]["in"], schemes["csrf"]["name"]) == ("header", "X-CSRF-Token")
    private, public = [], []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            params = {p["name"]: _UNKNOWN.get(p["name"], "x") for p in op.get("parameters", []) if p.get("required")}
            if not (every or params or op.get("security")):
                public.append(path)
                continue
            query = {k: v for k, v in params.items() if f"{{{k}}}" not in path}
            url = path.format(**{k: v for k, v in params.items() if k not in query})
            anonymous = client.request(method, url, params=query, json={} if method != "get" else None)
            declared = op.get("security")
            assert (anonymous.status_code == 401) == bool(declared), (method, path, anonymous.status_code, declared)
            if not declared:
                public.append(path)
                continue
            private.append(path)
            write = method in ("post", "put", "patch", "delete")
            assert declared[1] == ({"session": [], "csrf": []} if write else {"session": []}), (method, path)
            [scope] = declared[0]["apiToken"]
            assert scope in accounts.SCOPES, (method, path, declared)
    assert len(private) >= 9 and len(public) >= 20, (private, public)
    assert not set(private) & {"/api/indicators", "/api/observations", "/api/progress"}

    # What the CSRF scheme says holds: a write with the session cookie needs the session's X-CSRF-Token header.
    web = _signed_in(flow_app, "rita")
    csrf = _csrf(web.get("/en/login/").text)
    url = f"/api/submissions/{'0' * 32}/reject"
    assert web.post(url, json={"comment": "no"}).status_code == 403
    assert web.post(url, json={"comment": "no"}, headers={"X-CSRF-Token": csrf}).status_code == 404  # let in
