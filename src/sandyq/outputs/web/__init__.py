"""The web dashboard, the JSON API and the static site.

* :func:`create_app` — the FastAPI application (``sandyq serve``);
* :func:`build_site` — the same pages written as static HTML, JSON and CSV
  (``sandyq build-site OUT``);
* :class:`Dashboard` — the cached, read-only data service both use.
"""

from __future__ import annotations

from ._app import create_app
from ._data import Dashboard
from ._i18n import LANGUAGE_NAMES, LANGUAGES
from ._site import SiteReport, build_site
from ._unavailable import Unavailable

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "Dashboard", "SiteReport", "Unavailable", "build_site", "create_app"]
