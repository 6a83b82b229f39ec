"""Issue 16, item 3: the reviewer's diff flags broken validation rules and outliers; the entry form checks live.

Real bundled rules and published figures: the UN E-Government Survey's EGDI for Kazakhstan in 2022 is 0.8628,
the mean of its components OSI 0.9344, HCI 0.9021 and TII 0.7520 (rule ``egdi-mean-of-components``, from 2014);
an EGDI of 0 means "not assessed" (rule ``egdi-zero-is-not-assessed``).  Internet users (17-8-1, SDG database)
were 94.7 % in 2023, after rises of a few points a year.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandyq import people
from sandyq.outputs.web import create_app
from sandyq.store import Store

PASSWORD = "correct-horse-battery"
EGDI = {"indicator": "EGDI", "geo": "KAZ", "period": "2022", "unit": "INDEX_0_1", "source": "un-egov"}
USERS = {"indicator": "17-8-1", "geo": "KAZ", "unit": "PT", "source": "kz-sdg"}
MEAN_RULE = "rule egdi-mean-of-components: EGDI == mean(EGDI.OSI, EGDI.HCI, EGDI.TII) does not hold with"


@pytest.fixture(scope="module")
def tokens_and_client(default_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("flow-checks") / "flow.duckdb"
    shutil.copy(default_db, path)
    with Store(path) as s:
        people.add_user(s, "eve", "owner", PASSWORD, indicators=["EGDI", "EGDI.OSI", "EGDI.HCI", "EGDI.TII"])
        people.add_user(s, "ann", "owner", PASSWORD, indicators=["17-8-1"])
        people.add_user(s, "rita", "reviewer", PASSWORD)
        tokens = {name: people.create_token(s, name, ["submit", "review", "read"])[1] for name in ("eve", "ann")}
        tokens["rita"] = people.create_token(s, "rita", ["review", "read"])[1]
    with TestClient(create_app(path, language="en")) as client:
        yield tokens, client


@pytest.fixture(scope="module")
def client(tokens_and_client: Any) -> TestClient:
    return tokens_and_client[1]


@pytest.fixture(scope="module")
def tokens(tokens_and_client: Any) -> dict[str, str]:
    return tokens_and_client[0]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def warnings_of(answer: Any) -> list[list[str]]:
    assert answer.status_code in (200, 201), answer.text
    return [r["warnings"] for r in answer.json()["rows"]]


def test_a_submission_breaking_a_declared_rule_is_flagged_with_the_rule_and_its_text(
    client: TestClient, tokens: dict[str, str]
) -> None:
    same = client.post("/api/submissions", json={"rows": [EGDI | {"value": 0.8628}]}, headers=bearer(tokens["eve"]))
    assert warnings_of(same) == [[]]  # the published mean of the components: nothing to flag

    broken = client.post("/api/submissions", json={"rows": [EGDI | {"value": 0.9}]}, headers=bearer(tokens["eve"]))
    [[flag]] = warnings_of(broken)
    assert flag.startswith(f"{MEAN_RULE} 0.9 against 0.8628 (EGDI equals the mean of the Online Service (OSI)")
    assert broken.json()["rows"][0]["flags"] == flag  # kept with the submission

    sid = broken.json()["id"]
    ru = client.get(f"/api/submissions/{sid}", params={"lang": "ru"}, headers=bearer(tokens["rita"]))
    [[said]] = warnings_of(ru)
    assert said.startswith("правило egdi-mean-of-components: условие EGDI == mean(EGDI.OSI, EGDI.HCI, EGDI.TII) ")
    assert "0,9 против 0,8628 (EGDI равен среднему индексов онлайн-услуг (OSI)" in said


def test_a_component_revised_flags_its_own_row_and_a_zero_breaks_the_not_assessed_rule(
    client: TestClient, tokens: dict[str, str]
) -> None:
    rows = [EGDI | {"indicator": "EGDI.OSI", "value": 0.5}, EGDI | {"period": "2018", "value": 0.0}]
    osi, zero = warnings_of(client.post("/api/submissions", json={"rows": rows}, headers=bearer(tokens["eve"])))
    # OSI 0.5 with HCI 0.9021 and TII 0.7520 makes the mean 0.7180, no longer the published EGDI 0.8628
    assert osi == [
        f"{MEAN_RULE} 0.8628 against 0.7180 (EGDI equals the mean of the Online Service (OSI), Human "
        "Capital (HCI) and Telecommunication Infrastructure (TII) indices (UN methodology from 2014).)"
    ]
    assert any(f.startswith("rule egdi-zero-is-not-assessed: EGDI > 0 does not hold with 0 against 0") for f in zero)
    assert any(f.startswith(MEAN_RULE) for f in zero) and any(f.startswith("jump -100% from 0.7597") for f in zero)


def test_an_outlier_against_the_series_is_flagged_where_the_jump_is_not(
    client: TestClient, tokens: dict[str, str]
) -> None:
    ordinary = client.post(
        "/api/submissions", json={"rows": [USERS | {"period": "2024", "value": 96.1}]}, headers=bearer(tokens["ann"])
    )
    assert warnings_of(ordinary) == [[]]
    answer = client.post(
        "/api/submissions", json={"rows": [USERS | {"period": "2024", "value": 60.0}]}, headers=bearer(tokens["ann"])
    )
    [flags] = warnings_of(answer)  # a fall of 37 %: below the jump's 50 %, yet far outside the series' changes
    assert len(flags) == 1 and re.fullmatch(
        r"outlier: 94\.7 in 2023 → 60 in 2024 \(-34\.7\) is \d+\.\d robust scales from the series' typical change "
        r"\(\S+ ± \S+\)",
        flags[0],
    ), flags
    kk = client.get(f"/kk/review/{answer.json()['id']}/", headers=bearer(tokens["rita"]))
    assert kk.status_code == 200
    assert "шығарынды: 2023 кезеңінде 94,7 → 2024 кезеңінде 60 (−34,7)" in kk.text


def test_the_check_endpoint_answers_per_row_as_a_submission_would_and_keeps_nothing(
    client: TestClient, tokens: dict[str, str]
) -> None:
    before = len(client.get("/api/submissions", headers=bearer(tokens["rita"])).json()["submissions"])
    rows = [USERS | {"period": "2024", "value": "120"}, USERS | {"period": "2025", "value": "96.1"}, EGDI]
    mixed = client.post(
        "/api/submissions/check",
        params={"lang": "ru"},
        json={"rows": [rows[0], rows[1]]},
        headers=bearer(tokens["ann"]),
    )
    assert mixed.status_code == 200, mixed.text
    body = mixed.json()
    assert body["ok"] is False and body["problems"] == []
    assert body["rows"][0] == [
        {
            "field": "value",
            "kind": "error",
            "text": "значение 120 выходит за пределы, допустимые для единицы PT: [0, 100]",
        }
    ]
    assert body["rows"][1] == []
    period = client.post(
        "/api/submissions/check", json={"rows": [rows[1] | {"period": "2025-13"}]}, headers=bearer(tokens["ann"])
    ).json()
    assert period["rows"] == [[{"field": "period", "kind": "error", "text": "not a year, quarter or month: '2025-13'"}]]

    flagged = client.post(
        "/api/submissions/check", json={"rows": [EGDI | {"value": "0.9"}]}, headers=bearer(tokens["eve"])
    ).json()
    assert flagged["ok"] is True and flagged["rows"][0][0]["kind"] == "flag"
    assert flagged["rows"][0][0]["text"].startswith(f"{MEAN_RULE} 0.9 against 0.8628")

    foreign = client.post(
        "/api/submissions/check", json={"rows": [EGDI | {"value": "0.9"}]}, headers=bearer(tokens["ann"])
    )
    assert foreign.status_code == 403 and "does not own indicator EGDI" in foreign.json()["error"]["message"]
    assert client.post("/api/submissions/check", json={"rows": [rows[1]]}).status_code == 401
    after = len(client.get("/api/submissions", headers=bearer(tokens["rita"])).json()["submissions"])
    assert after == before  # a check keeps nothing


def test_the_entry_form_carries_its_live_checks_and_works_without_them(client: TestClient) -> None:
    web = TestClient(client.app)  # a browser of its own (its own cookies)
    csrf = re.search(r'name="csrf" value="([^"]+)"', web.get("/ru/login/").text)
    assert csrf
    web.post("/ru/login/", data={"name": "ann", "password": PASSWORD, "csrf": csrf.group(1)})
    form = web.get("/ru/submit/17-8-1/").text
    assert re.search(r'data-check="[./]*api/submissions/check\?lang=ru"', form)
    assert re.search(r'src="[./]*static/entry.js"', form)
    assert re.search(r'<ul class="flow-problems" id="problems_\d+" role="status"', form)
    script = web.get("/static/entry.js")
    assert script.status_code == 200 and "X-CSRF-Token" in script.text
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token
    row = USERS | {"period": "2025", "value": "97.0"}
    session = web.post("/api/submissions/check", json={"rows": [row]}, headers={"X-CSRF-Token": token.group(1)})
    assert session.status_code == 200 and session.json()["ok"] is True
    forged = web.post("/api/submissions/check", json={"rows": [row]}, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
