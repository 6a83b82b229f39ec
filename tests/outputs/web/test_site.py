"""The static site: built into a folder, every link and script resolves to a file in it."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import sandyq
from sandyq.outputs.web import build_site
from tests.conftest import SDG_RAW

pytestmark = pytest.mark.slow


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built from a small store (the SDG platform's 17.8.1 file) so the build stays fast."""
    root = tmp_path_factory.mktemp("site")
    db = root / "small.duckdb"
    with sandyq.connect(db) as m:
        m.store.register_sources(m.framework.sources.values())
        m.load(SDG_RAW / "indicator_17-8-1.csv", source="kz-sdg", default_geo="KAZ", vintage="2024-10-24")
    out = root / "out"
    report = build_site(out, db)
    assert report.pages > 200 and report.files > 10
    return out


def test_every_link_resolves_to_a_file(site: Path) -> None:
    broken = []
    pages = list(site.rglob("*.html"))
    assert len(pages) > 200
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "data") or link.startswith("#"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    assert broken == []


def test_site_has_the_pages_and_files_of_the_server(site: Path) -> None:
    for lang in ("kk", "ru", "en"):
        assert (site / lang / "indicator" / "17-8-1" / "index.html").is_file()
        assert (site / lang / "regions" / "17-8-1" / "index.html").is_file()
    csv = zipfile.ZipFile(site / "data" / "indicator" / "17-8-1.csv.zip").read("17-8-1.csv").decode("utf-8")
    assert csv.startswith("indicator,indicator_name,geo,geo_name,period,dims,value,unit,status,source,vintage,note")
    assert ",KAZ,Kazakhstan,2023,,94.7,PT,,kz-sdg,2024-10-24," in csv
    assert (site / "data" / "geo" / "kz-adm1-pre2018.json").is_file()
    assert (site / "api" / "openapi.json").is_file()
    assert (site / "static" / "sandyq.js").is_file()


def test_static_pages_fetch_nothing_from_outside(site: Path) -> None:
    html = (site / "en" / "indicator" / "17-8-1" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "static copy" in html


def test_each_indicator_s_figures_are_written_once_not_per_language(site: Path) -> None:
    """The pages name the indicator's JSON file instead of carrying its series three times; the spreadsheet is the
    server's, and the CSV is zipped (the same CSV inside)."""
    for lang in ("kk", "ru", "en"):
        html = (site / lang / "indicator" / "17-8-1" / "index.html").read_text(encoding="utf-8")
        payload = re.search(r'<script type="application/json" id="payload">(.*?)</script>', html, re.S)
        assert payload is not None
        assert '"seriesFrom":"data/indicator/17-8-1.json"' in payload.group(1)
        assert '"series":' not in payload.group(1)
        assert "17-8-1.csv.zip" in html and "17-8-1.xlsx" not in html
    data = (site / "data" / "indicator" / "17-8-1.json").read_text(encoding="utf-8")
    assert '"KAZ","2023","",94.7' in data
    assert not list(site.rglob("*.xlsx"))
