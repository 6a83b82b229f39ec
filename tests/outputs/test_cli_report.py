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
