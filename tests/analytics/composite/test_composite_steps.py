"""The steps on small arrays whose results can be worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sandyq.analytics.composite import (
    CompositeIndex,
    Node,
    Structure,
    aggregate_level,
    copeland,
    impute_columns,
    impute_groups,
    impute_panel,
    normalise,
    spec_from_dict,
    treat_column,
    winsorise,
)

NAN = float("nan")
ASEM = Path(__file__).resolve().parents[3] / "examples" / "coinr-asem"


def test_winsorising_one_to_ten_and_hundred_gives_ten() -> None:
    # COINr tests/testthat/test-treat.R: c(1:10, 100) -> the 100 is winsorised to 10
    x, n = winsorise([*range(1, 11), 100])
    assert x.tolist() == [*map(float, range(1, 11)), 10.0]
    assert n == 1


def test_winsorising_low_outliers_and_limit() -> None:
    x, n = winsorise([-100.0, *range(1, 11)])
    assert x[0] == 1.0 and n == 1
    # two high outliers and winmax 1: one step is not enough, so the log transform is applied to the original
    _, rec = treat_column([*range(1, 21), 500, 1000], winmax=1)
    assert rec.method == "log" and rec.n_winsorised == 0


def test_treatment_keeps_missing_values() -> None:
    x, rec = treat_column([*range(1, 11), 100, NAN])
    assert math.isnan(x[-1]) and x[-2] == 10.0 and rec.n_winsorised == 1


@pytest.mark.parametrize(
    ("method", "kwargs", "expected"),
    [
        ("minmax", {}, [0.0, 25.0, 100.0]),
        ("minmax", {"range_": (1.0, 100.0)}, [1.0, 25.75, 100.0]),
        (
            "zscore",
            {"mean_sd": (10.0, 2.0)},
            [10 - 2 * 0.8006407690254357, 10 - 2 * 0.32025630761017426, 10 + 2 * 1.1208970766356101],
        ),
        ("scaled", {"range_": (0.0, 20.0)}, [10.0, 20.0, 50.0]),
        ("goalposts", {"posts": ([0.0], [8.0])}, [25.0, 50.0, 100.0]),
        ("dist2targ", {"targets": [6.0]}, [0.0, 0.5, 2.0]),
        ("dist2max", {}, [0.0, 0.25, 1.0]),
        ("dist2ref", {"ref": 1}, [0.0, 1.0, 4.0]),
        ("fracmax", {}, [0.2, 0.4, 1.0]),
        ("rank", {}, [1.0, 2.0, 3.0]),
        ("prank", {}, [0.0, 0.5, 1.0]),
        ("borda", {}, [0.0, 1.0, 2.0]),
    ],
)
def test_normalisation_formulas(method: str, kwargs: dict[str, object], expected: list[float]) -> None:
    x = np.array([[2.0], [4.0], [10.0]])
    out = normalise(x, [1], method, **kwargs)  # type: ignore[arg-type]
    assert out[:, 0] == pytest.approx(expected)


def test_negative_direction_is_flipped_before_normalising() -> None:
    x = np.array([[2.0], [4.0], [10.0]])
    assert normalise(x, [-1], "minmax")[:, 0].tolist() == [100.0, 75.0, 0.0]
    # goalposts in the indicator's units: for "lower is better", reaching the lower post scores 100
    assert normalise(x, [-1], "goalposts", posts=([2.0], [10.0]))[:, 0].tolist() == [100.0, 75.0, 0.0]
    # target for "lower is better" (COINr n_dist2targ direction = -1): (max - x)/(max - target)
    assert normalise(x, [-1], "dist2targ", targets=[4.0])[:, 0] == pytest.approx([8 / 6, 1.0, 0.0])


def test_percentile_rank_ties_take_the_lowest_rank() -> None:
    out = normalise(np.array([[1.0], [2.0], [2.0], [5.0], [NAN]]), [1], "prank")[:, 0]
    assert out[:4].tolist() == [0.0, 1 / 3, 1 / 3, 1.0] and math.isnan(out[4])


def test_aggregation_means() -> None:
    m = np.ones((2, 1), dtype=bool)
    w = np.array([[1.0], [3.0]])
    x = np.array([[16.0, 1.0]])
    assert aggregate_level(x, w, m, "arithmetic")[0][0, 0] == pytest.approx((16 + 3) / 4)
    assert aggregate_level(x, w, m, "geometric")[0][0, 0] == pytest.approx(16**0.25)
    assert aggregate_level(x, w, m, "harmonic")[0][0, 0] == pytest.approx(4 / (1 / 16 + 3))
    assert aggregate_level(x, w, m, "generalised", p=2)[0][0, 0] == pytest.approx(math.sqrt((256 + 3) / 4))
    scores, bad = aggregate_level(np.array([[0.0, 5.0]]), w, m, "geometric")
    assert bool(bad[0, 0]) and math.isnan(scores[0, 0])


def test_egdi_style_identity(tmp_path: Path) -> None:
    # UN EGDI is the equally weighted arithmetic mean of its three component indices (OSI, TII, HCI), which are
    # already on [0, 1]: an index with no normalisation step must reproduce the total as that mean.
    (tmp_path / "egdi.csv").write_text("uCode,OSI,TII,HCI\nKAZ,0.90,0.85,0.88\nUZB,0.70,0.60,0.80\n")
    spec = spec_from_dict(
        {
            "data": {"file": "egdi.csv", "time": None, "name": None},
            "structure": {
                "indicators": [{"code": c, "parent": "EGDI"} for c in ("OSI", "TII", "HCI")],
                "aggregates": [{"code": "EGDI"}],
            },
            "steps": [{"aggregate": {"method": "arithmetic"}}],
        },
        base_dir=tmp_path,
    )
    egdi = CompositeIndex.from_spec(spec).build().scores()["EGDI"]
    assert egdi["KAZ"] == pytest.approx((0.90 + 0.85 + 0.88) / 3)
    assert egdi["UZB"] == pytest.approx(0.70)


def test_copeland_counts_weighted_pairwise_wins() -> None:
    x = np.array([[3.0, 3.0, 1.0], [2.0, 2.0, 2.0], [1.0, 1.0, 3.0]])
    scores = copeland(x, np.ones((3, 1)))[:, 0]
    # unit 1 beats 2 and 3 on two of three indicators: 2/3 + 2/3
    assert scores == pytest.approx([4 / 3, 1.0, 2 / 3])


def test_missing_children_are_skipped_with_threshold() -> None:
    m = np.ones((3, 1), dtype=bool)
    x = np.array([[10.0, NAN, 30.0], [NAN, NAN, 30.0]])
    out, _ = aggregate_level(x, np.ones((3, 1)), m, dat_thresh=0.5)
    assert out[0, 0] == 20.0 and math.isnan(out[1, 0])


def test_imputation_methods() -> None:
    assert impute_columns([[1.0], [NAN], [5.0]])[:, 0].tolist() == [1.0, 3.0, 5.0]
    out = impute_groups([[1.0], [NAN], [5.0], [NAN], [10.0]], ["E", "E", "A", "A", "A"], "median")
    assert out[:, 0].tolist() == [1.0, 1.0, 5.0, 7.5, 10.0]
    x = [[NAN], [2.0], [NAN], [6.0], [NAN]]
    t = [2018, 2019, 2020, 2021, 2022]
    assert np.isnan(impute_panel(x, ["K"] * 5, t, "latest")[0, 0])
    assert impute_panel(x, ["K"] * 5, t, "latest")[1:, 0].tolist() == [2.0, 2.0, 6.0, 6.0]
    assert impute_panel(x, ["K"] * 5, t, "linear")[:, 0].tolist() == [2.0, 2.0, 4.0, 6.0, 6.0]
    assert np.isnan(impute_panel(x, ["K"] * 5, t, "latest", max_time=0)[2, 0])


def test_effective_weights_multiply_down_the_tree() -> None:
    s = Structure(
        (
            Node("a", 1, "P"),
            Node("b", 1, "P", weight=3),
            Node("c", 1, "Q"),
            Node("P", 2, "I"),
            Node("Q", 2, "I"),
            Node("I", 3),
        )
    )
    eff = s.effective_weights()
    assert eff[["a", "b", "c"]].tolist() == [0.125, 0.375, 0.5]


def _tiny(tmp_path: Path, steps: list[dict[str, object]], rows: str) -> CompositeIndex:
    (tmp_path / "d.csv").write_text("uCode,Time,grp,pop,x1,x2,x3\n" + rows)
    spec = spec_from_dict(
        {
            "data": {"file": "d.csv"},
            "structure": {
                "indicators": [
                    {"code": "x1", "parent": "A", "denominator": "pop"},
                    {"code": "x2", "parent": "A", "direction": -1},
                    {"code": "x3", "parent": "B", "goalposts": [0, 10]},
                ],
                "aggregates": [{"code": "A", "parent": "I"}, {"code": "B", "parent": "I"}, {"code": "I"}],
                "groups": ["grp"],
                "denominators": ["pop"],
            },
            "steps": steps,
        },
        source="tiny.yaml",
        base_dir=tmp_path,
    )
    return CompositeIndex.from_spec(spec)


ROWS = "U1,2020,a,10,100,1,5\nU2,2020,a,20,100,3,\nU3,2020,b,5,10,2,10\nU4,2020,b,1,,2,0\n"


def test_small_pipeline_by_hand(tmp_path: Path) -> None:
    index = _tiny(
        tmp_path,
        [
            {"denominate": {}},
            {"impute": {"method": "mean_group", "group": "grp"}},
            {"screen": {"threshold": 0.5}},
            {"normalise": {"method": "minmax", "indicators": {"x3": {"method": "goalposts"}}}},
            {"aggregate": {}},
        ],
        ROWS,
    )
    r = index.build()
    den = r.dataset("Imputed")
    assert den["x1"].tolist() == [10.0, 5.0, 2.0, 2.0]  # x1/pop; U4 imputed from group b
    assert den.loc["U2", "x3"] == 5.0  # group a mean
    norm = r.dataset("Normalised")
    assert norm["x2"].tolist() == [100.0, 0.0, 50.0, 50.0]  # direction -1
    assert norm["x3"].tolist() == [50.0, 50.0, 100.0, 0.0]  # goalposts 0..10, fixed
    assert r.scores()["A"].tolist() == pytest.approx([100.0, 0.375 * 100 / 2, 25.0, 25.0])
    assert r.ranks().loc["U1", "I"] == 1


def test_screen_removes_units_with_little_data(tmp_path: Path) -> None:
    rows = "U1,2020,a,1,1,1,1\nU2,2020,a,1,,,5\nU3,2020,b,1,3,2,2\nU4,2020,b,1,4,3,3\n"
    index = _tiny(tmp_path, [{"screen": {"threshold": 0.5}}, {"impute": {}}, {"aggregate": {}}], rows)
    r = index.build()
    assert r.units == ["U1", "U3", "U4"]
    assert r.screening is not None and not bool(r.screening.loc["U2", "Included"])
    forced = index.with_step_param("screen", include=["U2"]).build()
    assert forced.units == ["U1", "U2", "U3", "U4"]


def test_weights_equal_and_overrides(tmp_path: Path) -> None:
    index = _tiny(
        tmp_path,
        [{"normalise": {}}, {"weight": {"method": "equal", "weights": {"x1": 3}}}, {"aggregate": {}}],
        ROWS.replace(",,2,0", ",1,2,0").replace("3,\n", "3,4\n"),
    )
    r = index.build()
    assert r.effective_weights()["x1"] == pytest.approx(0.375)


def test_geometric_mean_of_zero_is_an_explained_error(tmp_path: Path) -> None:
    from sandyq.errors import SandyqError

    index = _tiny(tmp_path, [{"impute": {}}, {"normalise": {}}, {"aggregate": {"method": "geometric"}}], ROWS)
    with pytest.raises(SandyqError) as err:
        index.build()
    assert err.value.problems[0].path == "steps[2].aggregate.method"
    assert "positive" in err.value.problems[0].message
    ok = index.with_step_param("normalise", range=[1, 100]).build()
    assert ok.scores()["I"].notna().all()


def test_panel_goalposts_are_comparable_over_years() -> None:
    index = CompositeIndex.from_yaml(ASEM / "asem.yaml")
    spec = index.spec.model_copy(update={"data": index.spec.data.model_copy(update={"file": "ASEM_iData_p.csv"})})
    panel = CompositeIndex.from_spec(spec).with_step_param(
        "normalise", method="goalposts", goalposts={"LPI": (1.0, 5.0)}, indicators={}
    )
    # only LPI has goalposts: the others must fail with a clear message
    from sandyq.errors import SandyqError

    with pytest.raises(SandyqError, match="normalise"):
        panel.build()
    one = panel.with_step_param("normalise", method="minmax", indicators={"LPI": {"method": "goalposts"}})
    r18, r22 = one.build(2018), one.build(2022)
    raw18, raw22 = r18.dataset("Treated")["LPI"], r22.dataset("Treated")["LPI"]
    assert r18.dataset("Normalised")["LPI"].to_numpy() == pytest.approx(((raw18 - 1) / 4 * 100).to_numpy())
    assert r22.dataset("Normalised")["LPI"].to_numpy() == pytest.approx(((raw22 - 1) / 4 * 100).to_numpy())
    assert r18.period == 2018 and r22.period == 2022


def test_denominators_from_another_table_with_scale_factor() -> None:
    index = CompositeIndex.from_yaml(ASEM / "asem.yaml").with_step_param(
        "denominate", file="WorldDenoms.csv", by={"Goods": "GDP"}, scale={"Goods": 1e9}
    )
    r = index.build()
    raw = r.dataset("Raw").loc["AUT", "Goods"]
    import pandas as pd

    gdp = pd.read_csv(ASEM / "WorldDenoms.csv").set_index("uCode").loc["AUT", "GDP"]
    assert r.dataset("Denominated").loc["AUT", "Goods"] == pytest.approx(raw * 1e9 / gdp)


def test_per_indicator_treatment_overrides() -> None:
    index = CompositeIndex.from_yaml(ASEM / "asem.yaml")
    r = index.with_step_param("treat", indicators={"Bord": "none", "Gas": {"winmax": 1}}).build()
    t = r.treatment
    assert t is not None
    assert t.loc["Bord", "method"] == "excluded"
    assert r.dataset("Treated")["Bord"].equals(r.dataset("Screened")["Bord"])
    assert t.loc["Gas", "method"] == "log"  # one point is not enough for Gas (3 with the default limit of 5)


def test_strengths_and_weaknesses() -> None:
    r = CompositeIndex.from_yaml(ASEM / "asem.yaml").build()
    sw = r.strengths_weaknesses("IND")
    assert len(sw["strengths"]) == 5 and len(sw["weaknesses"]) == 5
    assert sw["strengths"]["Rank"].max() < sw["weaknesses"]["Rank"].min()
    ranks = r.ranks(1).loc["IND"]
    assert all(ranks[c] == sw["strengths"].loc[c, "Rank"] for c in sw["strengths"].index)


def test_pca_weights_step() -> None:
    r = CompositeIndex.from_yaml(ASEM / "asem.yaml").with_step_param("weight", method="pca").build()
    eff = r.effective_weights()
    assert eff[r.structure.indicators].sum() == pytest.approx(1.0)
    assert eff["Goods"] != pytest.approx(0.02)
    assert any("negative weights" in n for n in r.notes)


def test_ranks_are_scipys_rankdata_min_with_nan_omitted() -> None:
    """The ranks (numpy alone, so a report need not import scipy.stats) equal scipy's on ties, NaN, ±inf, -0.0."""
    from scipy.stats import rankdata

    from sandyq.analytics.composite import rank_ascending, rank_descending

    rng = np.random.default_rng(17)
    for _ in range(300):
        shape = tuple(int(n) for n in rng.integers(1, 7, size=rng.integers(1, 4)))
        a = rng.integers(0, 5, size=shape).astype(float)
        a[rng.random(shape) < 0.2] = NAN
        a[rng.random(shape) < 0.05] = np.inf
        a[rng.random(shape) < 0.05] = -0.0
        for axis in range(a.ndim):
            for rank, sign in ((rank_descending, -1), (rank_ascending, 1)):
                want = rankdata(sign * a, method="min", axis=axis, nan_policy="omit")
                assert np.array_equal(rank(a, axis=axis), want, equal_nan=True), (a, axis)
