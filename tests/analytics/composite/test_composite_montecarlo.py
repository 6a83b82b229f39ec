"""The Monte Carlo in memory-bounded blocks: exact rank statistics, any number of runs, Ctrl-C keeps the runs done."""

from __future__ import annotations

import signal
import tracemalloc
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from sandyq.analytics.composite import CompositeIndex, run_sensitivity, run_uncertainty
from sandyq.analytics.composite._montecarlo import MonteCarlo
from sandyq.analytics.composite._rankhistogram import RankHistogram
from sandyq.analytics.composite._uncertainty import choices_from_unit, make_engine
from sandyq.errors import DataError, SandyqError, UsageError


@pytest.fixture(autouse=True)
def _ctrl_c_reaches_python() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt here, as in a terminal, even if pytest was started with SIGINT ignored.

    A shell ignores SIGINT in what it starts in the background (``pytest &``) and Python then leaves it ignored:
    the Ctrl-C these tests press would be lost and a run of ten million draws would go on for minutes.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _ctrl_c_after(runs: int, times: int = 1) -> Callable[[int, int], None]:
    """An ``on_progress`` hook that presses Ctrl-C (SIGINT to this process) once ``runs`` runs are done."""

    def hook(done: int, total: int) -> None:
        if done >= runs:
            for _ in range(times):
                signal.raise_signal(signal.SIGINT)

    return hook


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rank_histogram_equals_numpy_on_the_full_array(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ranks = rng.integers(1, 8, size=(501, 7)).astype(float)
    ranks[rng.random(ranks.shape) < 0.1] = np.nan
    ranks[:, 6] = np.nan  # a unit never ranked
    ranks[:40] = np.nan  # failed runs
    h = RankHistogram(7)
    for part in np.array_split(ranks, 5):  # streamed in blocks
        h.add(part)
    has = slice(0, 6)
    qs = (0.05, 0.5, 0.95, 0.0, 1.0, 0.33)
    expected = {
        "mean": np.nanmean(ranks[:, has], axis=0),
        "median": np.nanmedian(ranks[:, has], axis=0),
        **{f"q{q}": np.nanquantile(ranks[:, has], q, axis=0) for q in qs},
    }
    got = {"mean": h.mean(), "median": h.quantile(0.5), **{f"q{q}": h.quantile(q) for q in qs}}
    for name, values in expected.items():
        assert np.array_equal(got[name][has], values), name  # bit for bit, not approximately
        assert np.isnan(got[name][6])
    assert h.count().tolist() == (~np.isnan(ranks)).sum(axis=0).tolist()


def test_rank_histogram_weights_stand_for_repeated_rows() -> None:
    rows = np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0]])
    weighted, repeated = RankHistogram(3), RankHistogram(3)
    weighted.add(rows, [3, 1])
    repeated.add(np.repeat(rows, [3, 1], axis=0))
    assert np.array_equal(weighted.counts, repeated.counts)
    with pytest.raises(DataError, match="whole numbers from 1 to 3"):
        weighted.add(np.array([[0.5, 1.0, 2.0]]))
    with pytest.raises(DataError, match="rows × 3 units"):
        weighted.add(np.array([[1.0, 2.0]]))


def test_blocks_do_not_change_the_result(index: CompositeIndex) -> None:
    # memory_mb=1: blocks of 1,024 runs, slices of 64 rows, built alternatives forgotten and rebuilt
    whole = run_uncertainty(index, runs=1200, seed=4)
    blocked = run_uncertainty(index, runs=1200, seed=4, memory_mb=1, keep_runs=True)
    assert blocked.rank_stats().equals(whole.rank_stats())
    assert np.array_equal(blocked.ranks, whole.ranks) and blocked.choices.equals(whole.choices)
    assert np.array_equal(blocked.mean_abs_rank_change(), whole.mean_abs_rank_change(), equal_nan=True)


def test_statistics_without_per_run_results(index: CompositeIndex) -> None:
    kept = run_uncertainty(index, runs=3000, seed=5, keep_runs=True)
    stats_only = run_uncertainty(index, runs=3000, seed=5, keep_runs=False)
    assert stats_only.rank_stats().equals(kept.rank_stats())
    assert (stats_only.runs, stats_only.failed, stats_only.interrupted) == (3000, 0, False)
    with pytest.raises(UsageError, match="per-run results of these 3,000 runs were not kept"):
        _ = stats_only.ranks
    with pytest.raises(UsageError, match="more than the memory budget of 1 MiB"):
        run_uncertainty(index, runs=100_000, keep_runs=True, memory_mb=1)


def test_every_way_of_finding_distinct_runs_agrees(index: CompositeIndex) -> None:
    ua = index.spec.uncertainty
    assert ua is not None
    engine, nominal = make_engine(index, ua)
    n_choices = [f.n_choices for f in ua.factors]
    choices = choices_from_unit(np.random.default_rng(9).random((3000, len(n_choices))), n_choices)
    nominal_ranks = np.arange(1.0, len(nominal.units) + 1)
    counts = []
    for how in ("dense codes", "sorted codes", "rows"):
        mc = MonteCarlo(engine, nominal_ranks, n_choices, memory_mb=4)
        if how == "sorted codes":
            mc.combos = 1 << 40  # as if there were too many possible runs to count them densely
        if how == "rows":
            mc.strides = None  # as if the codes of runs overflowed 64 bits
        tally = mc.run(mc.blocks(choices), len(choices))
        assert tally.runs == 3000
        counts.append(tally.histogram.counts)
    assert np.array_equal(counts[0], counts[1]) and np.array_equal(counts[0], counts[2])


def test_a_billion_runs_stay_within_the_budget(index: CompositeIndex) -> None:
    # the runs that used to allocate 29.8 GiB at once: stopped after two blocks, memory stays within the budget
    index.build()
    tracemalloc.start()
    try:
        res = run_uncertainty(
            index, runs=1_000_000_000, seed=1, interruptible=True, on_progress=_ctrl_c_after(6000), memory_mb=8
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert res.interrupted and res.requested == 1_000_000_000 and 6000 <= res.runs < 20_000
    assert peak < 8 * (1 << 20), f"peak {peak / (1 << 20):.1f} MiB"


def test_ctrl_c_keeps_the_runs_done_which_are_the_first_runs_of_the_analysis(index: CompositeIndex) -> None:
    stopped = run_uncertainty(
        index, runs=10**7, seed=2, memory_mb=1, interruptible=True, on_progress=_ctrl_c_after(2048)
    )
    assert stopped.interrupted and stopped.runs == 2048
    assert stopped.rank_stats().equals(run_uncertainty(index, runs=2048, seed=2).rank_stats())
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the handler is put back


def test_ctrl_c_twice_or_without_interruptible_aborts(index: CompositeIndex) -> None:
    with pytest.raises(KeyboardInterrupt):
        run_uncertainty(index, runs=10**7, memory_mb=1, interruptible=True, on_progress=_ctrl_c_after(1024, times=2))
    with pytest.raises(KeyboardInterrupt):
        run_uncertainty(index, runs=10**7, memory_mb=1, on_progress=_ctrl_c_after(1024))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("runs", [0, 2, -5])
def test_too_few_runs_are_refused(index: CompositeIndex, runs: int) -> None:
    with pytest.raises(SandyqError, match=f"at least 3 runs are needed, not {runs}"):
        run_uncertainty(index, runs=runs)


def test_a_sobol_design_over_the_budget_is_refused_before_any_work(index: CompositeIndex) -> None:
    with pytest.raises(UsageError) as info:
        run_sensitivity(index, base_samples=2**24, memory_mb=64)
    assert "needs about" in info.value.summary and "memory budget of 64 MiB" in info.value.summary
    assert "use at most" in str(info.value)
