"""``evaluate`` on the default store: Internet use in Kazakhstan against synthetic peers, and a region."""

from __future__ import annotations

import pytest

import sandyq
from sandyq.errors import DataError, NotFoundError, UsageError


def test_kazakhstan_internet_use_against_every_country(default_monitor: sandyq.Monitor) -> None:
    ev = default_monitor.evaluate("IT.NET.USER.ZS", "KAZ", 2018)
    assert ev.method == "sdid" and ev.treated == "KAZ"
    kaz = default_monitor.observations("IT.NET.USER.ZS", "KAZ")
    by_year = dict(zip(kaz["year"], kaz["value"], strict=True))
    assert ev.observed == [by_year[p] for p in ev.periods]  # the store's figures, not a transformation
    assert ev.periods[0] <= 2010 and 2018 in ev.periods and ev.periods[-1] < 2024  # 2024: too few donors yet
    assert (
        len(ev.donors) + len(ev.dropped)
        == len(
            {*default_monitor.observations("IT.NET.USER.ZS")["geo"]}
            & {c.code for c in default_monitor.framework.geography.countries()}
        )
        - 1
    )
    assert len(ev.placebo) == len(ev.donors) > 100
    assert sum(ev.weights.values()) == pytest.approx(1.0)
    assert ev.p_value is not None and 1 / (len(ev.donors) + 1) <= ev.p_value <= 1
    assert ev.se is not None and ev.se > 0
    assert ev.effect == pytest.approx(sum(ev.gap[ev.periods.index(2018) :]) / len(ev.periods[ev.periods.index(2018) :]))
    texts = [c.to("ru") for c in ev.caveats]
    assert any("рандомизированный" in t for t in texts)
    assert str(len(ev.dropped)) in ev.caveats[2]


def test_peer_group_donors_and_too_few(default_monitor: sandyq.Monitor) -> None:
    ev = default_monitor.evaluate("IT.NET.USER.ZS", "KAZ", 2018, donors="umc", method="sc")
    assert set(ev.donors) <= set(sandyq.analytics.evaluation.peer_group_members()["umc"]) - {"KAZ"}
    with pytest.raises(DataError, match="donor"):
        default_monitor.evaluate("IT.NET.USER.ZS", "KAZ", 2018, donors="KGZ")


def test_a_region_against_the_other_regions(default_monitor: sandyq.Monitor) -> None:
    ev = default_monitor.evaluate("17-8-1", "KZ-75", 2018, method="sc")
    assert all(d.startswith("KZ-") for d in ev.donors) and "KZ-75" not in ev.donors
    assert ev.verdict.to("kk") != str(ev.verdict)


def test_refusals_name_the_problem(default_monitor: sandyq.Monitor) -> None:
    with pytest.raises(NotFoundError):
        default_monitor.evaluate("IT.NET.USER.ZS", "XXX", 2018)
    with pytest.raises(UsageError):
        default_monitor.evaluate("IT.NET.USER.ZS", "WLD", 2018)
    with pytest.raises(NotFoundError, match="peer group"):
        default_monitor.evaluate("IT.NET.USER.ZS", "KAZ", 2018, donors="nowhere")
