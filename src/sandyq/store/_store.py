"""The observation store: DuckDB, append-only, with vintages.

Every observation is keyed by ``(indicator, geo, period, dims, source)`` and
stamped with a *vintage* (the date the figures were published or loaded).  A
load never overwrites: a value that differs from the one in force becomes a new
row with the load's vintage, an identical value is skipped, so loading the same
file twice changes nothing.  Every read can be asked "as of" a date, which picks
for each key the latest vintage not after that date.

Loads are atomic: the rows, the load record and its issues are written in one
transaction, so a failed or interrupted load leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .._version import __version__
from ..errors import InternalError, LoadError, Problem, StoreError
from ..framework import as_of_bound, dims_key, parse_vintage
from ._schema import ensure_schema

__all__ = ["LoadReport", "Store", "STAGED_COLUMNS", "OBSERVATION_COLUMNS"]

#: Columns a frame handed to :meth:`Store.load_frame` must have.
STAGED_COLUMNS = ("indicator", "geo", "period", "dims", "source", "value", "unit", "status", "note")
#: Columns of every observation frame sandyq returns.
OBSERVATION_COLUMNS = (
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
)
_KEY = ("indicator", "geo", "period", "dims", "source")


@dataclass
class LoadReport:
    """What one load did."""

    load_id: int | None
    file: str
    source: str | None
    vintage: datetime
    rows_read: int
    added: int
    revised: int
    unchanged: int
    issues: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "load_id": self.load_id,
            "file": self.file,
            "source": self.source,
            "vintage": self.vintage.isoformat(),
            "rows_read": self.rows_read,
            "added": self.added,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "issues": [p.to_dict() for p in self.issues],
        }


class Store:
    """A DuckDB file (or ``":memory:"``) holding observations with vintages."""

    def __init__(self, path: str | Path = ":memory:", read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not read_only and not parent.exists():
                raise StoreError(f"{self.path}: folder {parent} does not exist")
            if read_only and not Path(self.path).exists():
                raise StoreError(f"{self.path}: no store here; run `sandyq init` first")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None
        self.read_only = read_only
        self.schema_version = ensure_schema(self.con, self.path, read_only)

    # -- lifecycle -----------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------
    def register_sources(self, sources: Iterable[Any]) -> None:
        """Record (or update) the sources that observations cite."""
        rows = [(s.id, s.name, s.publisher, s.url, s.licence, s.citation) for s in sources]
        if rows:
            self.con.executemany("INSERT OR REPLACE INTO source VALUES (?, ?, ?, ?, ?, ?)", rows)

    def load_frame(
        self,
        frame: pd.DataFrame,
        *,
        file: str,
        format: str,
        vintage: date | datetime | str | None = None,
        source: str | None = None,
        sha256: str | None = None,
        issues: Sequence[Problem] = (),
        issue_rows: pd.DataFrame | None = None,
    ) -> LoadReport:
        """Add validated observations in one transaction and return what changed.

        ``frame`` has :data:`STAGED_COLUMNS`.  A key whose value differs from the one
        in force at ``vintage`` gets a new row; a key that already has a *different*
        value at exactly this vintage is a conflict and the whole load is refused.
        """
        missing = [c for c in STAGED_COLUMNS if c not in frame.columns]
        if missing:
            raise InternalError(f"internal: staged frame lacks columns {missing}")
        v = parse_vintage(vintage)
        staged = frame.loc[:, list(STAGED_COLUMNS)].copy()
        staged["value"] = staged["value"].astype("float64")
        for col in ("indicator", "geo", "period", "dims", "source", "unit", "status", "note"):
            staged[col] = staged[col].astype("object").where(staged[col].notna(), None)
        staged["dims"] = staged["dims"].fillna("")
        self.con.register("_staged", staged)
        try:
            self.con.execute("BEGIN TRANSACTION")
            try:
                report = self._apply(staged, v, file, format, source, sha256, issues, issue_rows)
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
        finally:
            self.con.unregister("_staged")
        return report

    def _apply(
        self,
        staged: pd.DataFrame,
        v: datetime,
        file: str,
        format: str,
        source: str | None,
        sha256: str | None,
        issues: Sequence[Problem],
        issue_rows: pd.DataFrame | None,
    ) -> LoadReport:
        cmp = self.con.execute(
            """
            WITH latest AS (
                SELECT indicator, geo, period, dims, source, value, unit, status, vintage
                FROM observation WHERE vintage <= ?
                QUALIFY row_number() OVER (
                    PARTITION BY indicator, geo, period, dims, source ORDER BY vintage DESC) = 1
            )
            SELECT s.*, l.value AS old_value, l.unit AS old_unit, l.status AS old_status,
                   l.vintage AS old_vintage
            FROM _staged s LEFT JOIN latest l
              ON s.indicator = l.indicator AND s.geo = l.geo AND s.period = l.period
             AND s.dims = l.dims AND s.source = l.source
            """,
            [v],
        ).df()
        old = cmp["old_value"]
        new = cmp["value"]
        is_new = old.isna()
        same_value = (new - old).abs() <= 1e-12 * new.abs().clip(lower=1.0)
        same_meta = (cmp["unit"] == cmp["old_unit"]) & (cmp["status"].fillna("") == cmp["old_status"].fillna(""))
        unchanged = ~is_new & same_value & same_meta
        revised = ~is_new & ~unchanged
        clash = revised & (cmp["old_vintage"] == pd.Timestamp(v))
        if clash.any():
            rows = cmp[clash].head(20)
            problems = [
                Problem(
                    file,
                    f"{r.indicator} {r.geo} {r.period} {r.dims or 'total'} ({r.source}) already has "
                    f"value {r.old_value:g} in vintage {v:%Y-%m-%d %H:%M:%S}; a changed value needs a "
                    f"later vintage, got {r.value:g}",
                )
                for r in rows.itertuples()
            ]
            raise LoadError(f"{file}: refused: values conflict with the same vintage; nothing was loaded", problems)
        to_insert = cmp[is_new | revised]
        if not len(to_insert):
            # Nothing new: the store is left exactly as it was (no load record either).
            return LoadReport(None, file, source, v, len(staged), 0, 0, int(unchanged.sum()), list(issues))
        load_id = int(self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM load").fetchall()[0][0])
        ins = to_insert.loc[:, list(STAGED_COLUMNS)].copy()
        ins["vintage"] = pd.Timestamp(v)
        ins["load_id"] = load_id
        self.con.register("_ins", ins)
        try:
            self.con.execute(
                """INSERT INTO observation (indicator, geo, period, dims, source, vintage, value, unit,
                                            status, note, load_id)
                   SELECT indicator, geo, period, dims, source, vintage, value, unit, status, note, load_id
                   FROM _ins"""
            )
        finally:
            self.con.unregister("_ins")
        self._record_load(
            load_id,
            file,
            format,
            source,
            v,
            sha256,
            len(staged),
            int(is_new.sum()),
            int(revised.sum()),
            int(unchanged.sum()),
            issues,
            issue_rows,
        )
        return LoadReport(
            load_id,
            file,
            source,
            v,
            len(staged),
            int(is_new.sum()),
            int(revised.sum()),
            int(unchanged.sum()),
            list(issues),
        )

    def _record_load(
        self,
        load_id: int,
        file: str,
        format: str,
        source: str | None,
        v: datetime,
        sha256: str | None,
        read: int,
        added: int,
        revised: int,
        unchanged: int,
        issues: Sequence[Problem],
        issue_rows: pd.DataFrame | None,
    ) -> None:
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        self.con.execute(
            "INSERT INTO load VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, file, format, source, v, now, sha256, read, added, revised, unchanged, __version__],
        )
        if issue_rows is not None and len(issue_rows):
            rows = issue_rows.copy()
            rows.insert(0, "load_id", load_id)
            cols = [
                "load_id",
                "kind",
                "file",
                "row_number",
                "column_name",
                "message",
                "indicator",
                "geo",
                "period",
                "dims",
                "value",
            ]
            for c in cols:
                if c not in rows.columns:
                    rows[c] = None
            self.con.register("_issues", rows[cols])
            try:
                self.con.execute("INSERT INTO load_issue SELECT * FROM _issues")
            finally:
                self.con.unregister("_issues")

    # -- reading -------------------------------------------------------------------
    def observations(
        self,
        indicator: str | Sequence[str] | None = None,
        geo: str | Sequence[str] | None = None,
        *,
        start: int | None = None,
        end: int | None = None,
        dims: str | Mapping[str, object] | None = None,
        source: str | Sequence[str] | None = None,
        as_of: date | datetime | str | None = None,
    ) -> pd.DataFrame:
        """Observations in force ``as_of`` a date (default: now), filtered.

        ``dims=None`` returns every disaggregation, ``dims=""`` only totals, a mapping
        exactly that disaggregation.  Years ``start``–``end`` are inclusive.
        """
        where: list[str] = []
        params: list[Any] = []

        def _in(col: str, val: str | Sequence[str] | None) -> None:
            if val is None:
                return
            vals = [val] if isinstance(val, str) else list(val)
            where.append(f"{col} IN ({', '.join('?' * len(vals))})")
            params.extend(vals)

        _in("indicator", indicator)
        _in("geo", geo)
        _in("source", source)
        if dims is not None:
            where.append("dims = ?")
            params.append(dims if isinstance(dims, str) else dims_key(dims))
        bound = as_of_bound(as_of)
        if bound is not None:
            where.append("vintage <= ?")
            params.append(bound)
        if start is not None:
            where.append("CAST(substr(period, 1, 4) AS INTEGER) >= ?")
            params.append(start)
        if end is not None:
            where.append("CAST(substr(period, 1, 4) AS INTEGER) <= ?")
            params.append(end)
        sql = f"""
            SELECT indicator, geo, period, CAST(substr(period, 1, 4) AS INTEGER) AS year, dims, value, unit,
                   status, source, vintage, note
            FROM observation
            {"WHERE " + " AND ".join(where) if where else ""}
            QUALIFY row_number() OVER (PARTITION BY indicator, geo, period, dims, source ORDER BY vintage DESC) = 1
            ORDER BY indicator, geo, dims, source, period
        """
        return self.con.execute(sql, params).df()

    def history(self, indicator: str, geo: str, period: str, dims: str = "", source: str | None = None) -> pd.DataFrame:
        """Every vintage of one key, oldest first: what was published when."""
        sql = """SELECT indicator, geo, period, dims, source, vintage, value, unit, status, note, load_id
                 FROM observation WHERE indicator = ? AND geo = ? AND period = ? AND dims = ?"""
        params: list[Any] = [indicator, geo, period, dims]
        if source is not None:
            sql += " AND source = ?"
            params.append(source)
        return self.con.execute(sql + " ORDER BY source, vintage", params).df()

    def loads(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM load ORDER BY id").df()

    def load_issues(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM load_issue ORDER BY load_id, row_number").df()

    def sources(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM source ORDER BY id").df()

    def source_rows(self) -> list[dict[str, Any]]:
        """The sources recorded in the store, as plain dicts (``url`` may be None)."""
        cur = self.con.execute("SELECT id, name, publisher, url, licence, citation FROM source ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM observation").fetchall()[0][0])

    def summary(self) -> pd.DataFrame:
        """Per indicator: series, observations, first and last year, sources."""
        return self.con.execute(
            """SELECT indicator, count(DISTINCT geo) AS geos, count(*) AS observations,
                      min(CAST(substr(period, 1, 4) AS INTEGER)) AS first_year,
                      max(CAST(substr(period, 1, 4) AS INTEGER)) AS last_year,
                      string_agg(DISTINCT source, ',' ORDER BY source) AS sources
               FROM observation GROUP BY indicator ORDER BY indicator"""
        ).df()

    def save_indicators(self, bodies: Mapping[str, str], origin: str) -> None:
        """Keep indicator metadata (JSON of :class:`~sandyq.framework.Indicator`) brought by an import."""
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        rows = [(i, b, origin, now) for i, b in bodies.items()]
        if rows:
            self.con.executemany("INSERT OR REPLACE INTO indicator_meta VALUES (?, ?, ?, ?)", rows)

    def stored_indicators(self) -> dict[str, str]:
        """Indicator metadata kept in the store, as JSON bodies by id."""
        return dict(self.con.execute("SELECT id, body FROM indicator_meta ORDER BY id").fetchall())

    def save_document(self, name: str, body: str) -> None:
        """Keep a JSON document (e.g. a fitted calibration) in the store."""
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        self.con.execute("INSERT OR REPLACE INTO calibration VALUES (?, ?, ?)", [name, now, body])

    def document(self, name: str) -> str | None:
        rows = self.con.execute("SELECT body FROM calibration WHERE name = ?", [name]).fetchall()
        return str(rows[0][0]) if rows else None
