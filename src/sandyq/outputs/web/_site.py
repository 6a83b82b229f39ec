"""The static site: every page in three languages plus the data files, for any web server.

:func:`build_site` renders the same pages as the server (:class:`._pages.Pages`)
and writes the files the server answers under ``/data/`` (made by the same
:func:`._files.data_file`, so the bytes are identical), the bundled scripts
and styles, and ``api/openapi.json``.  All links are relative, so the folder
can be served from any path.  The answers that take seconds are kept on disk
for the next build (:mod:`sandyq.outputs._disk`).

Each indicator's observations are written once, not once per language: its
``data/indicator/<id>.json`` is both the download and what the three
languages' pages draw their charts from (their payload names the file instead
of carrying the series).  The full CSV is written zipped (``<id>.csv.zip``, a
tenth of the bytes; the CSV inside is the server's), and the spreadsheet, which
repeats the same figures and took a third of the build in openpyxl, is left to
the server.  Together that keeps the default store's site under 30 MB.
"""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from ...errors import OutputError, SandyqError
from ...settings import resolve
from ._app import create_app, static_dir
from ._data import Dashboard
from ._files import data_file, data_paths
from ._i18n import LANGUAGES, gettext
from ._pages import Pages

__all__ = ["SiteReport", "build_site", "site_paths", "zipped"]


@dataclass
class SiteReport:
    """What :func:`build_site` wrote."""

    out: Path
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)


def build_site(
    out: str | Path,
    db: str | Path | None = None,
    *,
    language: str | None = None,
    programme: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> SiteReport:
    """Write the dashboard as a static site into ``out`` (created; existing files are overwritten)."""
    started = time.perf_counter()
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target} exists and is not a folder")
    target.mkdir(parents=True, exist_ok=True)
    lang = str(resolve("language", language))
    app = create_app(db, language=lang, programme=programme, keep=True)
    dash: Dashboard = app.state.dash
    report = SiteReport(target)
    pages = Pages(dash, static=True, endpoints=app.state.pages.endpoints)
    try:
        _pages(pages, target, report, progress)
        _count(report, _write(dash, site_paths(dash), target, progress))
        api = target / "api" / "openapi.json"
        api.parent.mkdir(parents=True, exist_ok=True)
        api.write_text(json.dumps(app.openapi(), ensure_ascii=False, indent=1), encoding="utf-8")
        report.files += 1
    finally:
        dash.close()
    shutil.copytree(
        static_dir(), target / "static", dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.py")
    )
    (target / "index.html").write_text(_redirect(lang), encoding="utf-8")
    (target / "404.html").write_text(
        pages.render_error(lang, "", gettext(lang, "Page not found"), "", depth=0), encoding="utf-8"
    )
    report.seconds = time.perf_counter() - started
    return report


def _pages(pages: Pages, target: Path, report: SiteReport, progress: Callable[[str], None] | None) -> None:
    for sub in pages.paths():
        for lg in LANGUAGES:
            if progress:
                progress(f"{lg}/{sub}")
            dest = target / lg / sub / "index.html"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(pages.render(lg, sub), encoding="utf-8")
            report.pages += 1


def site_paths(dash: Dashboard) -> list[str]:
    """The files under ``data/`` of the static site: the server's, each indicator's CSV zipped and no XLSX."""
    out = []
    for path in data_paths(dash):
        if path.startswith("indicator/") and path.endswith(".xlsx"):
            continue
        out.append(f"{path}.zip" if path.startswith("indicator/") and path.endswith(".csv") else path)
    return out


def zipped(name: str, body: bytes) -> bytes:
    """``body`` as the one file ``name`` of a ZIP archive (deflated; dated 1980-01-01 so equal data give equal bytes).

    >>> import zipfile, io
    >>> z = zipfile.ZipFile(io.BytesIO(zipped("a.csv", b"x,y\\n" * 1000)))
    >>> z.namelist(), len(z.read("a.csv"))
    (['a.csv'], 4000)
    """
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), body, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _write(
    dash: Dashboard, paths: list[str], target: Path, progress: Callable[[str], None] | None = None
) -> tuple[int, list[str]]:
    """Write ``data/<path>`` for each of ``paths`` (``….zip``: the file zipped): (files written, what was skipped)."""
    files, skipped = 0, []
    for path in paths:
        if progress:
            progress(f"data/{path}")
        inner = path.removesuffix(".zip")
        try:
            body = data_file(dash, inner)
        except SandyqError as exc:
            skipped.append(f"data/{path}: {exc.summary}")
            continue
        if inner != path:
            body = zipped(inner.rsplit("/", 1)[-1], body)
        dest = target / "data" / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(body)
        files += 1
    return files, skipped


def _count(report: SiteReport, done: tuple[int, list[str]]) -> None:
    report.files += done[0]
    report.skipped += done[1]


def _redirect(lang: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>sandyq</title>'
        f'<meta http-equiv="refresh" content="0; url={lang}/"></head>'
        f'<body><p><a href="{lang}/">sandyq</a></p></body></html>\n'
    )
