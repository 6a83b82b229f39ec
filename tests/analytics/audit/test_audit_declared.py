"""Declared rules on real data: EGDI's identities as its SOURCE note describes them, planted errors found."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import sandyq
from sandyq.analytics.audit import Finding, audit
from sandyq.analytics.audit._data import make_data
from sandyq.analytics.audit._declared import check_declared
from sandyq.framework import Framework, load_framework
from sandyq.outputs.cli import app

from ...conftest import CONTENT

EGDI = CONTENT / "data" / "egdi" / "egdi_2010_2022_long.csv"


def _source_note_departures(year: int) -> set[str]:
    """The countries whose EGDI departs from mean(OSI, HCI, TII) by more than 0.001, as the SOURCE note counts."""
    raw = pd.read_csv(EGDI)
    raw = raw[raw["year"] == year]
    gap = (raw["e-gov-index"] - raw[["osi", "hci", "tii"]].mean(axis=1)).abs()
    return set(raw.loc[gap > 0.001, "country-code"])


def _by(findings: list[Finding], rule: str, period: str, indicator: str = "EGDI") -> set[str]:
    return {f.geo or "" for f in findings if f.rule == rule and f.period == period and f.indicator == indicator}


def test_egdi_identity_finds_exactly_what_the_source_note_lists(default_monitor: sandyq.Monitor) -> None:
    findings = audit(default_monitor, "EGDI", rules=["declared"])
    # From 2014 the identity holds: no departure at all.
    assert not [f for f in findings if f.rule == "declared_rule" and int(f.period or 0) >= 2014]
    # 2010: 142 countries beyond 0.001 (SOURCE note) = 133 departures + 9 EGDI of 0 not assessed (no HCI that year).
    departures, unassessed = _by(findings, "declared_rule", "2010"), _by(findings, "not_assessed", "2010")
    assert len(departures) == 133 and len(unassessed) == 9
    assert departures | unassessed == _source_note_departures(2010) and len(_source_note_departures(2010)) == 142
    assert {f.severity for f in findings if f.rule == "declared_rule"} == {"info"}  # a change of method
    # 2012: Libya, Central African Republic, Guinea have EGDI = 0 and OSI = 0: not assessed, not departures.
    assert _by(findings, "declared_rule", "2012") == set()
    assert _by(findings, "not_assessed", "2012") == {"LBY", "CAF", "GIN"} == _source_note_departures(2012)
    unassessed_osi = _by(audit(default_monitor, rules=["not_assessed"]), "not_assessed", "2012", "EGDI.OSI")
    assert unassessed_osi == {"LBY", "CAF", "GIN"}
    alb = next(f for f in findings if f.rule == "declared_rule" and f.geo == "ALB")
    assert alb.figures["rule"] == "egdi-mean-of-components-2010" and alb.found == pytest.approx(0.45192)
    assert alb.expected == pytest.approx((0.31111 + 0.886 + 0.16293) / 3)
    assert alb.figures["difference"] == pytest.approx(0.45192 - (0.31111 + 0.886 + 0.16293) / 3)
    assert set(alb.figures["text"]) == {"kk", "ru", "en"} and "egdi.yaml, line 26" in alb.figures["declared_in"]


def test_a_planted_error_in_egdi_2022_is_an_error(framework: Framework) -> None:
    raw = pd.read_csv(EGDI)
    raw = raw[raw["year"] == 2022]
    cols = {"e-gov-index": "EGDI", "osi": "EGDI.OSI", "hci": "EGDI.HCI", "tii": "EGDI.TII"}
    obs = raw.melt(id_vars=["country-code"], value_vars=list(cols), var_name="col").dropna()
    obs = obs.assign(indicator=obs["col"].map(cols), geo=obs["country-code"], period="2022", source="un-egov")
    kaz = (obs["geo"] == "KAZ") & (obs["indicator"] == "EGDI")
    assert obs.loc[kaz, "value"].item() == pytest.approx(0.8628, abs=1e-4)  # SOURCE note: 0.863 in 2022
    obs.loc[kaz, "value"] = 0.8828  # a typo: 0.8628 → 0.8828
    found = check_declared(make_data(obs[["indicator", "geo", "period", "source", "value"]], framework))
    assert found["geo"].tolist() == ["KAZ"] and found["severity"].tolist() == ["error"]
    assert found["figures"].iloc[0]["rule"] == "egdi-mean-of-components"
    assert found["found"].iloc[0] == pytest.approx(0.8828) and found["expected"].iloc[0] == pytest.approx(
        0.8628, abs=1e-4
    )
    assert "difference 0.0200" in found["message"].iloc[0]


def test_a_rule_over_regions(tmp_path: Path, default_monitor: sandyq.Monitor) -> None:
    """A user's rule: the national share of internet users lies within the range of its regions."""
    folder = tmp_path / "fw" / "rules"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        '- id: national-within-regions\n  left: "[17-8-1]"\n  operator: "<="\n'
        "  right: max([17-8-1] over regions)\n  severity: warning\n  scope: {geos: [KAZ]}\n"
        "  text: {kk: а, ru: б, en: the national share is not above every region}\n",
        encoding="utf-8",
    )
    fw = load_framework(tmp_path / "fw")
    obs = default_monitor.observations("17-8-1", start=2023, end=2023)
    obs = obs[obs["dims"] == ""][["indicator", "geo", "period", "source", "value"]].reset_index(drop=True)
    assert check_declared(make_data(obs, fw), {"national-within-regions": fw.rules["national-within-regions"]}).empty
    obs.loc[obs["geo"] == "KAZ", "value"] = 99.5  # planted: above every region
    found = check_declared(make_data(obs, fw), {"national-within-regions": fw.rules["national-within-regions"]})
    assert found["geo"].tolist() == ["KAZ"] and found["severity"].tolist() == ["warning"]
    assert found["expected"].iloc[0] == obs.loc[obs["geo"] != "KAZ", "value"].max()


def test_audit_rule_option_names_a_declared_rule(default_db: Path) -> None:
    args = ["--db", str(default_db), "audit", "--rule", "egdi-mean-of-components-2010", "--severity", "info"]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["total"] == 133 and summary["by_rule"][0]["rule"] == "declared_rule"
    with pytest.raises(sandyq.NotFoundError, match="unknown audit rule"):
        audit(sandyq.connect(":memory:"), rules=["no-such-rule"])


@pytest.mark.parametrize(
    ("rule", "indicators", "geo", "period", "planted"),
    [
        (
            "itu-idi-2023-mean-of-pillars",
            ["ITU.IDI2023", "ITU.IDI2023.UNIVERSAL", "ITU.IDI2023.MEANINGFUL"],
            "KAZ",
            "2023",
            89.9,
        ),
        (
            "desi-weighted-dimensions",
            ["EC.DESI", "EC.DESI.HC", "EC.DESI.CONN", "EC.DESI.IDT", "EC.DESI.DPS"],
            "FIN",
            "2022",
            69.7,
        ),
    ],
)
def test_published_composites_hold_and_a_planted_error_is_found(
    default_monitor: sandyq.Monitor, rule: str, indicators: list[str], geo: str, period: str, planted: float
) -> None:
    fw = default_monitor.framework
    only = {rule: fw.rules[rule]}
    obs = pd.concat([default_monitor.observations(i) for i in indicators], ignore_index=True)
    obs = obs[["indicator", "geo", "period", "source", "value"]]
    # IDI 2023: 169 economies; DESI 2022 edition: 27 member states + EU, 2017–2022 (SOURCE notes)
    assert obs.groupby(["geo", "period"]).ngroups == (169 if rule.startswith("itu") else 28 * 6)
    assert check_declared(make_data(obs, fw), only).empty  # the identity holds for every published figure
    at = (obs["indicator"] == indicators[0]) & (obs["geo"] == geo) & (obs["period"] == period)
    published = obs.loc[at, "value"].item()
    kazakhstan_or_finland = 88.9 if rule.startswith("itu") else 69.6  # SOURCE notes
    assert published == pytest.approx(kazakhstan_or_finland, abs=0.05)
    obs.loc[at, "value"] = planted
    found = check_declared(make_data(obs, fw), only)
    assert found[["geo", "period", "severity"]].values.tolist() == [[geo, period, "error"]]
    assert found["expected"].iloc[0] == pytest.approx(published, abs=0.05)
    assert found["figures"].iloc[0]["inputs"][indicators[0]] == planted


def test_audit_reads_the_rules_of_a_user_folder(tmp_path: Path, default_db: Path) -> None:
    """A statistician's own rule, in their own folder: KAZ's EGDI never below 0.8 from 2018 (it was 0.7597 then)."""
    (tmp_path / "fw" / "rules").mkdir(parents=True)
    (tmp_path / "fw" / "rules" / "mine.yaml").write_text(
        "- id: kaz-egdi-floor\n  left: EGDI\n  operator: '>='\n  right: 0.8\n  severity: warning\n"
        "  scope: {geos: [KAZ], first_year: 2018}\n  text: {kk: а, ru: б, en: EGDI at least 0.8}\n",
        encoding="utf-8",
    )
    args = ["--db", str(default_db), "audit", "--framework", str(tmp_path / "fw"), "--rule", "kaz-egdi-floor"]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [(f["geo"], f["period"], f["severity"]) for f in findings] == [("KAZ", "2018", "warning")]
    assert findings[0]["found"] == pytest.approx(0.7597, abs=1e-4) and findings[0]["expected"] == 0.8


def test_a_rule_identifies_zeros_loaded_as_figures_as_not_assessed(framework: Framework) -> None:
    """Loaded without the manifest's not_assessed option, the 2012 zeros are found by the rule EGDI > 0."""
    raw = pd.read_csv(EGDI)
    raw = raw[raw["year"] == 2012]
    obs = pd.DataFrame(
        {"indicator": "EGDI", "geo": raw["country-code"], "period": "2012", "source": "un-egov"}
        | {"value": raw["e-gov-index"]}
    )
    rule = {"egdi-zero-is-not-assessed": framework.rules["egdi-zero-is-not-assessed"]}
    found = check_declared(make_data(obs.dropna(), framework), rule)
    assert set(found["rule"]) == {"not_assessed"} and set(found["geo"]) == {"LBY", "CAF", "GIN"}
    assert set(found["severity"]) == {"warning"} and "not assessed" in found["figures"].iloc[0]["text"]["en"]


def test_a_rule_over_a_disaggregation(tmp_path: Path, default_monitor: sandyq.Monitor) -> None:
    """The national share lies between its women's and men's shares (2023: 94.3 ≤ 94.7 ≤ 95.1)."""
    (tmp_path / "fw" / "rules").mkdir(parents=True)
    (tmp_path / "fw" / "rules" / "sex.yaml").write_text(
        "- id: total-within-sexes\n  left: '[17-8-1]'\n  operator: '<='\n  right: max([17-8-1] over sex)\n"
        "  tolerance: {printed: true}\n  scope: {geos: [KAZ]}\n  text: {kk: а, ru: б, en: c}\n",
        encoding="utf-8",
    )
    fw = load_framework(tmp_path / "fw")
    only = {"total-within-sexes": fw.rules["total-within-sexes"]}
    obs = default_monitor.observations("17-8-1", "KAZ", dims=None)[
        ["indicator", "geo", "period", "dims", "source", "value"]
    ]
    assert (obs["dims"] == "sex=F").sum() == 9 and check_declared(make_data(obs, fw), only).empty
    planted = obs.copy()
    planted.loc[(planted["period"] == "2023") & (planted["dims"] == ""), "value"] = 99.0  # above both sexes
    found = check_declared(make_data(planted.reset_index(drop=True), fw), only)
    assert found[["period", "found", "expected"]].values.tolist() == [["2023", 99.0, 95.1]]
