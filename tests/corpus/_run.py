"""Running corpus cases: in-process under a time limit, or in a forked process under a memory limit too.

A data file is loaded with :func:`sandyq.load_file` into a store that already holds real observations (the
"victim"), and every table of that store is digested before and after: a refused file must leave it
unchanged.  A file expected to load goes into a fresh store, whose observations are then read back (a load
that poisons the store shows up as a crash when reading).  A framework folder goes through
:func:`sandyq.load_framework`, a command line through typer's runner on a scratch copy of a small store, an
HTTP request through the dashboard's application over another copy.

Hangs are caught by ``SIGALRM`` (a :class:`CaseTimeout`, a ``BaseException`` so that no ``except Exception``
of the code under test can swallow it); cases marked ``isolate`` run in a child made by ``os.fork`` with
``RLIMIT_AS`` set to what the process already maps plus the case's budget, and are killed if they outlive
their time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import pickle
import resource
import select
import shutil
import signal
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

import sandyq
from sandyq.errors import SandyqError
from sandyq.framework import Framework, load_framework
from sandyq.store import Store

from ._model import ApiCall, Case, CliCall, Either, FrameworkCall, LoadCall, Loads, Obs, Outcome

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

__all__ = ["CaseTimeout", "Runner", "store_digest", "time_limit"]

#: The environment of every command line run: no colours, wide lines, no way out to the network.
CLI_ENV = {
    "NO_COLOR": "1",
    "COLUMNS": "200",
    "TERMINAL_WIDTH": "200",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "SANDYQ_LANGUAGE": "en",
}


class CaseTimeout(BaseException):
    """A case ran longer than its time limit (a hang)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`CaseTimeout` in the main thread if the block runs longer than ``seconds``."""

    def _alarm(signum: int, frame: object) -> None:
        raise CaseTimeout(f"hang: no answer within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def store_digest(con: duckdb.DuckDBPyConnection) -> str:
    """A digest of every row of every table of a store (order-independent), in one query per table list."""
    names = [
        name
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
        ).fetchall()
    ]
    sql = " UNION ALL ".join(
        f"SELECT '{name}', count(*), coalesce(sum(hash(t)), 0) FROM \"{name}\" AS t" for name in names
    )
    rows = con.execute(sql).fetchall() if names else []
    text = "|".join(f"{n}:{c}:{h}" for n, c, h in sorted(rows))
    return hashlib.sha256(text.encode()).hexdigest()


def clear_store(store: Store) -> None:
    """Empty every table but the schema's own, so that the store is as new (cheaper than making one)."""
    names = store.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_name <> 'meta'"
    ).fetchall()
    for (name,) in names:
        store.con.execute(f'DELETE FROM "{name}"')
    # the store's change counter (schema 3) counts the loads of earlier cases: a new store starts it at 0
    store.con.execute("UPDATE meta SET value = '0' WHERE key = 'data_version'")


def file_store_digest(path: Path) -> str:
    """:func:`store_digest` of a store file, opened read-only for the moment it takes."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return store_digest(con)
    finally:
        con.close()


def _error_outcome(exc: BaseException) -> Outcome:
    """The outcome of an exception raised by the code under test."""
    if isinstance(exc, SandyqError):
        return Outcome(
            error=type(exc).__name__,
            kinds=tuple(c.__name__ for c in type(exc).__mro__),
            text=str(exc),
            problems=[p.to_dict() for p in exc.problems],
        )
    if isinstance(exc, CaseTimeout):
        return Outcome(crash=str(exc))
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {tb[-1].filename.rsplit('/', 2)[-1]}:{tb[-1].lineno}" if tb else ""
    return Outcome(crash=f"{type(exc).__name__}{where}: {str(exc)[:300]}")


def observations(store: Store) -> tuple[list[Obs], tuple[str, ...]]:
    """Every stored observation as compared by the corpus, and their vintages (``YYYY-MM-DD``)."""
    frame = store.observations(dims=None)
    rows: list[Obs] = []
    for r in frame.itertuples(index=False):
        rows.append(
            (
                str(r.indicator),
                str(r.geo),
                str(r.period),
                str(r.dims),
                str(r.source),
                float(r.value),
                str(r.unit),
                _text(r.status),
                _text(r.note),
            )
        )
    vintages = tuple(str(v)[:10] for v in frame["vintage"])
    return rows, vintages


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _vm_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def run_isolated(work: Callable[[], Outcome], memory: int, seconds: float, *, bounded: bool = False) -> Outcome:
    """``work()`` in a forked child limited to ``memory`` bytes more than it starts with and ``seconds``.

    With ``bounded``, reaching the time limit within the memory budget is an accepted outcome.
    """
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "fork() in a multi-threaded process"
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        try:
            limit = _vm_bytes() + memory
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            with time_limit(seconds):
                outcome = work()
        except BaseException as exc:
            outcome = _error_outcome(exc)
            if isinstance(exc, CaseTimeout) and bounded:
                outcome = Outcome(status=0, text=f"bounded: still running after {seconds:g} s, within its memory")
            if isinstance(exc, MemoryError):
                outcome = Outcome(crash=f"MemoryError: more than {memory / 2**30:.1f} GiB")
        data = pickle.dumps(outcome)
        with contextlib.suppress(BaseException):
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
        os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds + 10
    try:
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([read_end], [], [], max(left, 0))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                return Outcome(crash=f"hang: killed after {seconds + 10:g} s")
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    if not chunks:
        return Outcome(crash=f"the child died (wait status {status}): killed by the memory limit or a signal")
    result: Outcome = pickle.loads(b"".join(chunks))
    return result


class Runner:
    """Runs cases and keeps what they share: the framework, the victim store, the CLI and API stores."""

    def __init__(self, framework: Framework, root: Path) -> None:
        self.framework = framework
        self.root = root
        self._references: dict[str, list[Obs]] = {}
        self.reference_cases: dict[str, Callable[[Path], LoadCall]] = {}
        self.victim = self._victim()
        self.victim_digest = store_digest(self.victim.con)
        self.scratch = Store(":memory:")
        self.empty_digest = store_digest(self.scratch.con)
        clear_store(self.scratch)
        assert store_digest(self.scratch.con) == self.empty_digest
        self.cli_db = root / "cli.duckdb"
        self._cli_store(self.cli_db)
        self.cli_digest = file_store_digest(self.cli_db)
        self.api_db = root / "api.duckdb"
        shutil.copy(self.cli_db, self.api_db)
        self._client: TestClient | None = None
        self._client_cm: Any = None

    # -- shared stores ------------------------------------------------------------------------------------------
    def _victim(self) -> Store:
        """An in-memory store holding real observations a bad load could spoil."""
        from ._sources import CONTENT, manifest_options

        store = Store(":memory:")
        for file in ("data/kz-sdg-ict/raw/indicator_17-8-1.csv", "data/seeds/seed004.csv"):
            sandyq.load_file(store, CONTENT / file, self.framework, **manifest_options(file))
        return store

    def _cli_store(self, path: Path) -> None:
        """A small store file for the command line and the API: real data of a few files."""
        from ._sources import CONTENT, manifest_options

        with Store(path) as store:
            for file in (
                "data/kz-sdg-ict/raw/indicator_17-8-1.csv",
                "data/kz-sdg-ict/raw/indicator_4-4-1-1.csv",
                "data/seeds/seed000.csv",
            ):
                sandyq.load_file(store, CONTENT / file, self.framework, **manifest_options(file))

    def close(self) -> None:
        if self._client_cm is not None:
            self._client_cm.__exit__(None, None, None)
        self.victim.close()
        self.scratch.close()

    # -- references ---------------------------------------------------------------------------------------------
    def reference(self, name: str) -> list[Obs]:
        """The observations of the pristine input ``name``, loaded into a fresh store (computed once)."""
        if name not in self._references:
            folder = self.root / "references" / name.replace("/", "_")
            folder.mkdir(parents=True, exist_ok=True)
            call = self.reference_cases[name](folder)
            with Store(":memory:") as store:
                sandyq.load_file(store, call.path, self.framework, **dict(call.options))
                rows, _ = observations(store)
            assert rows, f"the reference {name} loads nothing"
            self._references[name] = rows
        return self._references[name]

    # -- running ------------------------------------------------------------------------------------------------
    def run(self, case: Case, folder: Path) -> Outcome:
        """Build the case's input under ``folder`` and run it; the outcome to judge."""
        start = time.monotonic()
        if case.isolate is not None:
            outcome = run_isolated(
                lambda: self._run(case, folder, fresh=True), case.isolate, case.seconds, bounded=case.bounded
            )
        else:
            try:
                with time_limit(case.seconds):
                    outcome = self._run(case, folder, fresh=False)
            except CaseTimeout as exc:
                outcome = Outcome(crash=str(exc))
                self._reset_victim()
        outcome.seconds = time.monotonic() - start
        return outcome

    def _run(self, case: Case, folder: Path, *, fresh: bool) -> Outcome:
        if case.family == "cli":  # the scratch store first: a case may derive a damaged store from it
            shutil.copy(self.cli_db, folder / "scratch.duckdb")
        call = case.make(folder)
        if isinstance(call, LoadCall):
            return self._load(call, case, fresh=fresh)
        if isinstance(call, FrameworkCall):
            return self._framework(call)
        if isinstance(call, CliCall):
            return self._cli(call, folder)
        return self._api(call)

    def _reset_victim(self) -> None:
        with contextlib.suppress(Exception):
            self.victim.close()
        self.victim = self._victim()
        self.victim_digest = store_digest(self.victim.con)

    def _load(self, call: LoadCall, case: Case, *, fresh: bool) -> Outcome:
        may_load = isinstance(case.expect, Loads | Either)
        # a forked child makes its own store: DuckDB's worker threads do not survive a fork
        store = Store(":memory:") if fresh else self._scratch() if may_load else self.victim
        # a new store is compared with itself before the load: each store has its own session key in ``meta``
        before = self.victim_digest if store is self.victim else store_digest(store.con)
        try:
            sandyq.load_file(store, call.path, self.framework, **dict(call.options))
        except Exception as exc:
            outcome = _error_outcome(exc)
            outcome.changed = store_digest(store.con) != before
            if store is self.victim and outcome.changed:
                self._reset_victim()
            return outcome
        try:
            rows, vintages = observations(store)
        except Exception as exc:
            return Outcome(crash=f"the store cannot be read after the load: {_error_outcome(exc).crash}")
        changed = store_digest(store.con) != before
        if store is self.victim:
            self._reset_victim()
        return Outcome(rows=rows, vintages=vintages, changed=changed)

    def _scratch(self) -> Store:
        """An empty store for a case that may load (emptied again, not made anew, for each case)."""
        clear_store(self.scratch)
        return self.scratch

    def _framework(self, call: FrameworkCall) -> Outcome:
        try:
            fw = load_framework(call.folder, include_default=call.include_default)
        except Exception as exc:
            return _error_outcome(exc)
        ids = [
            *(f"programme:{i}" for i in fw.programmes),
            *(f"indicator:{i}" for i in fw.indicators),
            *(f"source:{i}" for i in fw.sources),
            *(f"glossary:{i}" for i in fw.glossary),
        ]
        return Outcome(ids=tuple(ids))

    def _cli(self, call: CliCall, folder: Path) -> Outcome:
        from typer.testing import CliRunner

        from sandyq.outputs.cli import app

        db = folder / "scratch.duckdb"
        args = [a.replace("{db}", str(db)).replace("{dir}", str(folder)) for a in call.args]
        result = CliRunner().invoke(app, args, env=CLI_ENV, catch_exceptions=True)
        text = result.output
        changed = db.exists() and file_store_digest(db) != self.cli_digest
        exc = result.exception
        if exc is not None and not isinstance(exc, SystemExit):
            crash = _error_outcome(exc).crash or str(exc)
            return Outcome(crash=f"traceback: {crash}", status=result.exit_code, changed=changed)
        if "Traceback" in text:
            return Outcome(crash=f"traceback in the output: {text[-600:]!r}", status=result.exit_code)
        if result.exit_code == 0:
            return Outcome(status=0, text=text, changed=changed)
        return Outcome(error="exit", kinds=("SandyqError",), status=result.exit_code, text=text, changed=changed)

    def client(self) -> TestClient:
        """A client of the dashboard's application over the API store (started once)."""
        if self._client is None:
            from fastapi.testclient import TestClient

            from sandyq.outputs.web import create_app

            self._client_cm = TestClient(create_app(self.api_db, language="en"), raise_server_exceptions=False)
            self._client = self._client_cm.__enter__()
        return self._client

    def _api(self, call: ApiCall) -> Outcome:
        before = hashlib.sha256(self.api_db.read_bytes()).hexdigest()
        try:
            response = self.client().request(call.method, call.path)
        except Exception as exc:
            return _error_outcome(exc)
        changed = hashlib.sha256(self.api_db.read_bytes()).hexdigest() != before
        status = response.status_code
        text = response.text
        if status >= 500:
            return Outcome(crash=f"server error {status}: {text[:300]!r}", status=status)
        if status < 400:
            return Outcome(status=200 if status < 300 else status, text=text[:2000], changed=changed)
        try:
            body = json.loads(text)
            error = body["error"]
            problems = list(error.get("problems") or [])
        except (ValueError, KeyError, TypeError, AttributeError):
            return Outcome(crash=f"a {status} answer that is not a JSON error: {text[:300]!r}", status=status)
        return Outcome(
            error=f"http {status}",
            kinds=("SandyqError",),
            status=status,
            text=json.dumps(error, ensure_ascii=False),
            problems=problems,
            changed=changed,
        )
