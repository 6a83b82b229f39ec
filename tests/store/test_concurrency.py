"""The workflow under concurrency on the real PostgreSQL server: 20 owners × 50 submissions, decided in a race.

Twenty owners (each owning one real indicator of the framework) submit 50 small submissions each (1–3 figures, a
seeded plan) from 20 threads in two processes, each thread on a connection of its own.  Then two reviewers, one in
each of two more processes (with two threads, so two connections, each), go through every submission in the
same order, so that both try to decide each one at about the same moment: usually the same decision, sometimes
different ones (one approves, the other rejects).  PostgreSQL alone orders them — no lock of Python's is shared
between the processes.  Afterwards: every submission was decided by exactly one reviewer and the other got a
conflict (409), every approved figure is published exactly once as a vintage of its own, every rejected or
returned one is absent, and the audit trail has one submission, one decision and (if approved) one publication
event for each.
"""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pandas as pd

from sandyq.errors import ConflictError
from sandyq.framework import Framework
from sandyq.store import Store, accounts
from sandyq.store import submissions as records

OWNERS = 20
EACH = 50
SEED = 16
#: The chance that the two racing reviewers want different decisions for one submission.
DISAGREE = 0.3

Plan = list[tuple[int, int, list[dict[str, Any]]]]


def _plan(framework: Framework) -> tuple[list[str], Plan, dict[tuple[int, int], tuple[str, str]]]:
    """The owners' indicators, every submission (owner, number, rows) and the decisions of the two reviewers."""
    rng = random.Random(SEED)
    chosen = [i for i in sorted(framework.indicators.values(), key=lambda i: i.id) if i.source][:OWNERS]
    plan: Plan = []
    decisions = {}
    for o, ind in enumerate(chosen):
        for k in range(EACH):
            # Figures nobody published yet, distinct across the whole plan: years 1900-1949, by disaggregation.
            dims = ["", "SEX=F", "SEX=M"][: rng.randint(1, 3)]
            rows = [
                {"indicator": ind.id, "geo": "KAZ", "period": str(1900 + k), "dims": d, "source": ind.source,
                 "value": round(rng.uniform(0, 100), 3), "unit": ind.unit, "status": None, "note": None}
                for d in dims
            ]  # fmt: skip
            plan.append((o, k, rows))
            first = rng.choice(["approve", "reject", "return"])
            other = rng.choice(["approve", "reject", "return"]) if rng.random() < DISAGREE else first
            decisions[(o, k)] = (first, other)
    return [i.id for i in chosen], plan, decisions


def _submit_all(url: str, plan: Plan) -> dict[tuple[int, int], str]:
    """Each owner's submissions from a thread of its own, each thread on its own connection (run in a process)."""
    by_owner: dict[int, Plan] = {}
    for item in plan:
        by_owner.setdefault(item[0], []).append(item)

    def owner(items: Plan) -> dict[tuple[int, int], str]:
        made = {}
        with Store(url) as s:
            account, _ = accounts.account_named(s, f"owner{items[0][0]}")
            for o, k, rows in items:
                frame = pd.DataFrame(rows)
                made[(o, k)] = records.save_submission(
                    s, account.id, account.name, frame, file=f"o{o}-{k}.csv", format="form"
                )
        return made

    out: dict[tuple[int, int], str] = {}
    with ThreadPoolExecutor(len(by_owner)) as pool:
        for made in pool.map(owner, by_owner.values()):
            out |= made
    return out


def _review_all(url: str, reviewer: str, jobs: list[tuple[str, str]], threads: int = 2) -> list[tuple[Any, ...]]:
    """One reviewer deciding ``jobs`` (sid, decision) in order, from ``threads`` connections (run in a process).

    Each attempt is ``(sid, decision, outcome, start, end)``: outcome ``ok``, ``409`` or the error's text.
    """
    queue = iter(jobs)
    take = threading.Lock()
    out: list[tuple[Any, ...]] = []

    def work() -> None:
        with Store(url) as s:
            while True:
                with take:
                    job = next(queue, None)
                if job is None:
                    return
                sid, decision = job
                start = time.time()
                try:
                    if decision == "approve":
                        records.approve(s, sid, reviewer, "checked")
                    else:
                        records.decide(s, sid, decision, reviewer, f"{decision}: see the note")
                    outcome = "ok"
                except ConflictError:
                    outcome = "409"
                except Exception as exc:  # anything else is a failure of the store, reported by the test
                    outcome = f"{type(exc).__name__}: {exc}"
                out.append((sid, decision, outcome, start, time.time()))

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return out


def _without_waiting_for_the_disk(url: str) -> None:
    """Commits of this test's database do not wait for the disk (``synchronous_commit = off``, for every new
    connection): what is tested is how transactions interleave, which that leaves as it is, not durability."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" SET synchronous_commit = off')


def test_twenty_owners_fifty_submissions_decided_concurrently_are_published_exactly_once(
    pg_empty: str, framework: Framework
) -> None:
    started = time.monotonic()
    indicators, plan, decisions = _plan(framework)
    _without_waiting_for_the_disk(pg_empty)
    with Store(pg_empty) as s:
        s.register_sources(framework.sources.values())
        for o, ind in enumerate(indicators):
            accounts.add_account(s, f"owner{o}", "owner", "-", indicators=[ind])
        for name in ("rita", "remy"):
            accounts.add_account(s, name, "reviewer", "-")
        version = s.data_version()

    processes = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
    with processes as pool:
        halves = [[p for p in plan if p[0] % 2 == i] for i in (0, 1)]
        sids: dict[tuple[int, int], str] = {}
        for made in pool.map(_submit_all, [pg_empty] * 2, halves):
            sids |= made
    assert len(sids) == len(set(sids.values())) == OWNERS * EACH

    order = list(sids.items())
    random.Random(SEED + 1).shuffle(order)
    jobs = {r: [(sid, decisions[key][i]) for key, sid in order] for i, r in enumerate(("rita", "remy"))}
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        attempts = [a for done in pool.map(_review_all, [pg_empty] * 2, list(jobs), list(jobs.values())) for a in done]

    failures = [a for a in attempts if a[2] not in ("ok", "409")]
    assert not failures, failures[:3]
    by_sid: dict[str, list[tuple[Any, ...]]] = {}
    for a in attempts:
        by_sid.setdefault(a[0], []).append(a)
    assert all(sorted(x[2] for x in both) == ["409", "ok"] for both in by_sid.values())  # decided once, one 409
    won = {sid: next(x[1] for x in both if x[2] == "ok") for sid, both in by_sid.items()}
    raced = sum(1 for a, b in by_sid.values() if a[3] < b[4] and b[3] < a[4])
    assert raced >= len(by_sid) // 10, f"only {raced} decisions overlapped in time: the test did not race"

    with Store(pg_empty, read_only=True) as s:
        status = {r["id"]: r for r in records.submissions(s)}
        assert {sid: status[sid]["status"] for sid in won} == {sid: records.DECISIONS[d] for sid, d in won.items()}
        obs = s.con.execute(
            "SELECT indicator, geo, period, dims, source, value, load_id, vintage FROM observation"
        ).fetchall()
        trail = accounts.audit_events(s)
        loads = s.con.execute("SELECT id, file FROM load").fetchall()
        assert s.data_version() > version

    figures = Counter((r[0], r[1], r[2], r[3], r[4]) for r in obs)
    assert max(figures.values()) == 1  # no figure published twice
    published = {(r[0], r[1], r[2], r[3], r[4]): (r[5], r[6], r[7]) for r in obs}
    approved = {sid for sid, d in won.items() if d == "approve"}
    expected_rows = 0
    for (o, k), sid in sids.items():
        rows = plan[o * EACH + k][2]
        assert plan[o * EACH + k][:2] == (o, k)
        got = [published.get((r["indicator"], r["geo"], r["period"], r["dims"], r["source"])) for r in rows]
        if sid in approved:
            expected_rows += len(rows)
            assert [g[0] if g else None for g in got] == [r["value"] for r in rows], sid
            assert {g[1] for g in got if g} == {status[sid]["load_id"]}  # one load (one vintage) per approval
        else:
            assert got == [None] * len(rows), sid  # rejected and returned figures are absent
    assert len(obs) == expected_rows
    assert len({v[2] for v in published.values()}) == len(approved) == len(loads)  # a vintage per approval
    assert sorted(f for _, f in loads) == sorted(f"submission/{sid}/o{o}-{k}.csv" for (o, k), sid in sids.items()
                                                 if sid in approved)  # fmt: skip

    events = Counter((e["subject"], e["action"]) for e in trail)
    for sid, decision in won.items():
        assert events[(sid, "submission.create")] == 1
        assert events[(sid, f"submission.{decision}")] == 1
        assert sum(events[(sid, f"submission.{d}")] for d in records.DECISIONS) == 1
        assert events[(sid, "publication")] == (decision == "approve")
    assert [e["seq"] for e in trail] == list(range(len(trail), 0, -1))  # no event lost or numbered twice
    print(f"{len(attempts)} decisions, {raced} raced, {len(approved)} approved, {time.monotonic() - started:.1f} s")


def test_two_owners_revising_one_figure_approved_at_once_publish_it_once(pg_empty: str, framework: Framework) -> None:
    """Two owners revise the same published figure; two reviewers approve both at the same moment on connections
    of their own: one is published, the other is refused as stale (409) naming the figure, and nothing is lost."""
    ind = framework.indicator("17-8-1")
    row = {"indicator": ind.id, "geo": "KAZ", "period": "2023", "dims": "", "source": "kz-sdg", "unit": ind.unit,
           "status": None, "note": None}  # fmt: skip
    with Store(pg_empty) as s:
        s.register_sources(framework.sources.values())
        s.load_frame(pd.DataFrame([row | {"value": 94.7}]), file="sdg.csv", format="tidy", vintage="2024-10-24")
        sids = []
        for name, value in (("ann", 95.3), ("olga", 96.1)):
            account = accounts.add_account(s, name, "owner", "-", indicators=[ind.id])
            frame = pd.DataFrame([row | {"value": value}])
            sids.append(records.save_submission(s, account.id, name, frame, file=f"{name}.csv", format="form"))
    start = threading.Barrier(2)

    def approve(sid: str) -> str:
        with Store(pg_empty) as s:
            start.wait()
            try:
                return f"published {records.approve(s, sid, 'rita').revised}"
            except ConflictError as exc:
                return f"409 {exc}"

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(approve, sids))
    assert sorted(a.split()[0] for a in answers) == ["409", "published"], answers
    assert "is stale" in next(a for a in answers if a.startswith("409")) and "17-8-1 KAZ 2023 (kz-sdg)" in str(answers)
    with Store(pg_empty, read_only=True) as s:
        values = s.con.execute("SELECT value FROM observation ORDER BY vintage").fetchall()
        pending = [r["id"] for r in records.submissions(s, status="pending")]
    winner = sids[[a.startswith("published") for a in answers].index(True)]
    assert [v for (v,) in values] == [94.7, 95.3 if winner == sids[0] else 96.1]  # one new vintage, the winner's
    assert pending == [
        sid for sid in sids if sid != winner
    ]  # the stale one stays pending: nothing applied, nothing lost
