"""``sandyq report`` on the default store: the file in the format and language asked, as of the date asked."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sandyq.outputs.cli import app

runner = CliRunner()


def test_report_writes_the_format_and_language_asked(default_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    # As of the end of 2016 few figures were published, so the report is quick; compared with the end of 2015.
    args = ["--db", str(default_db), "report", "--format", "html", "--output", str(out), "--language", "ru"]
    res = runner.invoke(app, [*args, "--as-of", "2016-12-31", "--compare-to", "2015-12-31"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="ru">' in html and "По состоянию на 2016-12-31" in html
    assert "Что изменилось с 2015-12-31" in html


def test_report_refuses_an_unknown_language_or_format(default_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    res = runner.invoke(app, ["--db", str(default_db), "report", "--format", "pdf", "--output", str(out), "-l", "de"])
    assert res.exit_code != 0 and "kk, ru, en" in res.output and not out.exists()
    res = runner.invoke(app, ["--db", str(default_db), "report", "--format", "odt", "--output", str(out)])
    assert res.exit_code != 0 and not out.exists()


def test_a_second_report_of_the_same_figures_reads_them_from_the_cache(default_db: Path, tmp_path: Path) -> None:
    """The figures gathered for one report are kept (SANDYQ_CACHE) and read back, not gathered again, by a report
    of the same store and dates in another format and language; another date gathers and keeps its own."""
    cache = tmp_path / "cache"
    env = {"SANDYQ_CACHE": str(cache)}

    def report(fmt: str, lang: str, as_of: str) -> str:
        out = tmp_path / f"report-{as_of}-{lang}.{fmt}"
        args = ["--db", str(default_db), "report", "--format", fmt, "--output", str(out), "-l", lang]
        res = runner.invoke(app, [*args, "--as-of", as_of, "--compare-to", "2015-12-31"], env=env)
        assert res.exit_code == 0, res.output
        return out.read_text(encoding="utf-8") if fmt == "html" else ""

    html = report("html", "en", "2016-12-31")
    (kept,) = (cache / "web").glob("*.pickle")
    inode = kept.stat().st_ino
    assert report("html", "en", "2016-12-31") == html  # the same report from the kept figures
    report("docx", "kk", "2016-12-31")
    assert kept.stat().st_ino == inode and len(list((cache / "web").glob("*.pickle"))) == 1  # read, not rewritten
    report("html", "en", "2017-12-31")
    assert len(list((cache / "web").glob("*.pickle"))) == 2
