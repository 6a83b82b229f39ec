"""Signing in to the dashboard: sessions in signed cookies, CSRF tokens, the rate limit, and who is asking.

A request speaks for an account through an API token (``Authorization:
Bearer …``) or a session cookie signed with the store's key (setting
``session_secret``, else a key generated once and kept in the store; the
cookie is ``HttpOnly``, ``SameSite=Lax`` and ``Secure`` over HTTPS, or always
with ``secure_cookies=yes``).  Every form carries the session's CSRF token,
and a write through the JSON API with a session cookie must send it as
``X-CSRF-Token``; a token-authenticated request needs none (no browser sends
it by itself).  Signing in is rate-limited (:mod:`sandyq.people`: 5 failures
of one account from one address in 15 minutes, then 429).  The answers:
401 for no one or a bad token, 403 for a wrong role or a missing CSRF token,
409 for a conflict — as JSON under ``/api/``, as a page elsewhere.

Writes from the dashboard open the store for writing for the moment they take
(:func:`writing`), which makes the dashboard's reader let go of the file, and
then let the dashboard read it anew so the change shows at once.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ... import Monitor, people
from ...errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    SandyqError,
    StoreError,
    TooManyAttemptsError,
)
from ...settings import resolve
from ...store import Account, Store, accounts
from ._data import Dashboard
from ._i18n import LANGUAGES, gettext

if TYPE_CHECKING:
    from ._pages import Pages

__all__ = ["Caller", "account_router", "check_csrf", "csrf_token", "identify", "install_sessions", "page", "writing"]

log = logging.getLogger("sandyq.web")

#: Who asks: the account (None: anonymous) and, for an API token, its scopes (None: a session, the role decides).
Caller = tuple[Account | None, tuple[str, ...] | None]
_STATUS = {  # the most specific first: too many attempts is a kind of failed authentication
    TooManyAttemptsError: 429,
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    ConflictError: 409,
}


def _secret(db: str) -> str:
    """The key that signs session cookies: the setting, else the store's own, read (never written) here.

    Every store of schema 4 has one from its creation (or its migration), so the dashboard, which only reads
    the store, writes nothing to serve it; a store without one (its key removed) is refused, saying how to
    give it one, rather than served with sessions that would not survive a restart or agree between workers.
    """
    given = str(resolve("session_secret") or "")
    if given:
        return given
    with Store(db, read_only=True) as s:
        found = accounts.session_secret(s)
    if not found:
        raise StoreError(
            f"{db}: the store keeps no key to sign session cookies; run `sandyq init` on it (which makes one) "
            "or set SANDYQ_SESSION_SECRET"
        )
    return found


def install_sessions(app: FastAPI, dash: Dashboard) -> None:
    """Add the signed session cookie and the answers to 401, 403, 409 and 429."""
    import itsdangerous  # noqa: F401  (Starlette signs the session cookie with it: fail here, not at a request)
    from starlette.middleware.sessions import SessionMiddleware

    secure = str(resolve("secure_cookies"))
    app.add_middleware(
        SessionMiddleware,
        secret_key=_secret(dash.db),
        session_cookie="sandyq_session",
        max_age=8 * 3600,
        same_site="lax",
        https_only=secure == "yes",
    )

    async def answer(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SandyqError)
        status = next(s for kind, s in _STATUS.items() if isinstance(exc, kind))
        headers = {"Retry-After": str(TooManyAttemptsError.retry_after)} if status == 429 else {}
        if status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="sandyq"'
        if request.url.path.startswith("/api/") or request.headers.get("authorization"):
            body = {
                "error": {"status": status, "message": exc.summary, "problems": [p.to_dict() for p in exc.problems]}
            }
            return JSONResponse(body, status_code=status, headers=headers)
        lang = request.url.path.strip("/").split("/")[0]
        lang = lang if lang in LANGUAGES else "en"
        if status == 401 and request.method == "GET":
            return RedirectResponse(f"/{lang}/login/?next={request.url.path}", status_code=303)
        pages: Pages = request.app.state.pages
        heading = gettext(lang, "Not allowed") if status in (401, 403) else gettext(lang, "Not done")
        html = pages.render_error(lang, request.url.path.strip("/").partition("/")[2], heading, exc.summary)
        return HTMLResponse(html, status_code=status, headers=headers | {"Cache-Control": "no-store"})

    for kind in (TooManyAttemptsError, AuthenticationError, PermissionDeniedError, ConflictError):
        app.add_exception_handler(kind, answer)


def identify(request: Request, dash: Dashboard) -> Caller:
    """The account a request speaks for (a token wins over a session); a bad token is 401 at once."""
    header = request.headers.get("authorization", "")
    if header:
        kind, _, secret = header.partition(" ")
        if kind.lower() != "bearer" or not secret.strip():
            raise AuthenticationError("give an API token as 'Authorization: Bearer TOKEN'")
        with dash.reader.lease():
            return people.token_user(dash.monitor.store, secret)
    name = request.session.get("account") if "session" in request.scope else None
    if not name:
        return None, None
    with dash.reader.lease():
        try:
            account, _ = accounts.account_named(dash.monitor.store, str(name))
        except NotFoundError:
            return None, None
    return (account, None) if account.active else (None, None)


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); every form sends it back."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, caller: Caller, sent: str | None) -> None:
    """Refuse (403) a write made with a session cookie whose CSRF token is missing or wrong."""
    if caller[1] is not None:  # an API token: no browser sends it on its own
        return
    expected = request.session.get("csrf")
    if not expected or not sent or not secrets.compare_digest(str(expected), str(sent)):
        raise PermissionDeniedError("the form's security token is missing or old; reload the page and try again")


_WRITERS: dict[str, threading.Lock] = {}
_WRITERS_LOCK = threading.Lock()


@contextmanager
def writing(dash: Dashboard) -> Iterator[Monitor]:
    """The store opened for writing (the dashboard's reader lets go meanwhile); read anew afterwards.

    Writes of one process take turns (DuckDB lets one process write; other processes wait for its file lock), so
    two reviewers deciding one submission at once are decided one after the other: the second gets 409.
    """
    with _WRITERS_LOCK:
        turn = _WRITERS.setdefault(dash.db, threading.Lock())
    with turn:
        dash.reader.let_go()  # else it lingers a second before a writer of the same process may open the file
        store = Store(dash.db)
        try:
            yield Monitor(store, dash.framework)
        finally:
            store.close()
    dash.refresh()


def page(pages: Pages, lang: str, subpath: str, template: str, title: str, ctx: dict[str, Any]) -> HTMLResponse:
    """A page of the signed-in part: never kept by the response cache."""
    if lang not in LANGUAGES:
        raise NotFoundError(f"unknown language {lang!r}")
    html = pages._page(lang, subpath, "", template, title, ctx)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _next(target: str | None, lang: str) -> str:
    """Where to go after signing in: a path of this site only (never another site)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return f"/{lang}/submit/"


def account_router(dash: Dashboard, pages: Pages) -> APIRouter:
    """``/{lang}/login/`` (the form, and signing in) and ``/{lang}/logout/``."""
    router = APIRouter(include_in_schema=False)

    @router.get("/{lang}/login/")
    def login_form(lang: str, request: Request, next: str | None = None) -> Response:
        ctx = {"csrf": csrf_token(request), "next": _next(next, lang), "failed": None}
        return page(pages, lang, "login/", "login.html", gettext(lang, "Sign in"), ctx)

    @router.post("/{lang}/login/")
    async def login(lang: str, request: Request) -> Response:
        form = await request.form()
        check_csrf(request, (None, None), str(form.get("csrf") or ""))
        name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
        try:
            with dash.reader.lease():
                account = people.sign_in(dash.monitor.store, name, password, _address(request))
        except TooManyAttemptsError:
            raise
        except AuthenticationError:
            with writing(dash) as m:
                accounts.record_failure(m.store, name, _address(request))
            ctx = {"csrf": csrf_token(request), "next": _next(str(form.get("next") or ""), lang), "failed": True}
            body = pages._page(lang, "login/", "", "login.html", gettext(lang, "Sign in"), ctx)
            return HTMLResponse(body, status_code=401, headers={"Cache-Control": "no-store"})
        request.session.clear()
        request.session["account"] = account.name
        request.session["csrf"] = secrets.token_urlsafe(24)
        return RedirectResponse(_next(str(form.get("next") or ""), lang), status_code=303)

    @router.post("/{lang}/logout/")
    async def logout(lang: str, request: Request) -> Response:
        form = await request.form()
        check_csrf(request, (None, None), str(form.get("csrf") or ""))
        request.session.clear()
        return RedirectResponse(f"/{lang}/", status_code=303)

    return router
