"""The static site: every page in three languages plus the data files, for any web server.

:func:`build_site` renders the same pages as the server (:class:`._pages.Pages`)
and writes the same files the server answers under ``/data/`` (made by the
same :func:`._files.data_file`, so the bytes are identical), the bundled scripts
and styles, and ``api/openapi.json``.  All links are relative, so the folder
can be served from any path.  The spreadsheets (a third of the work, in
openpyxl) are written by a second process while this one renders the pages, and
the answers that take seconds are kept on disk for the next build (:mod:`._disk`).
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import OutputError, SandyqError
from ...settings import resolve
from ._app import create_app, static_dir
from ._data import Dashboard
from ._files import data_file, data_paths
from ._i18n import LANGUAGES, gettext
from ._pages import Pages

__all__ = ["SiteReport", "build_site", "write_files"]


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
        paths = data_paths(dash)
        heavy = [p for p in paths if p.endswith(".xlsx")]  # openpyxl: a third of the build, written meanwhile
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            future = pool.submit(write_files, dash.db, heavy, str(target))
            _pages(pages, target, report, progress)
            _count(report, _write(dash, [p for p in paths if p not in heavy], target, progress))
            try:
                _count(report, future.result())
            except BrokenProcessPool:  # no second process here: write them in this one
                _count(report, _write(dash, heavy, target, progress))
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


def _write(
    dash: Dashboard, paths: list[str], target: Path, progress: Callable[[str], None] | None = None
) -> tuple[int, list[str]]:
    """Write ``data/<path>`` for each of ``paths``: (files written, what was skipped and why)."""
    files, skipped = 0, []
    for path in paths:
        if progress:
            progress(f"data/{path}")
        try:
            body = data_file(dash, path)
        except SandyqError as exc:
            skipped.append(f"data/{path}: {exc.summary}")
            continue
        dest = target / "data" / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(body)
        files += 1
    return files, skipped


def write_files(db: str, paths: list[str], target: str) -> tuple[int, list[str]]:
    """:func:`_write` from a dashboard of its own over ``db`` (run in a second process by :func:`build_site`)."""
    dash = Dashboard(db)
    try:
        return _write(dash, paths, Path(target))
    finally:
        dash.close()


def _count(report: SiteReport, done: tuple[int, list[str]]) -> None:
    report.files += done[0]
    report.skipped += done[1]


def _redirect(lang: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>sandyq</title>'
        f'<meta http-equiv="refresh" content="0; url={lang}/"></head>'
        f'<body><p><a href="{lang}/">sandyq</a></p></body></html>\n'
    )
