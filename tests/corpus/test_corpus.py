"""The bad-input corpus: every generated case ends with a clear refusal or a correct load, within its limits.

Cases are generated deterministically (seeded) from sandyq's bundled files at collection time and written
into ``tmp_path`` when they run.  A case that fails today because of a known finding that is being fixed is
listed in :data:`PENDING` with that finding, and skipped while it is listed; remove the entry when the fix
lands.  ``SANDYQ_CORPUS_PENDING=run`` runs the pending cases too (to see which are fixed).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandyq.framework import Framework

from ._cases import all_cases, references
from ._model import Case, judge
from ._run import Runner

#: Cases failing today because of a known finding, with the finding; skipped while listed here ("ingest 1" etc.
#: are the numbered findings of the robustness issue, "new:" findings this corpus made).  Empty: every case passes.
PENDING: dict[str, str] = {}

CASES = all_cases()
RUN_PENDING = os.environ.get("SANDYQ_CORPUS_PENDING", "") == "run"


@pytest.fixture(scope="module")
def runner(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    r = Runner(framework, tmp_path_factory.mktemp("corpus"))
    r.reference_cases.update(references())
    yield r
    r.close()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, runner: Runner, tmp_path: Path) -> None:
    pending = PENDING.get(case.id)
    if pending and not RUN_PENDING:
        pytest.skip(f"pending: {pending}")
    outcome = runner.run(case, tmp_path)
    wrong = judge(outcome, case.expect, runner.reference)
    assert not wrong, f"{case.id} ({outcome.seconds:.2f} s): " + "; ".join(wrong)


def test_the_corpus_is_large_and_every_id_is_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) >= 500
    assert len(set(ids)) == len(ids), [i for i in ids if ids.count(i) > 1]
    families = {c.family for c in CASES}
    assert families >= {"csv", "xlsx", "sdmx", "open-sdg", "framework", "manifest", "cli", "api"}


def test_every_pending_entry_names_a_case() -> None:
    ids = {c.id for c in CASES}
    assert sorted(set(PENDING) - ids) == []


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    """The same cases, with the same expectations, and the same bytes when written twice."""
    all_cases.cache_clear()
    again = all_cases()
    assert [(c.id, type(c.expect).__name__, c.isolate) for c in again] == [
        (c.id, type(c.expect).__name__, c.isolate) for c in CASES
    ]
    sample = [c for c in again if c.isolate is None and c.family in ("csv", "xlsx", "sdmx", "framework")][::9]
    for k, case in enumerate(sample):
        a, b = tmp_path / f"{k}a", tmp_path / f"{k}b"
        a.mkdir()
        b.mkdir()
        case.make(a)
        case.make(b)
        files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
        files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
        assert files_a == files_b, case.id
        for f in files_a:
            assert _content(a / f) == _content(b / f), (case.id, f)


def _content(path: Path) -> dict[str, bytes]:
    """A file's bytes; a workbook's parts but the one recording when it was written."""
    if path.suffix.lower() == ".xlsx" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
    return {"": path.read_bytes()}
