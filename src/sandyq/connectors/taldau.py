"""Taldau, the indicator database of Kazakhstan's Bureau of National Statistics (taldau.stat.gov.kz).

Taldau has no documented API; its web pages read JSON from four endpoints,
which public scrapers call the same way (see ``Cagey7/integr_taldau``,
``loader/utils.py``):

``Api/GetIndexAttributes?indexId=``
    the index's unit (``measureName``) and place in the catalogue;
``Api/GetPeriodList?indexId=``
    the period types published (``[{id, name}]``; 7 = year);
``Api/GetSegmentList?indexId=&periodId=``
    the classifier combinations ("dics") the index is cut by
    (``[{dicId, names, termIds}]``; dic 67 = regions);
``Api/GetIndexData/{id}?period=&dics=&dateIds=``
    the values, ``[{terms, termNames, periods: [{name, date, value}]}]``.

A value ``"x"`` is suppressed by the publisher (confidential): it is not loaded
but recorded as a load issue.  Term 741880 is the whole Republic (``KAZ``);
other region terms are matched to ISO 3166-2:KZ by their Russian names.  Every
request goes through :class:`HttpClient` (cached, two seconds apart by
default), and anything unexpected in an answer raises
:class:`ConnectorError` naming the URL: the service changes without notice, so
sandyq refuses rather than guesses.

>>> term_geo("г.Нур-Султан"), term_geo("АКМОЛИНСКАЯ ОБЛАСТЬ"), term_geo("Республика Казахстан")
('KZ-71', 'KZ-11', 'KAZ')
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import LoadError, Problem, refused
from ..framework import load_geography
from ..ingest import COL, LONG, ROW, Batch, check
from ._http import ConnectorError, HttpClient

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = [
    "KNOWN_INDEXES",
    "REPUBLIC_TERM",
    "TALDAU_SOURCE_ID",
    "Taldau",
    "TaldauResult",
    "fetch_taldau",
    "read_taldau",
    "term_geo",
]

#: Id of the source of figures fetched from Taldau (defined in the framework's ``sources.yaml``).
TALDAU_SOURCE_ID = "taldau"

#: The term of the regions classifier that means the whole Republic.
REPUBLIC_TERM = 741880
#: The classifier ("dic") of regions.
REGIONS_DIC = 67
#: Taldau index ids of framework indicators (from the framework's notes).
KNOWN_INDEXES: dict[int, str] = {703651: "computers_internet_connected", 19096214: "ict_specialists"}
#: Period-type ids as public scrapers read them; 6/10 are half-years, which sandyq does not store.
PERIOD_KINDS: dict[int, str] = {
    7: "year",
    12: "year",
    16: "year",
    5: "quarter",
    9: "quarter",
    4: "month",
    8: "month",
    6: "half-year",
    10: "half-year",
}
#: Taldau unit names (Russian, normalised) → sandyq unit codes.
UNIT_NAMES: dict[str, str] = {
    "единица": "NUMBER",
    "единиц": "NUMBER",
    "штука": "NUMBER",
    "штук": "NUMBER",
    "человек": "PERSONS",
    "тысяч человек": "TH_PERSONS",
    "тыс человек": "TH_PERSONS",
    "процент": "PT",
    "%": "PT",
    "тенге": "KZT",
    "тыс тенге": "TH_KZT",
    "тысяч тенге": "TH_KZT",
    "млн тенге": "MN_KZT",
    "миллионов тенге": "MN_KZT",
    "млрд тенге": "BN_KZT",
    "миллиардов тенге": "BN_KZT",
}
_BASE = "https://taldau.stat.gov.kz"


def _norm(name: str) -> str:
    s = name.lower().replace("ё", "е").replace("нур-султан", "астана")
    s = re.sub(r"\b(г|гор|город|обл|область)\b\.?", " ", s)
    return re.sub(r"[^\w]+", "", s)


@functools.cache
def _region_names() -> dict[str, str]:
    geo = load_geography()
    names = {_norm(u.name.ru): u.code for u in geo.regions("KAZ")}
    names[_norm("Республика Казахстан")] = "KAZ"
    return names


def term_geo(name: str) -> str | None:
    """The geography a Taldau region term names (by its Russian name), or None."""
    return _region_names().get(_norm(name))


def _unit(name: str) -> str | None:
    key = " ".join(re.sub(r"[.,]", " ", name.lower()).split())
    return UNIT_NAMES.get(key)


def _ids(text: object) -> list[str]:
    return [p.strip() for p in re.split(r"[+,/]", str(text)) if p.strip()]


@dataclass
class TaldauResult:
    """One index read from Taldau: long-form rows, suppressed cells, the unit, and what was asked."""

    long: pd.DataFrame
    unit_name: str
    period_id: int
    suppressed: pd.DataFrame
    urls: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)


class Taldau:
    """The four Taldau endpoints, each answer checked for the shape sandyq relies on."""

    def __init__(self, client: HttpClient | None = None, *, base: str = _BASE, language: str = "ru") -> None:
        self.client = client or HttpClient(min_interval=2.0)
        self.base = f"{base.rstrip('/')}/{language}/Api"
        self.urls: list[str] = []
        self.bodies: list[str] = []

    def _get(self, path: str, params: dict[str, object]) -> Any:
        from ._http import full_url

        url = full_url(f"{self.base}/{path}", params)
        text = self.client.get_text(url)
        self.urls.append(url)
        self.bodies.append(text)
        return self.client.parse_json(url, text), url

    @staticmethod
    def _unexpected(url: str, what: str) -> ConnectorError:
        return ConnectorError(
            f"{url}: unexpected answer from Taldau (the service may have changed); nothing was loaded",
            [Problem(url, what)],
        )

    def index_attributes(self, index_id: int) -> dict[str, Any]:
        data, url = self._get("GetIndexAttributes", {"indexId": index_id})
        if not isinstance(data, dict) or not isinstance(data.get("measureName"), str):
            raise self._unexpected(url, f"expected an object with 'measureName', got {str(data)[:120]}")
        return data

    def period_list(self, index_id: int) -> list[dict[str, Any]]:
        data, url = self._get("GetPeriodList", {"indexId": index_id})
        if not isinstance(data, list) or not all(isinstance(p, dict) and "id" in p for p in data):
            raise self._unexpected(url, f"expected a list of {{id, name}}, got {str(data)[:120]}")
        return data

    def segment_list(self, index_id: int, period_id: int) -> list[dict[str, Any]]:
        data, url = self._get("GetSegmentList", {"indexId": index_id, "periodId": period_id})
        if not isinstance(data, list) or not all(isinstance(s, dict) and "dicId" in s for s in data):
            raise self._unexpected(url, f"expected a list of {{dicId, names, termIds}}, got {str(data)[:120]}")
        return data

    def index_data(
        self, index_id: int, period_id: int, dics: Sequence[int], date_ids: Sequence[int] = ()
    ) -> tuple[list[dict[str, Any]], str]:
        params: dict[str, object] = {"period": period_id, "dics": ",".join(str(d) for d in dics)}
        if date_ids:
            params["dateIds"] = ",".join(str(d) for d in date_ids)
        data, url = self._get(f"GetIndexData/{index_id}", params)
        ok = isinstance(data, list) and all(
            isinstance(r, dict)
            and isinstance(r.get("terms"), list)
            and isinstance(r.get("termNames"), list)
            and isinstance(r.get("periods"), list)
            and len(r["terms"]) == len(dics) == len(r["termNames"])
            and all(isinstance(p, dict) and {"date", "value"} <= set(p) for p in r["periods"])
            for r in data
        )
        if not ok:
            raise self._unexpected(
                url,
                f"expected [{{terms, termNames, periods: [{{name, date, value}}]}}] with "
                f"{len(dics)} term(s) per row, got {str(data)[:160]}",
            )
        return data, url


def _period(stamp: object, kind: str) -> str | None:
    try:
        d = datetime.strptime(str(stamp).strip(), "%d.%m.%Y").date()
    except ValueError:
        return None
    if kind == "year":
        return f"{d.year}"
    if kind == "quarter" and d.month % 3 == 0:
        return f"{d.year}-Q{d.month // 3}"
    if kind == "month":
        return f"{d.year}-{d.month:02d}"
    return None


def _value(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return repr(v)
    if isinstance(v, int | float):
        return repr(float(v))
    return str(v).replace("\u00a0", "").replace(" ", "").replace(",", ".")


def _choose_period(api: Taldau, index_id: int, kind: str) -> int:
    periods = api.period_list(index_id)
    for p in periods:
        if PERIOD_KINDS.get(int(p["id"])) == kind:
            return int(p["id"])
    have = ", ".join(f"{p['id']} ({p.get('name', '?')})" for p in periods) or "none"
    raise LoadError(
        f"Taldau index {index_id} has no {kind} series; nothing was loaded",
        [Problem(api.urls[-1], f"period types published: {have}")],
    )


def read_taldau(
    index_id: int,
    indicator: str,
    *,
    period: str = "year",
    dics: Sequence[int] = (REGIONS_DIC,),
    client: HttpClient | None = None,
    unit: str | None = None,
) -> TaldauResult:
    """Read one Taldau index as long-form rows for ``indicator``.

    ``unit`` is the indicator's unit code: if Taldau reports a different unit
    the read is refused.  Suppressed cells are returned apart, not as rows.
    """
    api = Taldau(client)
    attrs = api.index_attributes(index_id)
    unit_name = str(attrs["measureName"])
    code = _unit(unit_name)
    if unit is not None and code != unit:
        why = (
            f"Taldau reports unit {unit_name!r} ({code}), the indicator is in {unit}"
            if code
            else f"Taldau reports unit {unit_name!r}, which sandyq does not recognise (known: "
            f"{', '.join(sorted(UNIT_NAMES))})"
        )
        raise LoadError(
            f"Taldau index {index_id}: unit does not match {indicator}; nothing was loaded",
            [Problem(api.urls[-1], why, column="measureName")],
        )
    period_id = _choose_period(api, index_id, period)
    segments = api.segment_list(index_id, period_id)
    wanted = sorted(str(d) for d in dics)
    if not any(sorted(_ids(s["dicId"])) == wanted for s in segments):
        have = "; ".join(f"{s['dicId']} ({s.get('names', '?')})" for s in segments) or "none"
        raise LoadError(
            f"Taldau index {index_id} is not published by classifiers {', '.join(wanted)}",
            [Problem(api.urls[-1], f"classifier combinations published: {have}")],
        )
    rows, url = api.index_data(index_id, period_id, dics)
    return _to_long(rows, url, api, index_id, indicator, unit_name, period_id, list(dics))


def _to_long(
    rows: list[dict[str, Any]],
    url: str,
    api: Taldau,
    index_id: int,
    indicator: str,
    unit_name: str,
    period_id: int,
    dics: list[int],
) -> TaldauResult:
    kind = PERIOD_KINDS.get(period_id, "year")
    records, problems = [], []
    for r in rows:
        geo, dims = ("" if REGIONS_DIC in dics else "KAZ"), {}
        for dic, term, name in zip(dics, r["terms"], r["termNames"], strict=True):
            if dic == REGIONS_DIC:
                geo = "KAZ" if str(term) == str(REPUBLIC_TERM) else (term_geo(str(name)) or "")
                if not geo:
                    problems.append(Problem(url, f"region term {term} {name!r} matches no ISO 3166-2:KZ region"))
            else:
                dims[f"taldau_{dic}"] = str(term)
        for p in r["periods"]:
            tp = _period(p["date"], kind)
            if tp is None:
                problems.append(
                    Problem(url, f"period {p.get('name', p['date'])!r} ({p['date']}) is not a {kind} sandyq can store")
                )
                continue
            records.append(
                {"INDICATOR": indicator, "REF_AREA": geo, "TIME_PERIOD": tp, "OBS_VALUE": _value(p["value"]), **dims}
            )
    if problems:
        raise LoadError(f"Taldau index {index_id}: refused; nothing was loaded", problems)
    long = pd.DataFrame(
        records,
        columns=["INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE"]
        + sorted({k for rec in records for k in rec if k.startswith("taldau_")}),
    )
    for c in LONG:
        if c not in long.columns:
            long[c] = ""
    long = long.fillna("")
    long[ROW] = range(1, len(long) + 1)
    long[COL] = "value"
    gone = long["OBS_VALUE"].str.lower() == "x"
    return TaldauResult(
        long.loc[~gone].reset_index(drop=True),
        unit_name,
        period_id,
        long.loc[gone].reset_index(drop=True),
        list(api.urls),
        list(api.bodies),
    )


def fetch_taldau(
    framework: Framework,
    index_id: int,
    *,
    indicator: str | None = None,
    period: str = "year",
    vintage: date | datetime | str | None = None,
    client: HttpClient | None = None,
) -> Batch:
    """Fetch one Taldau index as one validated batch (source ``taldau``), for the caller to write.

    ``indicator`` defaults to the framework indicator known for ``index_id``
    (:data:`KNOWN_INDEXES`).  Suppressed values are recorded as load issues.
    """
    target = indicator or KNOWN_INDEXES.get(int(index_id))
    if target is None or target not in framework.indicators:
        what = (
            f"indicator {target!r} is not in the framework"
            if target
            else (f"index {index_id} is not mapped to an indicator; give --indicator")
        )
        raise LoadError(f"Taldau index {index_id}: {what}; nothing was loaded", [Problem("taldau", what)])
    unit = framework.indicators[target].unit
    result = read_taldau(int(index_id), target, period=period, client=client, unit=unit)
    src = framework.source(TALDAU_SOURCE_ID)
    label = f"Taldau index {index_id} ({target})"
    checked = check(result.long, Path(label), framework, source=src.id)
    if checked.problems:
        raise refused(label, checked.problems)
    sup = result.suppressed
    if len(sup):
        msgs = [
            f"{r.REF_AREA or 'KAZ'} {r.TIME_PERIOD}: value suppressed by the publisher ('x'); not loaded"
            for r in sup.itertuples()
        ]
        checked.resolved += [Problem(label, m, row=int(r), column="value") for m, r in zip(msgs, sup[ROW], strict=True)]
        rows = pd.DataFrame(
            {
                "kind": "suppressed",
                "file": label,
                "row_number": sup[ROW].astype(int),
                "column_name": "value",
                "message": msgs,
                "indicator": target,
                "geo": sup["REF_AREA"].replace("", "KAZ"),
                "period": sup["TIME_PERIOD"],
                "dims": "",
                "value": float("nan"),
            }
        )
        checked.resolved_rows = (
            rows if checked.resolved_rows is None else pd.concat([checked.resolved_rows, rows], ignore_index=True)
        )
    digest = hashlib.sha256("\n".join(result.bodies).encode("utf-8")).hexdigest()
    return Batch(
        checked.staged,
        file=label,
        format="taldau",
        source=src.id,
        vintage=vintage,
        sha256=digest,
        issues=checked.resolved,
        issue_rows=checked.resolved_rows,
        sources=[src],
        skipped_missing=checked.skipped_missing,
        dropped_duplicates=checked.dropped_duplicates,
    )
