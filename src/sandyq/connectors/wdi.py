"""World Bank World Development Indicators, through ``wbgapi`` and the World Bank API v2.

:func:`read_wdi` asks the API for indicator codes × economies × years (one
request per code, paged by ``wbgapi``) and returns them in sandyq's long form;
:func:`fetch_wdi` validates them like any file and returns them as one batch
(written by the caller as one atomic load, see :func:`sandyq.write_batch`),
with source ``wdi-api`` and, as vintage, the date the World Bank last updated
the figures (its ``lastupdated``), unless a vintage is given.

``wbgapi`` has no hook for its HTTP transport, so for the length of a fetch its
single request function is routed through sandyq's :class:`HttpClient` (disk
cache, rate limit, retries, clear errors).  Only indicators already in the
framework can be fetched: the World Bank does not publish units or Kazakh and
Russian names, which every sandyq indicator carries.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import LoadError, Problem, refused
from ..ingest import COL, LONG, ROW, STATUS_CODES, Batch, check
from ._http import ConnectorError, HttpClient

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = ["WDI_SOURCE_ID", "WdiResult", "fetch_wdi", "read_wdi"]

#: Id of the source of figures fetched from the API (defined in the framework's ``sources.yaml``;
#: the bundled ``wdi`` copy is a different route).
WDI_SOURCE_ID = "wdi-api"


@dataclass
class WdiResult:
    """Rows from the API in sandyq's long form, the World Bank's last-update date, and the URLs asked."""

    long: pd.DataFrame
    last_updated: date | None
    urls: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)


def _years(start: int | None, end: int | None) -> dict[str, str]:
    if start is None and end is None:
        return {}
    lo, hi = start if start is not None else 1960, end if end is not None else datetime.now().year
    if lo > hi:
        raise LoadError(f"--from {lo} is after --to {hi}", [Problem("wdi", "first year after last year")])
    return {"date": f"{lo}:{hi}"}


@contextlib.contextmanager
def _routed(client: HttpClient, result: WdiResult) -> Iterator[Any]:
    """``wbgapi`` with its request function replaced by one that uses ``client``."""
    import wbgapi

    if not hasattr(wbgapi, "_queryAPI"):
        raise ConnectorError("the installed wbgapi has no _queryAPI; sandyq supports wbgapi 1.0.x")

    def query(url: str) -> tuple[dict[str, Any], Any]:
        text = client.get_text(url)
        payload = client.parse_json(url, text)
        result.urls.append(url)
        result.bodies.append(text)
        head = payload[0] if isinstance(payload, list) and payload and isinstance(payload[0], dict) else None
        if head is None:
            raise ConnectorError(
                f"{url}: unexpected answer from the World Bank API; nothing was loaded",
                [Problem(url, f"expected [header, rows], got {type(payload).__name__}")],
            )
        if head.get("message"):
            msg = head["message"][0] if isinstance(head["message"], list) else head["message"]
            text = f"{msg.get('key', '')}: {msg.get('value', '')}" if isinstance(msg, dict) else str(msg)
            raise ConnectorError(
                f"{url}: the World Bank API refused the request; nothing was loaded", [Problem(url, text.strip(": "))]
            )
        stamp = head.get("lastupdated")
        if isinstance(stamp, str) and stamp:
            with contextlib.suppress(ValueError):
                d = date.fromisoformat(stamp[:10])
                result.last_updated = max(result.last_updated or d, d)
        if not (len(payload) > 1 and isinstance(payload[1], list)) and int(head.get("total", 0) or 0) > 0:
            raise ConnectorError(
                f"{url}: unexpected answer from the World Bank API; nothing was loaded",
                [Problem(url, "the header announces rows but no row list follows")],
            )
        if len(payload) < 2 or payload[1] is None:
            payload = [head, []]
        return head, payload

    original = wbgapi._queryAPI
    wbgapi._queryAPI = query
    try:
        yield wbgapi
    finally:
        wbgapi._queryAPI = original


def _row(rec: Any, url: str) -> dict[str, str]:
    try:
        code = rec["indicator"]["id"]
        geo = rec.get("countryiso3code") or rec["country"]["id"]
        year = rec["date"]
        value = rec["value"]
    except (KeyError, TypeError):
        raise ConnectorError(
            f"{url}: unexpected row in the World Bank answer; nothing was loaded",
            [Problem(url, f"row lacks indicator/country/date/value: {str(rec)[:120]}")],
        ) from None
    if value is not None and not isinstance(value, int | float):
        raise ConnectorError(
            f"{url}: unexpected value type in the World Bank answer; nothing was loaded",
            [Problem(url, f"{code} {geo} {year}: value {value!r} is not a number")],
        )
    status = str(rec.get("obs_status") or "").strip()
    known = status.upper() in {"A", *STATUS_CODES}
    return {
        "INDICATOR": str(code),
        "REF_AREA": str(geo),
        "TIME_PERIOD": str(year),
        "OBS_VALUE": "" if value is None else repr(float(value)),
        "OBS_STATUS": status.upper() if known else "",  # "A" (normal) is blank after validation
        "COMMENT": f"World Bank obs_status {status!r}" if status and not known else "",
    }


def read_wdi(
    codes: Sequence[str],
    countries: Sequence[str] = ("KAZ",),
    start: int | None = None,
    end: int | None = None,
    *,
    client: HttpClient | None = None,
) -> WdiResult:
    """Ask the World Bank API for ``codes`` × ``countries`` × ``start``–``end`` (all years if omitted).

    Rows come back in sandyq's long form (not yet validated); blank values are
    kept as blank and skipped by validation.
    """
    if not codes:
        raise LoadError("no indicator codes given", [Problem("wdi", "give at least one WDI code")])
    client = client or HttpClient(min_interval=0.5)
    result = WdiResult(pd.DataFrame(), None)
    params = _years(start, end)
    rows: list[dict[str, str]] = []
    with _routed(client, result) as wb:
        for code in codes:
            url = f"country/{';'.join(countries)}/indicator/{code}"
            try:
                rows += [_row(rec, url) for rec in wb.fetch(url, params)]
            except wb.APIError as exc:
                raise ConnectorError(
                    f"{exc.url}: the World Bank API answered something sandyq cannot read; nothing was loaded",
                    [Problem(str(exc.url), str(exc.msg))],
                ) from None
    long = pd.DataFrame(rows, columns=["INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "COMMENT"])
    for c in LONG:
        if c not in long.columns:
            long[c] = ""
    long[ROW] = range(1, len(long) + 1)
    long[COL] = "value"
    result.long = long
    return result


def fetch_wdi(
    framework: Framework,
    codes: Sequence[str],
    countries: Sequence[str] = ("KAZ",),
    start: int | None = None,
    end: int | None = None,
    *,
    vintage: date | datetime | str | None = None,
    client: HttpClient | None = None,
) -> Batch:
    """Fetch WDI figures as one validated batch (source ``wdi-api``), for the caller to write.

    Codes must be framework indicators and countries known geographies; both
    are checked before any request.  A bad answer or a value that fails
    validation raises, so nothing is loaded.
    """
    unknown = [c for c in codes if c not in framework.indicators]
    problems = [
        Problem(
            "wdi",
            f"indicator {c!r} is not in the framework; add its metadata (names in kk/ru/en, "
            "unit) to a framework folder first",
        )
        for c in unknown
    ]
    geos = []
    for c in countries:
        canon = framework.geography.resolve(c)
        if canon is None:
            problems.append(Problem("wdi", f"unknown country or aggregate code {c!r}"))
        else:
            geos.append(canon)
    if problems:
        raise LoadError("refused before asking the World Bank; nothing was loaded", problems)
    result = read_wdi(codes, geos, start, end, client=client)
    src = framework.source(WDI_SOURCE_ID)
    label = f"World Bank API v2: {', '.join(codes)} for {', '.join(geos)}"
    checked = check(result.long, Path(label), framework, source=src.id)
    if checked.problems:
        raise refused(label, checked.problems)
    found = set(result.long.loc[result.long["OBS_VALUE"] != "", "INDICATOR"])
    span = f"{start or 'first'}–{end or 'last'}"
    checked.resolved += [
        Problem(label, f"the World Bank published no figure of {c} for {', '.join(geos)} in {span}")
        for c in codes
        if c not in found
    ]
    digest = hashlib.sha256("\n".join(result.bodies).encode("utf-8")).hexdigest()
    return Batch(
        checked.staged,
        file=label,
        format="wdi-api",
        source=src.id,
        vintage=vintage if vintage is not None else result.last_updated,
        sha256=digest,
        issues=checked.resolved,
        issue_rows=checked.resolved_rows,
        sources=[src],
        skipped_missing=checked.skipped_missing,
        dropped_duplicates=checked.dropped_duplicates,
    )
