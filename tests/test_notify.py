"""Notifications: a real SMTP server (aiosmtpd) and a webhook receiver on loopback hear of each submission and
decision; a server that is down loses the notification, never the decision."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

import sandyq
from sandyq import flow, people
from tests.conftest import SDG_RAW


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SANDYQ_SMTP", f"127.0.0.1:{port}")
    yield inbox
    controller.stop()


@pytest.fixture
def webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SANDYQ_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    yield received
    server.shutdown()


def _monitor() -> sandyq.Monitor:
    m = sandyq.connect(":memory:")
    m.store.register_sources(m.framework.sources.values())
    m.load(SDG_RAW / "indicator_17-8-1.csv", source="kz-sdg", default_geo="KAZ", vintage="2024-10-24")
    return m


def test_reviewers_hear_of_a_submission_and_the_owner_of_the_decision(
    smtp: Inbox, webhook: list[dict[str, Any]]
) -> None:
    with _monitor() as m:
        ann, _ = people.add_user(m.store, "ann", "owner", "pw-ann-1234", indicators=["17-8-1"], email="ann@stat.kz")
        rita, _ = people.add_user(m.store, "rita", "reviewer", "pw-rita-1234", email="rita@mdd.kz")
        people.add_user(m.store, "vic", "viewer", "pw-vic-1234", email="vic@example.kz")
        rows = [
            {"indicator": "17-8-1", "geo": "KAZ", "period": "2023", "value": 95.3, "unit": "PT", "source": "kz-sdg"}
        ]
        sid = flow.submit(m, ann, flow.read_rows(m, rows), file="form", format="form")
        flow.decide(m, rita, sid, "return", "which survey?")
    assert [e.rcpt_tos for e in smtp.messages] == [["rita@mdd.kz"], ["ann@stat.kz"]]
    first = email.message_from_bytes(smtp.messages[0].content, policy=email.policy.default)
    assert first["Subject"] == f"sandyq: submission {sid} (17-8-1) by ann awaits review"
    assert "which survey?" in smtp.messages[1].content.decode()
    assert [(w["event"], w["status"]) for w in webhook] == [
        ("submission.awaiting", "pending"),
        ("submission.decided", "returned"),
    ]
    assert webhook[1]["comment"] == "which survey?" and webhook[1]["decided_by"] == "rita"


def test_a_server_that_is_down_loses_the_notification_not_the_decision(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SANDYQ_SMTP", "127.0.0.1:1")
    monkeypatch.setenv("SANDYQ_WEBHOOK", "http://127.0.0.1:1/hook")
    with _monitor() as m:
        ann, _ = people.add_user(m.store, "ann", "owner", "pw-ann-1234", indicators=["17-8-1"], email="ann@stat.kz")
        people.add_user(m.store, "rita", "reviewer", "pw-rita-1234", email="rita@mdd.kz")
        rows = [
            {"indicator": "17-8-1", "geo": "KAZ", "period": "2024", "value": 96.0, "unit": "PT", "source": "kz-sdg"}
        ]
        sid = flow.submit(m, ann, flow.read_rows(m, rows), file="form", format="form")
        assert sandyq.store.submissions.submission(m.store, sid)[0]["status"] == "pending"
    assert "not e-mailed" in caplog.text and "not posted" in caplog.text
