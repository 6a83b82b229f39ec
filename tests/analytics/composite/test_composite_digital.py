"""The Digital Development Index and the regional index of Kazakhstan, on the real default store."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

import sandyq
from sandyq.analytics.composite import (
    CompositeIndex,
    build_command,
    publish_default_indices,
    read_spec,
    read_store_data,
    spec_from_dict,
)
from sandyq.analytics.composite._digital import (
    CAVEAT,
    ITU_PEERS,
    digital_index,
    itu_idi_2023,
    open_index,
    resolve_spec,
    track_rank_target,
)
from sandyq.analytics.composite._panel import PanelResult, build_panel
from sandyq.errors import InvalidValueError, NotFoundError, SandyqError

YEARS = list(range(2000, 2025))


@pytest.fixture(scope="module")
def ddi(default_db: Path) -> PanelResult:
    with sandyq.connect(default_db, read_only=True) as m:
        return digital_index(m)


@pytest.fixture(scope="module")
def kzdi(default_db: Path) -> PanelResult:
    with sandyq.connect(default_db, read_only=True) as m:
        return digital_index(m, "kz-regions")


# ---- the country index --------------------------------------------------------------------------------------------


def test_every_year_is_computed_with_enough_economies(ddi: PanelResult) -> None:
    ranked = ddi.table.groupby("year")["rank"].count()
    assert ranked.index.tolist() == YEARS
    assert (ranked.loc[2010:2022] >= 150).all()
    assert (ranked > 0).all()
    assert ddi.runs == 1000 and ddi.failed_runs == 0


def test_kazakhstan_is_ranked_every_year_inside_its_interval(ddi: PanelResult) -> None:
    kaz = ddi.unit("KAZ")
    kaz = kaz[kaz["rank"].notna()]
    assert set(range(2006, 2025)) <= set(kaz.index)
    assert (kaz["rank_p05"] <= kaz["rank"]).all() and (kaz["rank"] <= kaz["rank_p95"]).all()
    assert (kaz["rank_p05"] < kaz["rank_p95"]).any()  # the analysis does move ranks


def test_weights_are_40_40_20(default_monitor: sandyq.Monitor) -> None:
    index, _ = open_index("digital-development", default_monitor)
    eff = index.structure.effective_weights()
    assert eff[["Access", "Use", "Skills"]].tolist() == pytest.approx([0.4, 0.4, 0.2])
    assert eff[["FixedTel", "Mobile", "Servers"]].tolist() == pytest.approx([0.4 / 3] * 3)
    assert eff[["Internet", "FixedBB", "Tertiary", "HumanCapital"]].tolist() == pytest.approx([0.2, 0.2, 0.1, 0.1])


def test_itu_reference_values_are_the_goalposts(default_monitor: sandyq.Monitor) -> None:
    index, _ = open_index("digital-development", default_monitor)
    posts = {c: index.structure.node(c).goalposts for c in index.structure.indicators}
    # ITU MIS 2011, Annex box 1.2: fixed telephone 60, mobile 170, fixed broadband 60, shares 100 %.
    assert posts["FixedTel"] == (0, 60) and posts["Mobile"] == (0, 170) and posts["FixedBB"] == (0, 60)
    assert posts["Internet"] == posts["Tertiary"] == (0, 100)


def test_same_raw_values_give_the_same_score_in_any_year(default_monitor: sandyq.Monitor) -> None:
    """Goalposts are fixed: Kazakhstan's 2018 data put into 2023 score exactly what they scored in 2018."""
    index, _ = open_index("digital-development", default_monitor)
    f = index.frame
    assert f.periods is not None
    kaz = np.flatnonzero(f.units == "KAZ")
    r2018, r2023 = (kaz[f.periods[kaz] == y][0] for y in (2018, 2023))
    assert not np.isnan(f.values[r2018]).any()  # all seven published, nothing imputed
    values = f.values.copy()
    values[r2023] = values[r2018]
    moved = replace(index, frame=replace(f, values=values))
    before = index.build(2018).scores()["DDI"]["KAZ"]
    assert moved.build(2023).scores()["DDI"]["KAZ"] == pytest.approx(before, abs=1e-9)
    assert moved.build(2023).scores()["DDI"]["KAZ"] != pytest.approx(index.build(2023).scores()["DDI"]["KAZ"])


def test_normalised_value_is_value_over_reference_capped(default_monitor: sandyq.Monitor) -> None:
    index, _ = open_index("digital-development", default_monitor)
    r = index.build(2016)
    imputed, normalised = r.dataset("Imputed"), r.dataset("Normalised")
    kaz_net = imputed.loc["KAZ", "Internet"]
    assert normalised.loc["KAZ", "Internet"] == pytest.approx(kaz_net)  # reference 100 %
    assert normalised.loc["KAZ", "Mobile"] == pytest.approx(min(imputed.loc["KAZ", "Mobile"] / 170, 1) * 100)
    assert normalised.max().max() <= 100 and normalised.min().min() >= 0


def test_itu_2017_leaders_are_near_the_top(ddi: PanelResult) -> None:
    """ITU's IDI 2017 was led by Iceland (8.98) and Korea (8.85); both are in our top 10 of 2017."""
    top10 = ddi.year(2017).head(10).index
    assert "ISL" in top10 and "KOR" in top10
    assert "KAZ" not in top10


def test_rank_correlation_with_itu_idi_2023(ddi: PanelResult) -> None:
    idi = itu_idi_2023()
    ours = ddi.year(2023)["DDI"]
    common = idi.index.intersection(ours.index)
    assert len(common) >= 160
    rho = spearmanr(idi.loc[common, "score"], ours.loc[common]).statistic
    assert rho > 0.85


def test_itu_idi_2023_file_is_complete() -> None:
    idi = itu_idi_2023()
    assert len(idi) == 169 and idi.index.is_unique
    assert idi.loc["KOR", "economy"] == "Korea (Rep. of)"
    # The file's own check: IDI = mean of the two pillars (±0.05 rounding).
    assert ((idi["universal"] + idi["meaningful"]) / 2 - idi["score"]).abs().max() <= 0.05 + 1e-9


def test_peers_rank_among_itu_economies(default_monitor: sandyq.Monitor, ddi: PanelResult) -> None:
    peers = digital_index(default_monitor, years=[2022], runs=50, peers=ITU_PEERS)
    assert peers.table["ranked"].max() == 169
    kaz = float(peers.unit("KAZ").loc[2022, "rank"])
    assert kaz <= float(ddi.unit("KAZ").loc[2022, "rank"])
    assert peers.table["year"].unique().tolist() == [2022]


def test_rank_target_tracking_states_the_substitution(default_monitor: sandyq.Monitor, ddi: PanelResult) -> None:
    tr = track_rank_target(ddi, default_monitor)
    assert tr.table["year"].tolist() == [2022, 2025, 2050]
    assert tr.table["target"].tolist() == [30, 25, 15]
    row = tr.table.iloc[0]
    assert row["status"] in {"met", "not met", "uncertain"} and row["ranked"] >= 150
    assert tr.table.iloc[1]["status"] == tr.table.iloc[2]["status"] == "no data"
    assert int(tr.latest["year"]) == 2024
    text = tr.text()
    assert "not ITU's IDI ranks" in text and CAVEAT in text and "52" in text


def test_years_outside_the_index_are_refused(default_monitor: sandyq.Monitor) -> None:
    with pytest.raises(NotFoundError, match="1999"):
        digital_index(default_monitor, years=[1999, 2000], runs=0)


# ---- the regional index -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "regions", "ranked"),
    [(2016, 16, 15), (2017, 16, 15), (2018, 17, 17), (2020, 17, 17), (2021, 17, 17), (2022, 20, 20), (2023, 20, 20)],
)
def test_regions_existing_each_year(kzdi: PanelResult, year: int, regions: int, ranked: int) -> None:
    t = kzdi.table[kzdi.table["year"] == year]
    assert len(t) == regions
    assert int(t["rank"].count()) == ranked


def test_boundary_changes_absent_not_zero(kzdi: PanelResult) -> None:
    t = kzdi.table
    in_2017 = set(t.loc[t["year"] == 2017, "geo"])
    assert "KZ-YUZ" in in_2017 and not {"KZ-61", "KZ-79", "KZ-10", "KZ-33", "KZ-62"} & in_2017
    # South Kazakhstan: only Internet use is published for 2017 (the other two are back-cast to 2018 boundaries).
    yuz = t[(t["geo"] == "KZ-YUZ") & (t["year"] == 2017)].iloc[0]
    assert yuz["available"] == 1 and np.isnan(yuz["rank"]) and np.isnan(yuz["KZDI"])
    assert "KZ-YUZ" not in set(t.loc[t["year"] == 2018, "geo"])
    assert {"KZ-10", "KZ-33", "KZ-62"} <= set(t.loc[t["year"] == 2022, "geo"])
    assert (t["KZDI"].dropna() > 0).all()


def test_regional_scores_are_the_published_shares(default_monitor: sandyq.Monitor, kzdi: PanelResult) -> None:
    """Astana 2019: (0.4·mobile + 0.4·Internet + 0.2·literacy) of the published shares."""
    obs = default_monitor.observations(["5-b-1", "17-8-1", "4-4-1-1"], "KZ-71", start=2019, end=2019)
    v = obs.set_index("indicator")["value"]
    expected = 0.4 * v["5-b-1"] + 0.4 * v["17-8-1"] + 0.2 * v["4-4-1-1"]
    assert float(kzdi.unit("KZ-71").loc[2019, "KZDI"]) == pytest.approx(expected)


# ---- the spec's data section, names, errors ----------------------------------------------------------------------


def test_bundled_names_resolve_and_unknown_names_are_explained(tmp_path: Path) -> None:
    assert resolve_spec("digital-development").name == "digital-development.yaml"
    own = tmp_path / "mine.yaml"
    own.write_text("x")
    assert resolve_spec(own) == own
    with pytest.raises(NotFoundError) as err:
        resolve_spec("no-such-index")
    assert "digital-development" in err.value.problems[0].message


def test_store_section_is_validated() -> None:
    base = {"structure": {"indicators": [{"code": "a"}]}, "steps": [{"aggregate": {}}]}
    with pytest.raises(SandyqError) as err:
        spec_from_dict({**base, "data": {"file": "d.csv", "store": {"indicators": {"a": "X"}, "years": [2000, 2001]}}})
    assert err.value.problems[0].path == "data.file"
    with pytest.raises(SandyqError) as err:
        spec_from_dict({**base, "data": {"store": {"indicators": {"a": "X"}, "years": [2010, 2001]}}})
    assert err.value.problems[0].path == "data.store"
    with pytest.raises(SandyqError) as err:
        spec_from_dict(
            {
                **base,
                "data": {
                    "store": {"indicators": {"a": {"indicator": "X", "transform": "sqrt"}}, "years": [2000, 2001]}
                },
            }
        )
    assert str(err.value.problems[0].path).startswith("data.store.indicators.a.transform")


def test_store_data_must_match_the_structure(default_monitor: sandyq.Monitor) -> None:
    spec = spec_from_dict(
        {
            "data": {"store": {"indicators": {"a": "IT.NET.USER.ZS", "b": "NO.SUCH.ID"}, "years": [2010, 2012]}},
            "structure": {
                "indicators": [{"code": "a", "parent": "I"}, {"code": "c", "parent": "I"}],
                "aggregates": [{"code": "I"}],
            },
            "steps": [{"aggregate": {}}],
        },
        source="bad.yaml",
    )
    with pytest.raises(SandyqError) as err:
        read_store_data(spec, default_monitor)
    messages = " ".join(p.message for p in err.value.problems)
    assert "'c'" in messages and "'b'" in messages and "NO.SUCH.ID" in messages


def test_cli_build_reads_the_store(default_db: Path) -> None:
    with sandyq.connect(default_db, read_only=True) as m:
        text = build_command(resolve_spec("digital-development"), year=2017, reader=m)
    assert text.startswith("sandyq Digital Development Index (DDI) — 2017")
    assert "Kazakhstan" in text


def test_a_store_spec_needs_the_store_it_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a reader a store-backed index is refused; no store is opened behind the caller's back."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidValueError, match="reads its data from the store"):
        CompositeIndex.from_yaml(resolve_spec("kz-regions"))
    with pytest.raises(InvalidValueError, match="reads its data from the store"):
        build_command(resolve_spec("digital-development"))
    assert list(tmp_path.iterdir()) == []


def test_panel_of_a_csv_spec_is_refused_without_time() -> None:
    spec = read_spec(Path(__file__).resolve().parents[3] / "examples" / "coinr-asem" / "asem.yaml")
    index = CompositeIndex.from_spec(spec)
    index = replace(index, frame=replace(index.frame, periods=None))
    with pytest.raises(SandyqError, match="time"):
        build_panel(index, runs=0)


# ---- the default content in the store ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def indexed_db(default_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the default store after ``publish_default_indices`` (which adds nothing if ``init`` already did)."""
    db = tmp_path_factory.mktemp("indexed") / "copy.duckdb"
    shutil.copy(default_db, db)
    with sandyq.connect(db) as m:
        publish_default_indices(m)
    return db


def test_default_indices_in_the_store_and_idempotent(indexed_db: Path) -> None:
    with sandyq.connect(indexed_db) as m:
        again = m.publish()  # the same stage, as a user runs it
        assert [(r.added, r.revised) for r in again] == [(0, 0), (0, 0)]
        assert all(r.unchanged > 0 for r in again)
        inputs = m.observations(["IT.NET.USER.ZS", "EGDI.HCI", "SE.TER.ENRR"])
        ddi = m.observations("sandyq.DDI")
        assert ddi["vintage"].max() == inputs["vintage"].max()
        assert set(ddi["source"]) == {"sandyq"} and ddi["year"].min() == 2000 and ddi["year"].max() == 2024
        regional_inputs = m.observations(["17-8-1", "5-b-1", "4-4-1-1"])
        assert m.observations("sandyq.KZDI")["vintage"].max() == regional_inputs["vintage"].max()


def test_stored_values_carry_ranks_intervals_and_notes(indexed_db: Path) -> None:
    with sandyq.connect(indexed_db, read_only=True) as m:
        kaz = m.observations(
            ["sandyq.DDI.RANK", "sandyq.DDI.RANK.P05", "sandyq.DDI.RANK.P95"], "KAZ", start=2022, end=2022
        ).set_index("indicator")["value"]
        assert kaz["sandyq.DDI.RANK.P05"] <= kaz["sandyq.DDI.RANK"] <= kaz["sandyq.DDI.RANK.P95"]
        note = m.observations("sandyq.DDI", "KAZ", start=2022, end=2022)["note"].iloc[0]
        assert note.startswith(f"Rank {kaz['sandyq.DDI.RANK']:g} of ")
        regions = m.observations("sandyq.KZDI", start=2022, end=2022)
        assert len(regions) == 20
        note = regions.set_index("geo").loc["KZ-19", "note"]
        assert "Jetisu" in note and "Not comparable with 2021 and earlier" in note
        sources = m.store.sources().set_index("id")
        assert "bundled open data" in sources.loc["sandyq", "publisher"]
        meta = m.framework.indicator("sandyq.DDI")
        assert meta.unit == "INDEX_0_100" and meta.definition is not None
        assert "not ITU's ICT Development Index" in meta.definition.en


def test_a_method_change_is_a_later_vintage_not_a_conflict(indexed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(indexed_db, db)
    with sandyq.connect(db) as m:
        vintage = m.observations("sandyq.DDI")["vintage"].max()
        changed = publish_default_indices(m, runs=20)  # other rank intervals from the same inputs
        assert changed[0].revised > 0 and changed[0].vintage > vintage
        again = publish_default_indices(m, runs=20)
        assert [(r.added, r.revised) for r in again] == [(0, 0), (0, 0)]
        now = m.observations("sandyq.DDI.RANK.P95", "KAZ").set_index("year")["value"]
        fresh = digital_index(m, runs=20).unit("KAZ")["rank_p95"]
        assert now.to_dict() == fresh.dropna().to_dict()
