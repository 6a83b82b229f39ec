"""Derived indicators computed on read from their formula, checked on seed 000, Table 4."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sandyq.analytics.statistics import DERIVED, derive, derive_all, matches_printed
from sandyq.errors import SandyqError
from sandyq.framework import Formula, Indicator, Text

# Seed 000, Table 4: population and Internet users 2010–2015, and the printed users per 100 people.
YEARS = [2010, 2011, 2012, 2013, 2014, 2015]
POPULATION = [16310624, 16554305, 16821455, 17099546, 17371621, 17625226]
USERS = [5154157, 8376478, 8968471, 9233755, 9535283, 9784837]
PRINTED_PER_100 = [32, 51, 53, 54, 55, 56]

TEXT = Text(kk="x", ru="x", en="x")
PER_100 = Indicator(
    id="kz.internet_users_per100",
    name=Text(kk="Интернет пайдаланушылары", ru="Пользователи Интернета на 100 человек", en="Internet users per 100"),
    unit="PER_100",
    source="seed-000",
    formula=Formula(numerator="kz.internet_users", denominator="kz.population", factor=100),
)


def _obs(indicator: str, values: list[int], vintage: str, source: str = "seed-000", dims: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": indicator,
            "geo": "KAZ",
            "period": [str(y) for y in YEARS[: len(values)]],
            "year": YEARS[: len(values)],
            "dims": dims,
            "value": [float(v) for v in values],
            "unit": "PERSONS",
            "status": "",
            "source": source,
            "vintage": pd.Timestamp(vintage),
            "note": "",
        }
    )


def _table4() -> pd.DataFrame:
    return pd.concat(
        [_obs("kz.internet_users", USERS, "2019-06-30"), _obs("kz.population", POPULATION, "2020-01-15", "bns")],
        ignore_index=True,
    )


def test_per_100_from_table4_matches_printed() -> None:
    out = derive(PER_100, _table4())
    assert out["period"].tolist() == [str(y) for y in YEARS]
    assert np.asarray(matches_printed(out["value"].to_numpy(), PRINTED_PER_100, 0)).all()


def test_derived_rows_are_flagged_and_carry_vintages() -> None:
    out = derive(PER_100, _table4())
    assert set(out["status"]) == {DERIVED}
    assert set(out["source"]) == {DERIVED}
    assert set(out["unit"]) == {"PER_100"}
    assert set(out["indicator"]) == {PER_100.id}
    assert (out["vintage"] == pd.Timestamp("2020-01-15")).all()  # the later of the two inputs
    assert out.loc[0, "note"] == ("= kz.internet_users [seed-000, 2019-06-30] / kz.population [bns, 2020-01-15] × 100")
    assert list(out.columns) == [
        "indicator",
        "geo",
        "period",
        "year",
        "dims",
        "value",
        "unit",
        "status",
        "source",
        "vintage",
        "note",
    ]


def test_only_where_both_inputs_exist() -> None:
    obs = pd.concat(
        [_obs("kz.internet_users", USERS, "2019-06-30"), _obs("kz.population", POPULATION[:3], "2020-01-15")],
        ignore_index=True,
    )
    assert derive(PER_100, obs)["year"].tolist() == [2010, 2011, 2012]


def test_latest_vintage_of_an_input_is_used() -> None:
    revised = _obs("kz.population", [p * 2 for p in POPULATION], "2021-01-01")
    obs = pd.concat([_table4(), revised], ignore_index=True)
    out = derive(PER_100, obs)
    assert out.loc[0, "value"] == pytest.approx(USERS[0] / POPULATION[0] * 50)
    assert (out["vintage"] == pd.Timestamp("2021-01-01")).all()


def test_zero_denominator_is_skipped_or_explained() -> None:
    obs = _table4()
    obs.loc[(obs["indicator"] == "kz.population") & (obs["year"] == 2012), "value"] = 0.0
    assert 2012 not in derive(PER_100, obs)["year"].tolist()
    kept = derive(PER_100, obs, keep_uncomputable=True).set_index("year")
    assert pd.isna(kept.loc[2012, "value"])
    assert kept.loc[2012, "note"].startswith("not computable: the denominator is 0")


def test_breakdowns_against_the_total_denominator() -> None:
    obs = pd.concat(
        [
            _obs("kz.internet_users", [2600000], "2019-06-30", dims="sex=F"),
            _obs("kz.internet_users", [2554157], "2019-06-30", dims="sex=M"),
            _obs("kz.population", [POPULATION[0]], "2020-01-15"),
        ],
        ignore_index=True,
    )
    assert derive(PER_100, obs).empty  # dims must match by default
    out = derive(PER_100, obs, denominator_dims="")
    assert out["dims"].tolist() == ["sex=F", "sex=M"]
    assert out["value"].sum() == pytest.approx(USERS[0] / POPULATION[0] * 100)


def test_indicator_without_formula_is_an_error() -> None:
    plain = Indicator(id="kz.population", name=TEXT, unit="PERSONS", source="bns")
    with pytest.raises(SandyqError, match="no formula"):
        derive(plain, _table4())


def test_missing_columns_are_an_error() -> None:
    with pytest.raises(SandyqError, match="missing column"):
        derive(PER_100, _table4().drop(columns="dims"))


def test_derive_all_in_dependency_order() -> None:
    per_1 = Indicator(
        id="kz.internet_users_share",
        name=TEXT,
        unit="INDEX_0_1",
        source="seed-000",
        formula=Formula(numerator=PER_100.id, denominator="kz.hundred"),
    )
    hundred = _obs("kz.hundred", [100] * len(YEARS), "2018-01-01")
    out = derive_all([per_1, PER_100], pd.concat([_table4(), hundred], ignore_index=True))
    assert out["indicator"].unique().tolist() == [PER_100.id, per_1.id]
    share = out[out["indicator"] == per_1.id]
    assert share["value"].iloc[0] == pytest.approx(USERS[0] / POPULATION[0])
    assert "kz.internet_users_per100 [derived, 2020-01-15]" in share["note"].iloc[0]


def test_derive_all_refuses_cycles() -> None:
    a = Indicator(id="a", name=TEXT, unit="NUMBER", source="s", formula=Formula(numerator="b", denominator="x"))
    b = Indicator(id="b", name=TEXT, unit="NUMBER", source="s", formula=Formula(numerator="a", denominator="x"))
    with pytest.raises(SandyqError, match="cycle"):
        derive_all([a, b], _table4())
