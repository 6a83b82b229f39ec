"""Regional differentiation: inequality measures, convergence, ranking, and Kazakhstan's boundary changes.

Facts used (ISO 3166-2:KZ codes as in sandyq's geography): South Kazakhstan (KZ-YUZ) exists until 2017;
Turkistan (KZ-61) and Shymkent (KZ-79) from 2018; Abai (KZ-10), Jetisu (KZ-33) and Ulytau (KZ-62) from 2022;
East Kazakhstan (KZ-63), Almaty Region (KZ-19) and Karaganda (KZ-35) lose territory to them in 2022.
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from sandyq.analytics.regional import (
    TOO_FEW,
    Territory,
    beta_convergence,
    coefficient_of_variation,
    dispersion,
    gini,
    max_min_ratio,
    peer_groups,
    peers,
    rank,
    sigma_convergence,
    theil,
)
from sandyq.errors import SandyqError

FIRST = {"KZ-61": 2018, "KZ-79": 2018, "KZ-10": 2022, "KZ-33": 2022, "KZ-62": 2022}
LAST = {"KZ-YUZ": 2017}
BORDERS_2022 = {"KZ-63": "ceded Abai (KZ-10)", "KZ-19": "ceded Jetisu (KZ-33)", "KZ-35": "ceded Ulytau (KZ-62)"}
UNCHANGED = ["KZ-11", "KZ-15", "KZ-23", "KZ-27", "KZ-31", "KZ-39", "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-71", "KZ-75"]
CHANGED = {"KZ-YUZ", "KZ-61", "KZ-79", "KZ-10", "KZ-33", "KZ-62", *BORDERS_2022}


def existence(geo: str, year: int) -> bool:
    return FIRST.get(geo, -math.inf) <= year <= LAST.get(geo, math.inf)


def boundary_note(geo: str, year0: int, year1: int) -> str | None:
    return f"{geo} {BORDERS_2022[geo]} in 2022" if geo in BORDERS_2022 and year0 < 2022 <= year1 else None


def _kz_panel(years: range = range(2015, 2024), seed: int = 7) -> pd.DataFrame:
    """A synthetic indicator for every unit in every year, including years a unit did not exist (back-fills)."""
    rng = np.random.default_rng(seed)
    geos = [*UNCHANGED, *CHANGED]
    rows = [(g, y, 50 + 2 * (y - 2015) + rng.normal(0, 5)) for g in geos for y in years]
    return pd.DataFrame(rows, columns=["geo", "year", "value"])


# --- known properties of the measures --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 5, 17, 20])
def test_gini_and_theil_of_equal_values_are_zero(n: int) -> None:
    assert gini([42.0] * n) == pytest.approx(0.0, abs=1e-12)
    assert theil([42.0] * n) == pytest.approx(0.0, abs=1e-12)
    assert coefficient_of_variation([42.0] * n) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("n", [2, 3, 5, 17, 20])
def test_one_unit_has_everything(n: int) -> None:
    values = [0.0] * (n - 1) + [1.0]
    assert gini(values) == pytest.approx((n - 1) / n)
    assert theil(values) == pytest.approx(math.log(n))


def test_weighted_gini_equals_gini_of_replicated_units() -> None:
    assert gini([1.0, 2.0, 5.0], weights=[3, 1, 2]) == pytest.approx(gini([1, 1, 1, 2, 5, 5]))
    assert theil([1.0, 2.0, 5.0], weights=[3, 1, 2]) == pytest.approx(theil([1, 1, 1, 2, 5, 5]))
    assert coefficient_of_variation([1.0, 2.0, 5.0], weights=[3, 1, 2]) == pytest.approx(
        coefficient_of_variation([1, 1, 1, 2, 5, 5])
    )


def test_gini_of_1_to_5_is_the_mean_difference_over_twice_the_mean() -> None:
    x = np.arange(1.0, 6.0)
    mean_difference = np.abs(x[:, None] - x[None, :]).mean()
    assert gini(x) == pytest.approx(mean_difference / (2 * x.mean()))


def test_max_min_ratio_and_cv_ddof() -> None:
    assert max_min_ratio([3.0, 12.0, 6.0]) == 4.0
    x = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]  # mean 5, population sd 2, sample sd √(32/7)
    assert coefficient_of_variation(x) == pytest.approx(0.4)
    assert coefficient_of_variation(x, ddof=1) == pytest.approx(math.sqrt(32 / 7) / 5)


@pytest.mark.parametrize(
    ("func", "values"),
    [(gini, [1.0, -1.0]), (theil, [1.0, -1.0]), (max_min_ratio, [0.0, 1.0]), (gini, [0.0, 0.0]), (gini, [1.0, np.nan])],
)
def test_undefined_inputs_are_refused_with_a_reason(func: object, values: list[float]) -> None:
    with pytest.raises(SandyqError):
        func(values)  # type: ignore[operator]


def test_dispersion_table_agrees_with_the_scalar_measures() -> None:
    d = pd.DataFrame({"geo": list("ABCDE"), "year": 2020, "value": [3.0, 1.0, 4.0, 1.5, 9.0], "pop": [5, 1, 2, 8, 3]})
    row = dispersion(d, weight="pop").iloc[0]
    v, w = d["value"], d["pop"]
    assert row["gini"] == pytest.approx(gini(v))
    assert row["theil"] == pytest.approx(theil(v))
    assert row["cv"] == pytest.approx(coefficient_of_variation(v))
    assert row["max_min"] == pytest.approx(max_min_ratio(v))
    assert (row["max_geo"], row["min_geo"]) == ("E", "B")
    assert row["gini_w"] == pytest.approx(gini(v, weights=w))
    assert row["theil_w"] == pytest.approx(theil(v, weights=w))
    assert row["cv_w"] == pytest.approx(coefficient_of_variation(v, weights=w))
    assert dispersion(d, ddof=1).iloc[0]["cv"] == pytest.approx(coefficient_of_variation(v, ddof=1))


def test_dispersion_flags_negative_values() -> None:
    d = pd.DataFrame({"geo": list("ABC"), "year": 2020, "value": [3.0, -1.0, 4.0]})
    row = dispersion(d).iloc[0]
    assert row["flag"] == "negative"
    assert math.isnan(row["gini"]) and math.isnan(row["theil"])
    assert row["sd"] == pytest.approx(np.std([3.0, -1.0, 4.0]))


# --- boundary changes ------------------------------------------------------------------------------------------


def test_absent_regions_are_left_out_not_zero() -> None:
    table = dispersion(_kz_panel(), existence=existence, boundary_note=boundary_note).set_index("year")
    assert table.loc[2017, "n"] == 12 + 1 + 3  # unchanged + South Kazakhstan + the three pre-2022 oblasts
    assert table.loc[2018, "n"] == 12 + 2 + 3
    assert table.loc[2022, "n"] == 12 + 2 + 3 + 3
    assert "KZ-YUZ (does not exist in this year)" in table.loc[2018, "excluded"]
    assert "KZ-61 (does not exist in this year)" in table.loc[2017, "excluded"]


def test_changes_between_years_are_reported() -> None:
    table = dispersion(_kz_panel(), existence=existence, boundary_note=boundary_note).set_index("year")
    assert table.loc[2018, "changes"] == "units differ from 2017: +KZ-61, +KZ-79, −KZ-YUZ"
    assert table.loc[2022, "changes"].startswith("units differ from 2021: +KZ-10, +KZ-33, +KZ-62")
    for geo in BORDERS_2022:
        assert f"{geo} ceded" in table.loc[2022, "changes"]
    assert table.loc[2020, "changes"] == ""


def test_sigma_convergence_excludes_changed_units_by_default() -> None:
    s = sigma_convergence(_kz_panel(), existence=existence, boundary_note=boundary_note)
    assert set(s.excluded_units) == CHANGED
    assert set(s.table["n"]) == {len(UNCHANGED)}
    assert s.n_years == 9
    assert "left out 9 unit(s)" in s.notes[0]


def test_sigma_convergence_can_include_them_and_says_so() -> None:
    s = sigma_convergence(_kz_panel(), boundary="include", existence=existence, boundary_note=boundary_note)
    assert set(s.excluded_units) == CHANGED
    assert "kept 9 unit(s)" in s.notes[0]
    assert "boundary changes inside the window" in s.verdict
    assert any(n.startswith("2018: units differ from 2017") for n in s.notes)


def test_window_before_any_change_has_nothing_to_exclude() -> None:
    s = sigma_convergence(
        _kz_panel(), start=2018, end=2021, min_years=3, existence=existence, boundary_note=boundary_note
    )
    # South Kazakhstan is gone and the 2022 regions do not exist yet; their back-filled rows go too
    assert set(s.excluded_units) == {"KZ-YUZ", "KZ-10", "KZ-33", "KZ-62"}
    assert set(s.table["n"]) == {len(UNCHANGED) + 2 + 3}


def test_with_the_real_geography() -> None:
    from sandyq.framework import load_geography

    territory = Territory(load_geography())
    assert set(territory.unstable([*UNCHANGED, *CHANGED], 2016, 2022)) == CHANGED
    unstable = territory.unstable([*UNCHANGED, *CHANGED], 2018, 2021)
    assert unstable["KZ-YUZ"] == "KZ-YUZ does not exist in 2018–2021"
    assert set(unstable) == {"KZ-YUZ", "KZ-10", "KZ-33", "KZ-62"}
    assert "2022-06-08" in (territory.note("KZ-63", 2021, 2022) or "")
    assert territory.note("KZ-63", 2022, 2023) is None
    assert territory.exists("USA", 1990)  # units outside the geography are assumed to exist


def test_internet_use_across_regions_2011_2023() -> None:
    """SDG 17.8.1 by region (bundled kazstat data): 16 regions per year to 2017, 17 from 2018, 20 from 2022."""
    from sandyq.framework import load_geography

    path = resources.files("sandyq") / "content" / "data" / "kz-sdg-ict" / "raw" / "indicator_17-8-1.csv"
    with path.open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, keep_default_na=False, dtype={"REF_AREA": str})
    rows = raw[(raw["REF_AREA"] != "") & (raw["SEX"] == "") & (raw["URBANISATION"] == "")]
    geography = load_geography()
    data = pd.DataFrame(
        {"geo": [geography.resolve(c) for c in rows["REF_AREA"]], "year": rows["Year"], "value": rows["Value"]}
    )
    table = dispersion(data, geography=geography).set_index("year")
    assert table["n"].to_dict() == {y: 16 if y <= 2017 else 17 if y <= 2021 else 20 for y in range(2011, 2024)}
    assert table.loc[2018, "changes"] == "units differ from 2017: +KZ-61, +KZ-79, −KZ-YUZ"
    assert table["excluded"].eq("").all()

    s = sigma_convergence(data, geography=geography)
    assert set(s.excluded_units) == {"KZ-YUZ", "KZ-61", "KZ-79", "KZ-10", "KZ-33", "KZ-62", "KZ-63", "KZ-19", "KZ-35"}
    assert set(s.table["n"]) == {12}  # the 16 units of 2011 less South Kazakhstan and the 3 oblasts split in 2022
    assert s.slope is not None and s.slope < 0  # regional gaps in Internet use narrowed as use approached 90 %+
    assert s.verdict.startswith("sigma convergence")

    b = beta_convergence(data, geography=geography)
    assert b.n == 12
    assert b.beta is not None and b.ci_high is not None and b.ci_high < 0


# --- beta convergence ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("true_beta", "seed"), [(-0.03, 1), (-0.01, 2), (0.02, 3)])
def test_beta_convergence_recovers_a_known_beta(true_beta: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, years = 60, 10
    y0 = np.exp(rng.normal(4.0, 0.6, n))
    growth = 0.2 + true_beta * np.log(y0) + rng.normal(0, 0.003, n)
    d = pd.DataFrame(
        {
            "geo": np.tile([f"R{i}" for i in range(n)], 2),
            "year": np.repeat([2010, 2010 + years], n),
            "value": np.r_[y0, y0 * np.exp(years * growth)],
        }
    )
    b = beta_convergence(d)
    assert b.n == n
    assert b.ci_low is not None and b.ci_high is not None
    assert b.ci_low <= true_beta <= b.ci_high
    if true_beta < 0:
        assert b.speed == pytest.approx(-math.log(1 + true_beta * years) / years, rel=0.1)
        assert b.half_life is not None and b.verdict.startswith("beta convergence")
    else:
        assert b.half_life is None and b.verdict.startswith("beta divergence")


def test_beta_convergence_with_too_few_units_says_nothing() -> None:
    d = pd.DataFrame({"geo": list("ABCD") * 2, "year": [2010] * 4 + [2020] * 4, "value": [1.0, 2, 3, 4, 2, 3, 4, 5]})
    b = beta_convergence(d)
    assert b.verdict.startswith(TOO_FEW)
    assert b.beta is None and b.ci_low is None and b.half_life is None
    assert b.to_dict()["beta"] is None


def test_beta_convergence_counts_non_positive_values() -> None:
    d = _kz_panel(range(2018, 2024))
    d.loc[(d["geo"] == "KZ-11") & (d["year"] == 2018), "value"] = 0.0
    b = beta_convergence(d, existence=existence, boundary_note=boundary_note)
    assert b.excluded_nonpositive == 1
    assert b.n == len(UNCHANGED) - 1 + 2  # Turkistan and Shymkent exist throughout 2018–2023


def test_results_are_json_safe() -> None:
    import json

    s = sigma_convergence(_kz_panel(), existence=existence, boundary_note=boundary_note)
    text = json.dumps(s.to_dict())
    assert '"measure": "cv"' in text
    json.dumps(beta_convergence(_kz_panel(), existence=existence, boundary_note=boundary_note).to_dict())


def test_sigma_with_too_few_years_says_nothing() -> None:
    d = pd.DataFrame({"geo": list("ABC") * 2, "year": [2020] * 3 + [2021] * 3, "value": [1.0, 2, 3, 2, 3, 4]})
    s = sigma_convergence(d)
    assert s.verdict.startswith(TOO_FEW) and s.slope is None


# --- ranking and peers -----------------------------------------------------------------------------------------


def test_rank_polarity_ties_and_boundary_notes() -> None:
    d = pd.DataFrame(
        {
            "geo": ["KZ-63", "KZ-11", "KZ-15", "KZ-63", "KZ-11", "KZ-15", "KZ-10"],
            "year": [2021, 2021, 2021, 2022, 2022, 2022, 2022],
            "value": [5.0, 5.0, 1.0, 9.0, 3.0, 2.0, 7.0],
        }
    )
    r = rank(d, existence=existence, boundary_note=boundary_note).set_index(["year", "geo"])
    assert r.loc[(2021, "KZ-63"), "rank"] == r.loc[(2021, "KZ-11"), "rank"] == 1
    assert r.loc[(2022, "KZ-15"), "position"] == 0.0
    assert "units differ between 2021 and 2022 (n 3 → 4)" in r.loc[(2022, "KZ-11"), "note"]
    assert "KZ-63 ceded Abai" in r.loc[(2022, "KZ-63"), "note"]
    low = rank(d, polarity="lower").set_index(["year", "geo"])
    assert low.loc[(2021, "KZ-15"), "rank"] == 1


def test_peer_groups_and_peers() -> None:
    d = pd.DataFrame({"geo": list("ABCDEFGHI"), "year": 2020, "value": np.arange(9.0)})
    g = peer_groups(d, 3).set_index("geo")["group"]
    assert g[["A", "B", "C"]].tolist() == [1, 1, 1] and g[["G", "H", "I"]].tolist() == [3, 3, 3]
    two = pd.concat(
        [d.assign(indicator="internet"), d.assign(indicator="gdp", value=d["value"][::-1].to_numpy())],
        ignore_index=True,
    )
    p = peers(two, "E", n=2)
    assert set(p.table["geo"]) == {"D", "F"}
    assert p.indicators == ["gdp", "internet"]
    with pytest.raises(SandyqError):
        peers(d, "Z")


# -- population weights and cautions (issue 14) ----------------------------------------------------------------------


def test_bundled_regional_population_on_each_years_borders() -> None:
    import sandyq
    from sandyq.analytics.regional import population_weights, region_population

    pop = region_population()
    # BNS via Open Data Kazakhstan: Almaty city 2,161,695; Ulytau 221,395; 19.77 million in the 20 regions
    assert (len(pop), int(pop["KZ-75"]), int(pop["KZ-62"]), int(pop.sum())) == (20, 2161695, 221395, 19765004)
    geo = sandyq.load_framework().geography
    d = pd.DataFrame({"geo": ["KZ-35", "KZ-35", "KZ-19", "KZ-YUZ", "KZ-61"], "year": [2021, 2022, 2021, 2017, 2018]})
    w = population_weights(d, geo)
    assert w is not None
    assert w.astype(int).tolist() == [
        1134753 + 221395,  # Karaganda with Ulytau before 2022
        1134753,
        1505984 + 698675,  # Almaty Region with Jetisu
        2119063 + 1191877,  # South Kazakhstan = Turkistan + Shymkent
        2119063,
    ]
    assert population_weights(pd.DataFrame({"geo": ["DEU"], "year": [2020]}), geo) is None  # no population: None


def test_weighted_beta_convergence_says_so_and_differs() -> None:
    d = pd.DataFrame(
        {
            "geo": list("ABCDEF") * 2,
            "year": [2010] * 6 + [2020] * 6,
            "value": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 30.0, 35.0, 48.0, 52.0, 60.0, 66.0],
            "pop": [1.0, 1.0, 1.0, 1.0, 1.0, 20.0] * 2,
        }
    )
    plain, weighted = beta_convergence(d), beta_convergence(d, weight="pop")
    assert not plain.weighted and weighted.weighted and "unweighted" in plain.verdict
    assert "weighted by pop" in weighted.verdict and weighted.beta != pytest.approx(plain.beta)


def test_cautions_for_a_share_near_its_ceiling_and_raw_counts() -> None:
    from sandyq.analytics.regional import cautions

    # 17-8-1 (Internet users) 2023 across regions: about 92–97 %
    near = cautions(np.array([92.4, 95.0, 96.8, 94.1]), "PT")
    assert [c.code for c in near] == ["near_ceiling"] and all(c.kk and c.ru and c.en for c in near)
    assert cautions(np.array([40.0, 55.0]), "PT") == []
    assert [c.code for c in cautions(np.array([120.5, 80.0]), "TH_UNITS")] == ["raw_counts"]  # 17-6-2 subscribers
