"""Conformance with COINr's published results on its ASEM example (COINr v1.1.14 vignettes).

Every expected number below is quoted from COINr's rendered documentation
(results, analysis, treat, adjustments and weights vignettes), not computed here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sandyq.analytics.composite import CompositeIndex, IndexResult, cronbach, kurtosis, skewness, treat_column

ASEM = Path(__file__).resolve().parents[3] / "examples" / "coinr-asem"


def test_framework_size(result: IndexResult) -> None:
    # tests/testthat/_snaps/methods_added.md: 51 units, 49 indicators, levels 49/8/2/1
    s = result.structure
    assert len(result.units) == 51
    assert [len(s.codes(level)) for level in (1, 2, 3, 4)] == [49, 8, 2, 1]


def test_switzerland_first_with_published_scores(result: IndexResult) -> None:
    # docs/articles/results.html: CHE 1 68.38 62.79 73.98 63.41 32.87 74.78 85.94 56.93 77.21
    # (Social 87.85, SusEcFin 56.88)
    che = result.scores().loc["CHE"]
    published = {
        "Index": 68.38,
        "Conn": 62.79,
        "Sust": 73.98,
        "Physical": 63.41,
        "ConEcFin": 32.87,
        "Political": 74.78,
        "Instit": 85.94,
        "P2P": 56.93,
        "Environ": 77.21,
        "Social": 87.85,
        "SusEcFin": 56.88,
    }
    assert {k: round(float(che[k]), 2) for k in published} == published
    assert result.ranks().loc["CHE", "Index"] == 1


def test_top_six(result: IndexResult) -> None:
    # docs/articles/results.html: NLD 2 64.82, DNK 3 64.80, NOR 4 64.47, BEL 5 63.54, SWE 6 63.00
    top = result.table("summary").head(6)
    assert list(top.index) == ["CHE", "NLD", "DNK", "NOR", "BEL", "SWE"]
    assert list(top["Rank"]) == [1, 2, 3, 4, 5, 6]
    assert [round(float(v), 2) for v in top["Index"]] == [68.38, 64.82, 64.80, 64.47, 63.54, 63.00]


@pytest.mark.parametrize(
    ("code", "score", "rank"),
    [
        ("Index", 39.79, 45),
        ("Conn", 28.60, 44),
        ("Sust", 50.99, 43),
        ("Physical", 18.78, 48),
        ("Social", 22.74, 51),
        ("Environ", 75.34, 6),
    ],
)
def test_india_unit_summary(result: IndexResult, code: str, score: float, rank: int) -> None:
    # docs/articles/results.html, get_unit_summary(coin, usel = "IND", ...)
    summary = result.unit_summary("IND")
    assert round(float(summary.loc[code, "Score"]), 2) == score
    assert int(summary.loc[code, "Rank"]) == rank


def test_cronbach_alpha_of_raw_p2p(result: IndexResult) -> None:
    # docs/articles/analysis.html: get_cronbach(coin, dset = "Raw", iCodes = "P2P", Level = 1) -> 0.05126659
    assert round(cronbach(result, "P2P", dataset="Raw"), 8) == 0.05126659


@pytest.mark.parametrize(
    ("code", "skew", "kurt", "nwin"),
    [("Flights", 2.103287, 4.508879, 1), ("Goods", 2.649973, 8.266610, 2), ("Services", 1.701085, 2.375656, 0)],
)
def test_raw_skew_kurtosis_and_winsorisation(code: str, skew: float, kurt: float, nwin: int) -> None:
    # docs/articles/treat.html: Treat(ASEM_iData[c("Flights", "Goods", "Services")]) with defaults
    raw = pd.read_csv(ASEM / "ASEM_iData.csv")[code].to_numpy(dtype=float)
    assert round(skewness(raw), 6) == skew
    assert round(kurtosis(raw), 6) == kurt
    _, record = treat_column(raw, code)
    assert record.n_winsorised == nwin
    assert record.method == ("winsorise" if nwin else "none")


def test_default_treatment_winsorises_fifteen_and_logs_none(result: IndexResult) -> None:
    # shared/methods/composite-indicators.md §1c: default treatment winsorises 15 indicators, none reach log_CT
    treatment = result.treatment
    assert treatment is not None
    assert (treatment["method"] == "winsorise").sum() == 15
    assert not treatment["method"].str.contains("log").any()
    assert treatment["passes"].all()


@pytest.mark.parametrize(
    ("unit", "before", "after"), [("PRT", 27, 17), ("LAO", 48, 39), ("MLT", 10, 19), ("EST", 22, 16), ("IDN", 43, 49)]
)
def test_rank_moves_under_percentile_rank_normalisation(
    index: CompositeIndex, result: IndexResult, unit: str, before: int, after: int
) -> None:
    # docs/articles/adjustments.html: n_prank normalisation, ranks coin.1 -> coin.2
    prank = index.with_step_param("normalise", method="prank").build()
    assert result.ranks().loc[unit, "Index"] == before
    assert prank.ranks().loc[unit, "Index"] == after


def test_effective_weight_of_goods(result: IndexResult) -> None:
    # docs/articles/weights.html: get_eff_weights -> Goods 0.02000000 (1/5 · 1/5 · 1/2)
    assert round(float(result.effective_weights()["Goods"]), 8) == 0.02
    eff = result.effective_weights()
    assert eff[result.structure.indicators].sum() == pytest.approx(1.0)


def test_with_step_param_leaves_original_unchanged(index: CompositeIndex) -> None:
    changed = index.with_step_param("treat", winmax=1)
    assert index.spec.step("treat").winmax == 5  # type: ignore[union-attr]
    assert changed.spec.step("treat").winmax == 1  # type: ignore[union-attr]
    assert round(float(index.build().scores().loc["CHE", "Index"]), 2) == 68.38
