"""The one rule for choosing a series' source, on planted cases: declared, fullest, newest, published, by id."""

from __future__ import annotations

import pandas as pd
import pytest

from sandyq.errors import SandyqError
from sandyq.store import DERIVED_SOURCE, SOURCE_GROUP, pick_source, rank_sources


def rows(source: str, years: range | list[int], geo: str = "KAZ", indicator: str = "x", **extra: object) -> list[dict]:
    return [
        {"indicator": indicator, "geo": geo, "dims": "", "source": source, "period": str(y), "value": float(y), **extra}
        for y in years
    ]


def frame(*parts: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([r for p in parts for r in p])


def order(f: pd.DataFrame, *prefer: object, by: tuple[str, ...] = SOURCE_GROUP) -> list[str]:
    return rank_sources(f, list(prefer), by=by)["source"].tolist()  # type: ignore[arg-type]


def test_two_sources_the_fullest_wins() -> None:
    f = frame(rows("wdi", range(2010, 2020)), rows("bns", range(2015, 2020)))
    assert order(f) == ["wdi", "bns"]
    ranking = rank_sources(f)
    assert ranking[["source", "n", "last", "preference", "rank"]].values.tolist() == [
        ["wdi", 10, 2019, 0, 0],
        ["bns", 5, 2019, 0, 1],
    ]


def test_a_declared_source_wins_even_when_shorter() -> None:
    f = frame(rows("wdi", range(2010, 2020)), rows("bns", [2019]))
    assert order(f, "bns") == ["bns", "wdi"]
    assert rank_sources(f, ["bns"])["preference"].tolist() == [0, 1]
    assert pick_source(f, ["bns"])["source"].unique().tolist() == ["bns"]


def test_declarations_are_tried_in_order() -> None:
    f = frame(rows("wdi", range(2010, 2020)), rows("bns", [2019]), rows("seed", [2018]))
    assert order(f, "seed", "bns")[0] == "seed"  # e.g. the printed figure's source before the indicator's own
    assert order(f, "gone", "bns")[0] == "bns"
    assert rank_sources(f, ["seed", "bns"])["preference"].tolist() == [0, 1, 2]


@pytest.mark.parametrize("declared", ["nobody", "", None])
def test_an_unknown_or_absent_declared_source_is_passed_over(declared: str | None) -> None:
    f = frame(rows("wdi", range(2010, 2020)), rows("bns", range(2015, 2020)))
    assert order(f, declared) == ["wdi", "bns"]
    assert pick_source(f, [declared])["source"].unique().tolist() == ["wdi"]


def test_declared_by_indicator_works_on_many_indicators_at_once() -> None:
    f = frame(
        rows("wdi", range(2010, 2020), indicator="a"),
        rows("bns", [2019], indicator="a"),
        rows("wdi", range(2010, 2020), indicator="b"),
        rows("bns", [2019], indicator="b"),
    )
    picked = pick_source(f, [{"a": "bns", "b": "itu"}])
    assert picked.groupby("indicator")["source"].unique().map(list).to_dict() == {"a": ["bns"], "b": ["wdi"]}
    with pytest.raises(SandyqError, match="by indicator"):
        rank_sources(f, [{"a": "bns"}], by=("geo", "dims"))


def test_same_length_the_newer_wins_but_length_comes_first() -> None:
    old_same = frame(rows("old", range(2005, 2010)), rows("new", range(2015, 2020)))
    assert order(old_same) == ["new", "old"]
    old_longer = frame(rows("old", range(2000, 2012)), rows("new", range(2015, 2020)))
    assert order(old_longer) == ["old", "new"]  # a source with only older years still wins on length


def test_ties_are_broken_by_id_whatever_the_row_order() -> None:
    f = frame(rows("zeta", range(2010, 2015)), rows("alpha", range(2010, 2015)), rows("mid", range(2010, 2015)))
    assert order(f) == ["alpha", "mid", "zeta"]
    shuffled = f.sample(frac=1, random_state=3)
    assert order(shuffled) == ["alpha", "mid", "zeta"]
    assert pick_source(shuffled)["source"].unique().tolist() == ["alpha"]


def test_published_figures_before_derived_ones_on_a_tie() -> None:
    f = frame(rows(DERIVED_SOURCE, range(2010, 2015)), rows("wdi", range(2010, 2015)))
    assert order(f) == ["wdi", DERIVED_SOURCE]  # although 'derived' < 'wdi' by id
    fuller = frame(rows(DERIVED_SOURCE, range(2010, 2016)), rows("wdi", range(2010, 2015)))
    assert order(fuller) == [DERIVED_SOURCE, "wdi"]


def test_vintages_of_one_figure_count_once() -> None:
    revised = rows("bns", [2018, 2019], vintage="2020-01-01") + rows("bns", [2018, 2019], vintage="2021-01-01")
    f = frame(revised, rows("wdi", [2017, 2018, 2019]))
    assert rank_sources(f).set_index("source")["n"].to_dict() == {"wdi": 3, "bns": 2}
    assert order(f) == ["wdi", "bns"]


def test_groups_choose_separately_or_together() -> None:
    f = frame(
        rows("bns", range(2010, 2020), geo="KZ-11"),
        rows("wdi", [2019], geo="KZ-11"),
        rows("wdi", range(2010, 2020), geo="KZ-15"),
        rows("wdi", range(2010, 2020), geo="KZ-19"),
    )
    per_place = pick_source(f)
    assert per_place.groupby("geo")["source"].first().to_dict() == {"KZ-11": "bns", "KZ-15": "wdi", "KZ-19": "wdi"}
    together = pick_source(f, by=("indicator", "dims"))
    assert together["source"].unique().tolist() == ["wdi"] and len(together) == 21
    assert pick_source(f, by=())["source"].unique().tolist() == ["wdi"]


def test_rows_keep_their_order_and_index() -> None:
    f = frame(rows("wdi", [2019, 2018]), rows("bns", [2020])).set_index(pd.Index([7, 5, 3]))
    picked = pick_source(f)
    assert picked.index.tolist() == [7, 5] and picked["period"].tolist() == ["2019", "2018"]


def test_annual_tables_with_year_and_no_period() -> None:
    annual = pd.DataFrame({"indicator": "x", "geo": "KAZ", "source": ["a", "a", "b"], "year": [2019, 2020, 2021]})
    assert rank_sources(annual, by=("indicator", "geo"))[["source", "n", "last"]].values.tolist() == [
        ["a", 2, 2020],
        ["b", 1, 2021],
    ]


def test_empty_and_malformed_frames() -> None:
    empty = pd.DataFrame(columns=["indicator", "geo", "dims", "source", "period", "value"])
    assert pick_source(empty, ["wdi"]).empty
    assert rank_sources(empty).columns.tolist() == [*SOURCE_GROUP, "source", "n", "last", "preference", "rank"]
    with pytest.raises(SandyqError, match="'source'"):
        rank_sources(pd.DataFrame({"indicator": ["x"], "geo": "KAZ", "dims": ""}))
