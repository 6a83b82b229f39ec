"""A finding of the consistency audit: which rule, how serious, which figures, and why.

Every finding names the rule that produced it (:data:`RULES`), a severity
(``error``: the figures cannot all be right; ``warning``: probably wrong or not
comparable, needs a look; ``info``: worth knowing, e.g. a gap or a figure that
cannot be checked), the observation it is about (indicator, geo, period,
dims), the sources involved, the figures themselves, what was expected and
what was found, and the tolerance the rule allowed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from ..results import json_safe

__all__ = ["FINDING_COLUMNS", "RULES", "SEVERITIES", "Finding", "Severity", "findings_frame", "from_frame", "summarise"]

Severity = Literal["error", "warning", "info"]

#: Severities, most serious first.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

#: Every rule: (family module, what it checks).
RULES: dict[str, tuple[str, str]] = {
    "formula": (
        "derived",
        "a published ratio (per 100, share, rate) differs from numerator / denominator × factor "
        "beyond the rounding of its printed precision",
    ),
    "growth": (
        "derived",
        "a published growth rate or index differs from the growth of its base series on the "
        "previous year beyond the rounding of its printed precision",
    ),
    "average_growth": (
        "derived",
        "a published average annual growth differs from the geometric mean growth of its "
        "base series over the stated window beyond the rounding of its printed precision",
    ),
    "unverifiable": ("derived", "a published derived figure whose inputs are not (all) in the store"),
    "regions_total": ("totals", "regions do not add up to their country (additive units only)"),
    "parts_total": ("totals", "the categories of a disaggregation do not add up to the total (additive units only)"),
    "regions_range": ("ranges", "a national share or mean outside the range of its regions"),
    "parts_range": ("ranges", "a share or mean of a total outside the range of the categories of a partition"),
    "duplicate_key": ("duplicates", "one key was published with two different values (recorded at load)"),
    "source_disagreement": ("duplicates", "the same statistic (same indicator id and key) from two sources differs"),
    "boundary_change": ("breaks", "a region's series runs across a change of its boundaries"),
    "nonexistent_unit": ("breaks", "a value for a region in a year it did not exist as such"),
    "gap": ("breaks", "years missing inside an annual series"),
    "jump": ("breaks", "a change far outside the series' own variation (robust, median absolute deviation)"),
    "flagged_break": ("breaks", "the source flags a break in series (status B)"),
    "target_unjudged": (
        "targets",
        "a target or milestone year has a figure in the store that the target's assessment does not use",
    ),
    "out_of_bounds": ("bounds", "a value outside what its unit allows (stored, or set aside at load)"),
    "declared_rule": ("declared", "a validation rule declared in the framework (rules/*.yaml) does not hold"),
    "not_assessed": ("declared", "a value the source marks as not assessed: missing, not a score of 0"),
}

#: Columns of the frame every rule returns and :func:`findings_frame` gives back.
FINDING_COLUMNS = (
    "rule",
    "severity",
    "indicator",
    "geo",
    "period",
    "dims",
    "sources",
    "expected",
    "found",
    "tolerance",
    "message",
    "figures",
    "related",
    "unit",
    "vintage",
)


@dataclass
class Finding:
    """One inconsistency (or caveat) found by the audit.

    >>> f = Finding("average_growth", "error", "kz.ict_costs.aagr", "printed 109.8, recomputed 120.7",
    ...             geo="KAZ", period="2017", dims="window=2007-2017", sources=("seed-000",),
    ...             expected=120.66, found=109.8, tolerance="±0.05 (printed with 1 decimal)")
    >>> f.to_dict()["severity"], f.to_dict()["sources"]
    ('error', ['seed-000'])
    """

    rule: str
    severity: Severity
    indicator: str
    message: str
    geo: str | None = None
    period: str | None = None
    dims: str = ""
    sources: tuple[str, ...] = ()
    expected: float | None = None
    found: float | None = None
    tolerance: str = ""
    figures: Mapping[str, Any] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    unit: str = ""
    vintage: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (NaN → None)."""
        return {
            "rule": self.rule,
            "family": RULES.get(self.rule, ("", ""))[0],
            "severity": self.severity,
            "indicator": self.indicator,
            "geo": self.geo,
            "period": self.period,
            "dims": self.dims,
            "sources": list(self.sources),
            "unit": self.unit,
            "vintage": self.vintage,
            "expected": _num(self.expected),
            "found": _num(self.found),
            "tolerance": self.tolerance,
            "message": self.message,
            "figures": json_safe({str(k): v for k, v in self.figures.items()}),
            "related": list(self.related),
        }


def _num(value: Any) -> float | None:
    if value is None:
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value)


def from_frame(frame: pd.DataFrame) -> list[Finding]:
    """Findings from a frame with :data:`FINDING_COLUMNS` (one object per row: the audit's output step)."""
    if frame.empty:
        return []
    rows = frame.reindex(columns=list(FINDING_COLUMNS)).astype(object).to_dict(orient="records")
    return [
        Finding(
            rule=str(r["rule"]),
            severity=r["severity"],
            indicator=str(r["indicator"]),
            message=str(r["message"]),
            geo=_text(r["geo"]),
            period=_text(r["period"]),
            dims=_text(r["dims"]) or "",
            sources=tuple(r["sources"]) if isinstance(r["sources"], list | tuple) else (),
            expected=_num(r["expected"]),
            found=_num(r["found"]),
            tolerance=_text(r["tolerance"]) or "",
            figures=dict(r["figures"]) if isinstance(r["figures"], Mapping) else {},
            related=tuple(r["related"]) if isinstance(r["related"], list | tuple) else (),
            unit=_text(r["unit"]) or "",
            vintage=_text(r["vintage"]),
        )
        for r in rows
    ]


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """The findings as a table (sources and related indicators joined by commas).

    >>> findings_frame([Finding("gap", "info", "17-8-1", "no value for 2014", geo="KAZ")])[["rule", "geo"]]
      rule  geo
    0  gap  KAZ
    """
    records = [f.to_dict() for f in findings]
    if not records:
        return pd.DataFrame(columns=list(Finding("", "info", "", "").to_dict()))
    out = pd.DataFrame.from_records(records)
    out["sources"] = out["sources"].map(", ".join)
    out["related"] = out["related"].map(", ".join)
    return out


def summarise(findings: Iterable[Finding]) -> pd.DataFrame:
    """Counts by rule and severity (columns ``error``, ``warning``, ``info``, ``total``), rules in :data:`RULES` order.

    >>> s = summarise([Finding("gap", "info", "a", "m"), Finding("jump", "warning", "a", "m")])
    >>> s.loc["jump"].tolist()
    [0, 1, 0, 1]
    """
    counts = pd.DataFrame([(f.rule, f.severity) for f in findings], columns=["rule", "severity"])
    table = pd.crosstab(counts["rule"], counts["severity"]) if len(counts) else pd.DataFrame()
    table = table.reindex(index=[r for r in RULES if r in table.index], columns=list(SEVERITIES), fill_value=0)
    table = table.astype(int)
    table["total"] = table.sum(axis=1)
    table.index.name = "rule"
    table.columns.name = None
    return table
