"""Deadline and target-status notices, against a real SMTP server (aiosmtpd) and a webhook receiver on loopback.

The figures are the Bureau of National Statistics' (the SDG database's 17-8-1, published 2024-10-24, and the
household survey's share of Internet users 2011–2017 kept in the programme-targets data); the deadlines follow
the default release calendar (an annual figure is due nine months after its year ends).
"""

from __future__ import annotations

import email
import email.policy
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import sandyq
from sandyq import alerts, flow, people
from sandyq.framework import Framework
from sandyq.outputs.cli import app
from sandyq.passwords import hash_password
from sandyq.store import Store, accounts
from tests._postgres import BACKENDS, backend_url
from tests.conftest import SDG_RAW
from tests.test_notify import Inbox, smtp, webhook  # noqa: F401  (the fixtures: a real SMTP server, a receiver)

PASSWORD = "pw-correct-horse"
#: Share of individuals using the Internet (age 6-74), household ICT survey of the Bureau of National Statistics.
BNS_INTERNET = {"2011": 50.6, "2015": 72.8660129673921, "2016": 76.8, "2017": 78.8}


@pytest.fixture(scope="module")
def hashed() -> str:
    """One password hash for every account (argon2 takes its time by design; nobody signs in here)."""
    return hash_password(PASSWORD)


def _monitor(framework: Framework, path: str | Path = ":memory:") -> sandyq.Monitor:
    m = sandyq.Monitor(Store(path), framework)
    m.store.register_sources(m.framework.sources.values())
    m.load(SDG_RAW / "indicator_17-8-1.csv", source="kz-sdg", default_geo="KAZ", vintage="2024-10-24")
    return m


def _people(store: Store, hashed: str) -> dict[str, Any]:
    made = [
        ("ann", "owner", ["17-8-1"], "ann@stat.kz"),
        ("dana", "owner", ["dk.internet_users_share"], "dana@stat.kz"),
        ("rita", "reviewer", [], "rita@mdd.kz"),
        ("ada", "admin", [], "ada@mdd.kz"),
        ("vic", "viewer", [], "vic@example.kz"),
    ]
    return {n: accounts.add_account(store, n, r, hashed, indicators=i, email=e) for n, r, i, e in made}


def _mail(inbox: Inbox, i: int) -> email.message.EmailMessage:
    message = email.message_from_bytes(inbox.messages[i].content, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_overdue_figure_is_told_once_to_its_owners_and_the_admins(
    framework: Framework,
    hashed: str,
    request: pytest.FixtureRequest,
    backend: str,
    smtp: Inbox,  # noqa: F811
    webhook: list[dict[str, Any]],  # noqa: F811
) -> None:
    with _monitor(framework, backend_url(request, backend)) as m:
        _people(m.store, hashed)
        # 17-8-1's latest figure is for 2023: the 2024 one is due by 2025-09-30 (P9M), on time that day
        assert alerts.overdue(m, "2025-09-30") == []
        told = alerts.notify_due(m, "2025-10-15")
        again = alerts.notify_due(m, "2025-10-20")
        trail = [e for e in accounts.audit_events(m.store) if e["action"] == alerts.DUE]
    assert [(o.indicator, o.period, o.due.isoformat(), sent) for o, sent in told] == [
        ("17-8-1", "2024", "2025-09-30", True)
    ]
    assert [(o.key, sent) for o, sent in again] == [("17-8-1 2024", False)]  # still overdue, not told twice
    assert [e["subject"] for e in trail] == ["17-8-1 2024"]
    assert [sorted(e.rcpt_tos) for e in smtp.messages] == [["ada@mdd.kz", "ann@stat.kz"]]
    message = _mail(smtp, 0)
    assert message["Subject"] == "sandyq: the 2024 figure of 17-8-1 is overdue (due 2025-09-30)"
    assert "15 days late" in message.get_content()
    assert "The latest figure is 94.7 PT for 2023 in KAZ (source kz-sdg" in message.get_content()
    [hook] = webhook
    assert (hook["event"], hook["indicator"], hook["period"], hook["due"]) == (
        "figure.due",
        "17-8-1",
        "2024",
        "2025-09-30",
    )
    assert (
        hook["latest"]["period"] == "2023" and hook["latest"]["unit"] == "PT" and hook["latest"]["source"] == "kz-sdg"
    )
    assert hook["latest"]["vintage"].startswith("2024-10-24") and hook["latest"]["value"] == 94.7


def test_no_notice_when_the_figure_is_there(
    framework: Framework,
    hashed: str,
    smtp: Inbox,  # noqa: F811
    webhook: list[dict[str, Any]],  # noqa: F811
) -> None:
    """Once an owner's figures for every period due by today are approved, nothing is overdue (and none told)."""
    with _monitor(framework) as m:
        who = _people(m.store, hashed)
        [late] = alerts.overdue(m)
        periods = [late.period]
        while len(periods) < late.missing:
            periods.append(str(int(periods[-1]) + 1))
        rows = [
            {
                "indicator": "17-8-1",
                "geo": "KAZ",
                "period": p,
                "value": late.last_value,
                "unit": "PT",
                "source": "kz-sdg",
            }
            for p in periods
        ]
        sid = flow.submit(m, who["ann"], flow.read_rows(m, rows), file="form", format="form")
        flow.decide(m, who["rita"], sid, "approve")
        assert alerts.notify_due(m) == []
    assert [w["event"] for w in webhook] == ["submission.awaiting", "submission.decided"]


def _approve(m: sandyq.Monitor, who: dict[str, Any], values: dict[str, float]) -> str:
    rows = [
        {"indicator": "dk.internet_users_share", "geo": "KAZ", "period": p, "value": v, "unit": "PT"}
        | {"source": "kz-bns-survey"}
        for p, v in values.items()
    ]
    sid = flow.submit(m, who["dana"], flow.read_rows(m, rows), file="form", format="form")
    flow.decide(m, who["rita"], sid, "approve")
    return sid


def test_an_approval_that_moves_a_target_tells_owners_reviewers_and_admins(
    framework: Framework,
    hashed: str,
    smtp: Inbox,  # noqa: F811
    webhook: list[dict[str, Any]],  # noqa: F811
) -> None:
    with _monitor(framework) as m:
        who = _people(m.store, hashed)
        sid = _approve(m, who, {p: BNS_INTERNET[p] for p in ("2015", "2016", "2017")})
    moves = [w for w in webhook if w["event"] == "target.status"]
    assert [(w["programme"], w["target"], w["from"], w["to"]) for w in moves] == [
        ("digital-kazakhstan", "dk-internet-users-2018", "no_data", "achieved"),  # 78.8 in 2017 ≥ 78
        ("digital-kazakhstan", "dk-internet-users-2022", "no_data", "insufficient_data"),
        ("digital-kazakhstan-2020-draft", "dk20-internet-2020", "no_data", "achieved"),
    ]
    assert moves[0]["submission"] == sid and len(moves[0]["figures"]) == 3
    figure = moves[0]["figures"][2]
    assert (figure["period"], figure["value"], figure["unit"], figure["source"]) == (
        "2017",
        78.8,
        "PT",
        "kz-bns-survey",
    )
    assert figure["vintage"][:4] >= "2026"
    mails = [_mail(smtp, i) for i in range(len(smtp.messages))]
    status = [
        (sorted(e.rcpt_tos), msg) for e, msg in zip(smtp.messages, mails, strict=True) if "moved" in msg["Subject"]
    ]
    assert len(status) == 3 and all(to == ["ada@mdd.kz", "dana@stat.kz", "rita@mdd.kz"] for to, _ in status)
    subject, text = status[0][1]["Subject"], status[0][1].get_content()
    assert (
        subject
        == "sandyq: target dk-internet-users-2018 (dk.internet_users_share) moved from no data to target achieved"
    )
    assert "78.8 PT for 2017 (KAZ)" in text


def test_an_approval_that_moves_no_target_tells_only_the_owner(
    framework: Framework,
    hashed: str,
    smtp: Inbox,  # noqa: F811
    webhook: list[dict[str, Any]],  # noqa: F811
) -> None:
    with _monitor(framework) as m:
        who = _people(m.store, hashed)
        _approve(m, who, {p: BNS_INTERNET[p] for p in ("2015", "2016", "2017")})
        webhook.clear()
        smtp.messages.clear()
        _approve(m, who, {"2011": BNS_INTERNET["2011"]})  # an earlier year: every verdict stands
    assert [w["event"] for w in webhook] == ["submission.awaiting", "submission.decided"]
    assert [e.rcpt_tos for e in smtp.messages] == [["ada@mdd.kz", "rita@mdd.kz"], ["dana@stat.kz"]]


def test_sandyq_notify_due_lists_and_tells_once(
    framework: Framework,
    hashed: str,
    tmp_path: Path,
    smtp: Inbox,  # noqa: F811
    webhook: list[dict[str, Any]],  # noqa: F811
) -> None:
    db = tmp_path / "due.duckdb"
    with _monitor(framework, db) as m:
        _people(m.store, hashed)
    runner = CliRunner()
    args = ["--db", str(db), "notify", "due", "--as-of", "2025-10-15", "--format", "csv"]
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert (
        "17-8-1,2024,2025-09-30,P9M,1,2023,KAZ,94.7,PT,kz-sdg" in dry.stdout
        and "nothing sent or recorded" in dry.stderr
    )
    assert smtp.messages == [] and webhook == []
    told = runner.invoke(app, args)
    assert told.exit_code == 0, told.output
    assert told.stdout.strip().endswith("True") and "1 notices sent now" in told.stderr
    assert len(smtp.messages) == 1 and [w["event"] for w in webhook] == ["figure.due"]
    with Store(db, read_only=True) as s:
        assert [e["actor"] for e in accounts.audit_events(s) if e["action"] == alerts.DUE] == ["notify due"]
    bad = runner.invoke(app, ["--db", str(db), "notify", "due", "--as-of", "15/10/2025"])
    assert bad.exit_code != 0 and "expected a date, YYYY-MM-DD" in bad.stderr


def test_a_slow_mail_server_holds_up_no_other_writer(
    framework: Framework, hashed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard sends its notices after its write turn: while the SMTP server takes 3 s over a
    submission's notice, a reviewer's decision on another submission is written at once."""
    import asyncio
    import socket

    from aiosmtpd.controller import Controller
    from fastapi.testclient import TestClient

    from sandyq.outputs.web import create_app

    class Slow(Inbox):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            await asyncio.sleep(3)
            return await super().handle_DATA(server, session, envelope)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Slow()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    db = tmp_path / "slow.duckdb"
    try:
        with _monitor(framework, db) as m:
            who = _people(m.store, hashed)
            row = {"indicator": "17-8-1", "geo": "KAZ", "period": "2024", "value": 96.0, "unit": "PT"}
            waiting = flow.submit(m, who["ann"], flow.read_rows(m, [row | {"source": "kz-sdg"}]), file="f", format="f")
            owner = people.create_token(m.store, "ann", ["submit"])[1]
            reviewer = people.create_token(m.store, "rita", ["review", "read"])[1]
        monkeypatch.setenv("SANDYQ_SMTP", f"127.0.0.1:{port}")
        monkeypatch.setenv("SANDYQ_NOTIFY_TIMEOUT", "10")
        with TestClient(create_app(db, language="en")) as client:
            assert client.get("/api/submissions", headers={"Authorization": f"Bearer {reviewer}"}).status_code == 200
            started = time.perf_counter()
            submitted = client.post(
                "/api/submissions",
                json={"rows": [row | {"period": "2022", "value": 93.0, "source": "kz-sdg"}]},
                headers={"Authorization": f"Bearer {owner}"},
            )
            decided = client.post(
                f"/api/submissions/{waiting}/reject",
                json={"comment": "the survey is not out yet"},
                headers={"Authorization": f"Bearer {reviewer}"},
            )
            took = time.perf_counter() - started
            assert submitted.status_code == 201 and decided.status_code == 200, (submitted.text, decided.text)
            assert took < 2.5 and inbox.messages == []  # both written while the first notice still waits
            deadline = time.monotonic() + 15
            while len(inbox.messages) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
        assert sorted(r for e in inbox.messages for r in e.rcpt_tos) == ["ada@mdd.kz", "ann@stat.kz", "rita@mdd.kz"]
    finally:
        controller.stop()


def test_two_runs_at_once_tell_once(
    framework: Framework,
    hashed: str,
    pg_empty: str,
    smtp: Inbox,  # noqa: F811
) -> None:
    """Two cron runs on two machines over one PostgreSQL store: the notice is claimed in the audit trail once."""
    import threading

    with _monitor(framework, pg_empty) as m:
        _people(m.store, hashed)
    results: list[list[bool]] = []
    ready = threading.Barrier(2)

    def run() -> None:
        with sandyq.Monitor(Store(pg_empty), framework) as mine:
            ready.wait()
            results.append([sent for _, sent in alerts.notify_due(mine, "2025-10-15")])

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [[False], [True]] and len(smtp.messages) == 1
