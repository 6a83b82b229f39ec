"""ICT ↔ economy relations: correlation, elasticity and panel fixed effects, honest about small samples."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from sandyq.analytics.relate import relate
from sandyq.analytics.results import TOO_FEW
from sandyq.errors import SandyqError

# Seed 000, Table 3 (ICT costs, mln tenge) and Table 4 (Internet users), 2010–2017.
ICT_COSTS = pd.Series(
    [147538.3, 214179.7, 309821.2, 220847.7, 237079.4, 375600.4, 269526.7, 349943.6],
    index=range(2010, 2018),
    name="ict_costs",
)
USERS = pd.Series(
    [5154157, 8376478, 8968471, 9233755, 9535283, 9784837, 9961519, 14063513],
    index=range(2010, 2018),
    name="internet_users",
    dtype=float,
)


def _long(series: pd.Series, geo: str = "KAZ") -> pd.DataFrame:
    return pd.DataFrame({"indicator": series.name, "geo": geo, "year": series.index, "value": series.to_numpy()})


def test_exact_power_law_gives_its_elasticity() -> None:
    x = pd.Series([1.0, 2.0, 4.0, 8.0, 16.0, 32.0], index=range(2015, 2021))
    r = relate(x, 3.0 * x**0.8, "time")
    assert r.n == 6
    assert r.elasticity == pytest.approx(0.8)
    assert r.elasticity_ci_low == pytest.approx(0.8) and r.elasticity_ci_high == pytest.approx(0.8)
    assert r.spearman_rho == pytest.approx(1.0)
    assert r.r2 == pytest.approx(1.0)


def test_seed_table3_against_table4_over_time() -> None:
    r = relate(_long(ICT_COSTS), _long(USERS), "time")
    assert (r.n, r.elasticity_n, r.x, r.y, r.geo) == (8, 8, "ict_costs", "internet_users", None)
    assert r.elasticity is not None and r.elasticity_ci_low is not None and r.elasticity_ci_high is not None
    assert r.elasticity_ci_low < r.elasticity < r.elasticity_ci_high
    assert "trend over time" in r.verdict  # a correlation of two trending series is not evidence of impact
    assert "not a proof of impact" in r.verdict


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_too_few_observations_say_nothing(n: int) -> None:
    r = relate(ICT_COSTS.head(n), USERS.head(n), "time")
    assert r.verdict.startswith(TOO_FEW)
    assert not r.estimated
    assert r.pearson_r is None and r.elasticity is None and r.spearman_rho is None
    assert json.loads(json.dumps(r.to_dict()))["estimated"] is False


def test_only_overlapping_years_count() -> None:
    r = relate(ICT_COSTS.loc[2010:2013], USERS.loc[2012:2017], "time")
    assert r.n == 2 and r.verdict.startswith(TOO_FEW)


def test_non_positive_values_are_left_out_of_the_elasticity_and_counted() -> None:
    x = pd.Series([0.0, -1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], index=range(2010, 2018))
    y = pd.Series([1.0, 2.0, 2.5, 3.0, 4.5, 5.0, 6.5, 7.0], index=range(2010, 2018))
    r = relate(x, y, "time")
    assert r.n == 8 and r.elasticity_n == 6 and r.excluded_nonpositive == 2
    assert r.pearson_r is not None  # correlations use all pairs
    assert "2 pair(s) with a value ≤ 0" in r.notes[0]
    few = relate(x.iloc[:6], y.iloc[:6], "time")
    assert few.pearson_r is not None and few.elasticity is None
    assert "no elasticity" in few.verdict


def test_cross_section_needs_one_year() -> None:
    x = pd.DataFrame({"geo": list("ABCDEF") * 2, "year": [2019] * 6 + [2020] * 6, "value": np.arange(1.0, 13.0)})
    y = x.assign(value=np.sqrt(x["value"]))
    with pytest.raises(SandyqError, match="pass year="):
        relate(x, y, "cross_section")
    r = relate(x, y, "cross_section", year=2020)
    assert r.n == 6 and r.year == 2020 and r.elasticity == pytest.approx(0.5)
    assert r.verdict.startswith("Across 6 units in 2020")


def test_time_mode_needs_one_geography() -> None:
    both = pd.concat([_long(ICT_COSTS, "KAZ"), _long(ICT_COSTS, "UZB")], ignore_index=True)
    with pytest.raises(SandyqError, match="pass geo="):
        relate(both, both, "time")
    assert relate(both, both, "time", geo="UZB").n == 8


def _panel(n_units: int, years: int = 10, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ln y = a_i + 0.5 ln x + e, with unit effects a_i correlated with ln x (pooled OLS is biased)."""
    rng = np.random.default_rng(seed)
    geo = np.repeat([f"U{i}" for i in range(n_units)], years)
    year = np.tile(np.arange(2010, 2010 + years), n_units)
    level = np.repeat(rng.normal(0, 1, n_units), years)
    lx = level + rng.normal(0, 0.3, n_units * years)
    ly = -2.0 * level + 0.5 * lx + rng.normal(0, 0.05, n_units * years)
    x = pd.DataFrame({"geo": geo, "year": year, "value": np.exp(lx)})
    return x, x.assign(value=np.exp(ly))


def test_panel_fixed_effects_recover_the_within_elasticity() -> None:
    x, y = _panel(12)
    r = relate(x, y, "panel")
    assert (r.n, r.n_entities, r.n_periods) == (120, 12, 10)
    assert r.elasticity_ci_low is not None and r.elasticity_ci_high is not None
    assert r.elasticity_ci_low < 0.5 < r.elasticity_ci_high
    pooled = relate(x.groupby("geo").mean().reset_index(), y.groupby("geo").mean().reset_index(), "cross_section")
    assert pooled.elasticity is not None and pooled.elasticity < 0  # between units the sign is reversed
    assert r.within_r is not None and r.within_r > 0.9
    assert "within units" in r.verdict
    two_way = relate(x, y, "panel", time_effects=True)
    assert two_way.elasticity == pytest.approx(r.elasticity, abs=0.05)


def test_panel_with_fewer_than_three_entities_says_nothing() -> None:
    x, y = _panel(2)
    r = relate(x, y, "panel")
    assert r.verdict == f"{TOO_FEW}: 2 unit(s) in the panel; at least 3 are needed"
    assert r.elasticity is None and r.pearson_r is None


def test_internet_use_and_income_across_countries() -> None:
    """World Bank WDI (bundled country panel): Internet use rises with GDP per capita across countries."""
    path = resources.files("sandyq") / "content" / "data" / "country-panel" / "digital_panel_wide.csv"
    with path.open("r", encoding="utf-8") as fh:
        panel = pd.read_csv(fh, usecols=["iso3", "year", "internet_users_pct", "gdp_per_capita_usd"])
    panel = panel.rename(columns={"iso3": "geo"})
    x = panel[["geo", "year", "gdp_per_capita_usd"]].rename(columns={"gdp_per_capita_usd": "value"})
    y = panel[["geo", "year", "internet_users_pct"]].rename(columns={"internet_users_pct": "value"})
    r = relate(x, y, "cross_section", year=2019)
    assert r.n > 150
    assert r.spearman_rho is not None and r.spearman_rho > 0.7
    assert r.elasticity_ci_low is not None and r.elasticity_ci_low > 0
    kaz = relate(x, y, "time", geo="KAZ")
    assert kaz.n >= 20 and kaz.geo == "KAZ"
    p = relate(x[x["year"] >= 2010], y[y["year"] >= 2010], "panel")
    assert p.n_entities is not None and p.n_entities > 150
    assert p.elasticity is not None and p.elasticity > 0
    json.dumps(p.to_dict())


def test_bad_parameters() -> None:
    with pytest.raises(SandyqError):
        relate(ICT_COSTS, USERS, "sideways")  # type: ignore[arg-type]
    with pytest.raises(SandyqError):
        relate(ICT_COSTS, USERS, alpha=1.5)
    with pytest.raises(SandyqError, match="one indicator"):
        relate(pd.concat([_long(ICT_COSTS), _long(USERS)]), _long(USERS))
