"""The statistics commands: table, audit, regions, relate — on the default store, with clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from sandyq.analytics.regional import TOO_FEW
from sandyq.outputs import cli
from sandyq.outputs.cli import _statistics

runner = CliRunner()


def _app() -> typer.Typer:
    """The sandyq app, with the statistics commands (wired by the lead in ``outputs/cli/__init__.py``)."""
    if any(c.name == "audit" for c in cli.app.registered_commands):
        return cli.app
    app = typer.Typer(pretty_exceptions_enable=False)
    assert cli.app.registered_callback is not None and cli.app.registered_callback.callback is not None
    app.callback()(cli.app.registered_callback.callback)
    _statistics.register(app)
    return app


APP = _app()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(APP, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_table_json_has_rows_checks_and_sources(default_db: Path) -> None:
    code, out, _ = run(default_db, "table", "4", "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert d["number"] == 4 and len(d["rows"]) == 10 and d["mismatches"] == 1
    assert d["sources"][0]["id"] == "seed-000" and d["sources"][0]["vintage"] == "2020-06-30"
    (bad,) = [c for c in d["checks"] if c["matches"] is False]
    assert (bad["period"], bad["printed"], bad["rounded"]) == ("2017", 41.1, 41.2)


def test_table_csv_shows_printed_and_recomputed(default_db: Path) -> None:
    code, out, _ = run(default_db, "table", "table2", "--format", "csv")
    assert code == 0
    header, first, *_ = out.splitlines()
    for column in ("printed", "recomputed", "matches", "recomputed_from", "input_source", "source", "vintage", "unit"):
        assert column in header.split(",")
    assert first.startswith("1,kz.ict_costs.aagr,") and ",109.8,120.66" in first and "seed-000" in first


def test_table_markdown_and_terminal_carry_sources(default_db: Path) -> None:
    code, out, _ = run(default_db, "table", "4", "--format", "markdown")
    assert code == 0 and "| 2017 |" in out and "DIFFERS" in out and "Source seed-000" in out
    code, out, _ = run(default_db, "table", "5")
    assert code == 0 and "145.4" in out and "143.113" in out and "Source wdi" in out


def test_table_files(default_db: Path, tmp_path: Path) -> None:
    code, _, err = run(default_db, "table", "4", "--format", "xlsx")
    assert code == 2 and "--output" in err
    xlsx = tmp_path / "t4.xlsx"
    code, _, _ = run(default_db, "table", "4", "--format", "xlsx", "--output", str(xlsx))
    assert code == 0
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Table 4", "checks", "sources", "notes"]
    assert book["Table 4"]["A2"].value == 2010
    page = tmp_path / "t2.html"
    code, _, _ = run(default_db, "table", "2", "--format", "html", "--output", str(page))
    text = page.read_text(encoding="utf-8")
    assert code == 0 and text.startswith("<!doctype html>") and "<table" in text and "120.66" in text
    assert "kz-bns" in text


def test_unknown_table_is_a_clear_error(default_db: Path) -> None:
    code, out, err = run(default_db, "table", "9")
    assert code == 2 and "unknown table '9'" in err and "Traceback" not in out + err


def test_audit_json(default_db: Path) -> None:
    code, out, _ = run(default_db, "audit", "--indicator", "9-c-1", "--severity", "info", "--format", "json")
    assert code == 0
    d = json.loads(out)
    rules = {f["rule"] for f in d["findings"]}
    assert {"duplicate_key", "jump"} <= rules and d["summary"]["error"] == 1
    assert all(f["indicator"] == "9-c-1" and f["unit"] == "PT" and f["vintage"] for f in d["findings"])


def test_audit_table_and_exit_status(default_db: Path) -> None:
    code, out, _ = run(default_db, "audit", "--rule", "derived")
    assert code == 0 and "Consistency audit" in out and "average_growth" in out and "109.8" in out
    assert "info" in out  # the caption says how many less serious findings are not shown
    code, _, _ = run(default_db, "audit", "--rule", "bounds", "--fail-on", "error")
    assert code == 1
    code, _, _ = run(default_db, "audit", "--rule", "gap", "--fail-on", "warning")
    assert code == 0  # gaps are info only


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "--severity", "bogus"], "is not one of error, warning, info"),
        (["audit", "--rule", "bogus"], "unknown audit rule 'bogus'"),
        (["audit", "--indicator", "bogus"], "unknown indicator 'bogus'"),
        (["audit", "--as-of", "yesterday"], "not a date"),
        (["regions", "kz.ict_costs"], "no values for the regions of KAZ"),
        (["regions", "17-8-1", "--year", "1999"], "no regional values for 1999"),
        (["relate", "17-8-1", "5-b-1", "--mode", "cross-section"], "give --year"),
    ],
)
def test_clear_errors(default_db: Path, args: list[str], message: str) -> None:
    code, out, err = run(default_db, *args)
    assert code == 2 and message in err and "Traceback" not in out + err


def test_regions_ranked_in_a_year(default_db: Path) -> None:
    code, out, _ = run(default_db, "regions", "17-8-1", "--year", "2022", "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert len(d["rows"]) == 20 and d["unit"] == "PT" and d["source"] == "kz-sdg"
    top = d["rows"][0]
    assert (top["rank"], top["geo"], top["value"], top["vintage"][:10]) == (1, "KZ-71", 97.2, "2024-10-24")
    assert d["dispersion"]["n"] == 20


def test_regions_dispersion_over_years(default_db: Path) -> None:
    code, out, _ = run(default_db, "regions", "17-8-1", "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("year,n,national,mean") and len(lines) == 14  # 2011–2023
    code, out, _ = run(default_db, "regions", "17-8-1")
    assert "sigma convergence" in out and "source kz-sdg" in out


def test_regions_are_population_weighted_with_cautions(default_db: Path) -> None:
    code, out, _ = run(default_db, "regions", "17-8-1", "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert d["weighted"] is True and d["sigma"]["measure"] == "cv_w" and d["beta"]["weighted"] is True
    assert [c["code"] for c in d["cautions"]] == ["near_ceiling"]  # 94.7 % nationally in 2023
    assert any(n.startswith("Convergence is population-weighted") for n in d["notes"])
    code, out, _ = run(default_db, "regions", "17-6-2", "--dims", "series=_L_KZ_170602_1A", "--format", "json")
    assert code == 0 and [c["code"] for c in json.loads(out)["cautions"]] == ["raw_counts"]


def test_relate_reports_too_few_honestly(default_db: Path) -> None:
    code, out, _ = run(default_db, "relate", "kz.ict_share_manufacturing", "NY.GDP.PCAP.CD", "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert d["estimated"] is False and d["n"] == 2 and d["verdict"].startswith(TOO_FEW)
    code, out, _ = run(default_db, "relate", "kz.ict_share_manufacturing", "NY.GDP.PCAP.CD")
    assert code == 0 and TOO_FEW in out


def test_relate_across_regions_and_over_years(default_db: Path) -> None:
    code, out, _ = run(default_db, "relate", "17-8-1", "5-b-1", "--year", "2020", "--format", "json")
    d = json.loads(out)
    assert code == 0 and d["mode"] == "cross_section" and d["n"] == 17 and d["scope"].startswith("the regions")
    code, out, _ = run(default_db, "relate", "kz.ict_costs", "NY.GDP.PCAP.CD")
    assert code == 0 and "KAZ over years" in out and "source seed-000" in out and "source wdi" in out
