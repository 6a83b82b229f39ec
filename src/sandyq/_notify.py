"""Notifications of the workflow: an e-mail (SMTP) and a webhook POST when a submission awaits review and when it
is decided (and, through :mod:`sandyq._alerts`, when a figure is overdue or a target's status moves).

Reviewers and admins with an e-mail address hear of each new submission, the owner of each decision.  The
SMTP server is the setting ``smtp`` (``host:port``), the webhook the setting ``webhook`` (a URL that receives
the event as JSON).  A notification is sent after the change it reports is committed, and one that cannot be
sent is logged, never raised: the submission or decision stands.  A writer that holds the store (the
dashboard's write turn, the command line's open store) collects its notices in an *outbox* (a list of
:class:`Notice`) and sends them once it has let the store go (:func:`send`, :func:`send_later`), so a slow
or hanging mail server delays the notice, never another writer; each wait is bounded by ``notify_timeout``.
"""

from __future__ import annotations

import json
import logging
import smtplib
import threading
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from .settings import resolve
from .store import Store
from .store import accounts as records
from .store import submissions as kept

__all__ = ["Notice", "deliver", "event", "notify", "send", "send_later"]

log = logging.getLogger("sandyq.notify")


@dataclass(frozen=True)
class Notice:
    """A notification made but not sent yet: the webhook's JSON, the e-mail's recipients, subject and body."""

    note: dict[str, Any]
    to: list[str]
    subject: str
    body: str

    def send(self) -> dict[str, Any]:
        """Send it now (see :func:`deliver`); what was sent."""
        return deliver(self.note, self.to, self.subject, self.body)


def send(outbox: Sequence[Notice]) -> list[dict[str, Any]]:
    """Send every notice of an outbox, in order; what was sent for each."""
    return [n.send() for n in outbox]


def send_later(outbox: Sequence[Notice]) -> threading.Thread | None:
    """Send an outbox's notices from a thread of their own (None when there is none): the caller goes on at once."""
    if not outbox:
        return None
    thread = threading.Thread(target=send, args=(list(outbox),), name="sandyq-notify", daemon=True)
    thread.start()
    return thread


def event(store: Store, sid: str, kind: str) -> dict[str, Any]:
    """The notification of submission ``sid``: ``kind`` (``submission.awaiting`` or ``submission.decided``)."""
    info, _ = kept.submission(store, sid)
    return {
        "event": kind,
        "submission": sid,
        "account": info["account"],
        "status": info["status"],
        "indicators": str(info["indicators"]).split(","),
        "rows": int(info["row_count"]),
        "decided_by": info["decided_by"],
        "comment": info["comment"],
    }


def _recipients(store: Store, note: dict[str, Any]) -> list[str]:
    people = [a for a in records.accounts(store) if a.active and a.email]
    if note["event"] == "submission.awaiting":
        return [a.email for a in people if a.role in ("reviewer", "admin") and a.email]
    return [a.email for a in people if a.name == note["account"] and a.email]


def _text(note: dict[str, Any]) -> tuple[str, str]:
    """The subject and body of the e-mail of a notification.

    >>> _text({"event": "submission.decided", "submission": "ab12", "account": "ann", "status": "approved",
    ...        "indicators": ["17-8-1"], "rows": 1, "decided_by": "rita", "comment": None})[0]
    'sandyq: submission ab12 (17-8-1) approved by rita'
    """
    what = ", ".join(note["indicators"])
    if note["event"] == "submission.awaiting":
        subject = f"sandyq: submission {note['submission']} ({what}) by {note['account']} awaits review"
    else:
        subject = f"sandyq: submission {note['submission']} ({what}) {note['status']} by {note['decided_by']}"
    body = "\n".join(f"{k}: {v}" for k, v in note.items() if v is not None) + "\n"
    return subject, body


def notify(store: Store, sid: str, kind: str, outbox: list[Notice] | None = None) -> dict[str, Any] | None:
    """Send the notification of submission ``sid`` by e-mail and webhook as the settings say; what was sent.

    With an ``outbox`` the notice is put in it instead (None is returned), for the caller to send once it has let
    the store go.
    """
    note = event(store, sid, kind)
    notice = Notice(note, _recipients(store, note), *_text(note))
    if outbox is not None:
        outbox.append(notice)
        return None
    return notice.send()


def deliver(note: dict[str, Any], to: list[str], subject: str, body: str) -> dict[str, Any]:
    """Send ``note`` by e-mail to ``to`` (if the setting ``smtp`` names a server) and as JSON to the setting
    ``webhook`` (if set); what was sent.  Any notification of sandyq goes out through here, after the change it
    reports is committed; one that cannot be sent is logged, never raised."""
    sent: dict[str, Any] = {"mail": [], "webhook": None}
    server, hook = str(resolve("smtp") or ""), str(resolve("webhook") or "")
    timeout = float(resolve("notify_timeout"))
    label = note.get("submission") or note.get("event")
    if server and to:
        message = EmailMessage()
        message["Subject"] = subject
        message["From"], message["To"] = str(resolve("mail_from")), ", ".join(to)
        message.set_content(body)
        host, _, port = server.rpartition(":")
        try:
            with smtplib.SMTP(host or server, int(port or 25), timeout=timeout) as smtp:
                smtp.send_message(message)
            sent["mail"] = to
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            log.warning("notification of %s not e-mailed through %s: %s", label, server, exc)
    if hook:
        request = urllib.request.Request(
            hook, json.dumps(note, default=str).encode("utf-8"), {"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # a URL the operator set
                sent["webhook"] = int(answer.status)
        except (OSError, ValueError) as exc:
            log.warning("notification of %s not posted to %s: %s", label, hook, exc)
    return sent
