"""Commands of the web dashboard: ``serve`` and ``build-site``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ...errors import InvalidValueError
from ...settings import SETTINGS, resolve
from ._common import err_console, handle_errors, state

__all__ = ["build_site", "register", "serve"]

_S = {s.name: s for s in SETTINGS}


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``build-site`` to ``app``."""
    app.command("serve")(serve)
    app.command("build-site")(build_site)


@handle_errors
def serve(
    host: Annotated[
        str | None,
        typer.Option(
            "--host", envvar=_S["host"].env, show_envvar=True, help=f"{_S['host'].help} [default: {_S['host'].default}]"
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            "--port", envvar=_S["port"].env, show_envvar=True, help=f"{_S['port'].help} [default: {_S['port'].default}]"
        ),
    ] = None,
) -> None:
    """Serve the dashboard and the JSON API (read-only) until Ctrl+C."""
    import uvicorn

    from ...store import mask_url
    from ..web import create_app

    bind = str(resolve("host", host))
    number = int(resolve("port", port))
    if not 1 <= number <= 65535:
        raise InvalidValueError(f"port {number} is not a TCP port (1–65535)")
    app = create_app(state.db_path, language=state.lang, warm=True, keep=True)
    err_console.print(
        f"sandyq dashboard on http://{bind}:{number}/ (store {mask_url(state.db_path)}; API at "
        f"http://{bind}:{number}/api/openapi.json); press Ctrl+C to stop"
    )
    uvicorn.run(app, host=bind, port=number, log_level="warning")


@handle_errors
def build_site(
    out: Annotated[Path, typer.Argument(help="Folder to write the static site into (created if missing).")],
) -> None:
    """Write the dashboard as a static site (HTML, JSON, CSV) that any web server can host."""
    from ..web import build_site as build

    report = build(out, state.db_path, language=state.lang)
    err_console.print(f"{report.out}: {report.pages} pages and {report.files} data files in {report.seconds:.1f} s")
    for item in report.skipped:
        err_console.print(f"  skipped {item}", markup=False)
