"""Audit: statistics with flags, correlations, Cronbach's alpha, PCA and drop-one rank changes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sandyq.analytics.composite import (
    CompositeIndex,
    IndexResult,
    audit,
    collinear_pairs,
    describe,
    drop_one,
    parent_correlations,
    rank_descending,
    spec_from_dict,
)


def test_statistics_flag_the_outliers_coinr_treats(result: IndexResult) -> None:
    report = audit(result)
    stats = report.statistics
    # Goods: raw skew 2.65 / kurtosis 8.27 (COINr treat vignette) -> "OUT"; Services 1.70 / 2.38 -> "ok"
    assert stats.loc["Goods", "Flag.SkewKurt"] == "OUT"
    assert stats.loc["Services", "Flag.SkewKurt"] == "ok"
    assert round(float(stats.loc["Goods", "Skew"]), 6) == 2.649973
    assert "Goods" in report.flagged().index
    assert len(report.drop_one) == 3 and report.treatment is not None


def test_availability_zero_and_unique_flags() -> None:
    df = pd.DataFrame({"sparse": [1.0, np.nan, np.nan, np.nan], "zeros": [0.0, 0.0, 0.0, 1.0], "fine": [1.0, 2, 3, 4]})
    stats = describe(df)
    assert stats.loc["sparse", "Flag.Avail"] == "LOW" and stats.loc["sparse", "Frc.Avail"] == 0.25
    assert stats.loc["zeros", "Flag.NonZero"] == "LOW"
    assert stats.loc["zeros", "Flag.Unique"] == "ok" and stats.loc["fine", "Flag.Unique"] == "ok"
    assert (stats.loc["fine", ["Flag.Avail", "Flag.NonZero", "Flag.SkewKurt"]] == "ok").all()


def test_drop_one_equals_rebuilding_with_zero_weight(index: CompositeIndex, result: IndexResult) -> None:
    table = drop_one(result, level=2)
    nominal = result.ranks()["Index"].to_numpy()
    for code in ("P2P", "Environ"):
        rebuilt = index.with_weights({code: 0.0}).build().scores()["Index"].to_numpy()
        expected = np.abs(rank_descending(rebuilt) - nominal).mean()
        assert table.loc[code, "MeanAbsDiff"] == pytest.approx(expected)
    assert (table["MeanAbsDiff"] > 0).all()


def _toy(tmp_path: Path) -> IndexResult:
    rng = np.random.default_rng(0)
    base = rng.normal(size=30)
    df = pd.DataFrame(
        {
            "uCode": [f"U{i}" for i in range(30)],
            "a": base,
            "b": base * 2 + 1,  # identical information: collinear
            "c": -base + rng.normal(scale=0.01, size=30),  # opposite to the rest of its group
            "d": rng.normal(size=30),
        }
    )
    df.to_csv(tmp_path / "toy.csv", index=False)
    spec = spec_from_dict(
        {
            "data": {"file": "toy.csv"},
            "structure": {
                "indicators": [
                    {"code": "a", "parent": "P"},
                    {"code": "b", "parent": "P"},
                    {"code": "c", "parent": "P"},
                    {"code": "d", "parent": "Q"},
                ],
                "aggregates": [{"code": "P", "parent": "I"}, {"code": "Q", "parent": "I"}, {"code": "I"}],
            },
            "steps": [{"normalise": {}}, {"aggregate": {}}],
        },
        base_dir=tmp_path,
    )
    return CompositeIndex.from_spec(spec).build()


def test_collinear_pairs_and_negative_correlations(tmp_path: Path) -> None:
    r = _toy(tmp_path)
    pairs = collinear_pairs(r, threshold=0.9)
    assert list(zip(pairs["Ind1"], pairs["Ind2"], strict=True)) == [("a", "b")]
    assert pairs["Corr"].iloc[0] == pytest.approx(1.0)
    corr = parent_correlations(r)
    assert "negative" in corr.loc["c", "Flag"]
    assert corr.loc["a", "Flag"] == "ok"
