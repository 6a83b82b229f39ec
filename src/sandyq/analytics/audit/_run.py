"""Run the consistency audit over a store: every rule family, vectorised, in one pass over the data."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

import pandas as pd

from ...errors import InvalidValueError, NotFoundError
from ...framework import as_of_bound
from ..reader import Reader
from ._bounds import check_bounds
from ._breaks import check_breaks
from ._data import AuditData, AuditOptions, read_data
from ._declared import check_declared
from ._derived import check_derived, growth_links
from ._duplicates import check_duplicates
from ._finding import FINDING_COLUMNS, RULES, SEVERITIES, Finding, from_frame
from ._ranges import check_ranges
from ._targets import check_targets
from ._totals import check_totals

__all__ = ["FAMILIES", "audit"]

#: Rule families, each a function of the audited data returning a findings frame.
FAMILIES: dict[str, Callable[[AuditData], pd.DataFrame]] = {
    "derived": check_derived,
    "totals": check_totals,
    "ranges": check_ranges,
    "duplicates": check_duplicates,
    "breaks": check_breaks,
    "bounds": check_bounds,
    "declared": check_declared,
    "targets": check_targets,
}


def audit(
    monitor: Reader,
    indicator: str | None = None,
    *,
    geo: str | None = None,
    source: str | None = None,
    rules: Iterable[str] | None = None,
    severity: str = "info",
    as_of: date | datetime | str | None = None,
    options: AuditOptions | None = None,
) -> list[Finding]:
    """Every consistency finding on the store, most serious first.

    ``indicator`` keeps the findings about that indicator or that use it as an
    input (a Table 2 growth rate when asking about ICT costs); ``geo`` those about
    that geography; ``source`` those involving that source; ``rules`` those of the named rules (:data:`RULES`), rule
    families (:data:`FAMILIES`) or declared rules (their ids); ``severity`` the findings at least that serious.
    The whole store is read once (as of ``as_of``), so the rules see every input.

    >>> import sandyq
    >>> with sandyq.connect(":memory:") as m:
    ...     audit(m)
    []
    """
    _check_arguments(monitor, indicator, severity, as_of)
    declared = [r for r in rules or () if r in monitor.framework.rules and r not in RULES and r not in FAMILIES]
    named = None if rules is None else [r for r in rules if r not in declared]
    wanted = _rules(None if named is None else named + ["declared_rule", "not_assessed"] * bool(declared))
    options = options or AuditOptions()
    subset = None if indicator is None else _relevant(monitor, indicator)
    data = read_data(monitor.store, monitor.framework, options, as_of=as_of, indicators=subset)
    families = {RULES[r][0] for r in wanted}
    frames = [check(data) for name, check in FAMILIES.items() if name in families]
    frames = [f for f in frames if len(f)]
    if not frames:
        return []
    # unit and vintage are stamped below from the framework and the store, whatever a check says; leaving them
    # out of the concatenation also keeps a check without them (all-NA after reindexing) from deciding a dtype.
    columns = [c for c in FINDING_COLUMNS if c not in ("unit", "vintage")]
    out = pd.concat([f.reindex(columns=columns) for f in frames], ignore_index=True)
    keep = out["rule"].isin(wanted) & out["severity"].isin(SEVERITIES[: SEVERITIES.index(severity) + 1])
    keep &= _about(out, monitor, indicator, geo, source)
    if declared and not {"declared", "declared_rule", "not_assessed"} & set(rules or ()):
        keep &= ~out["rule"].isin(["declared_rule", "not_assessed"]) | out["figures"].map(
            lambda f: isinstance(f, dict) and f.get("rule") in declared
        )
    return from_frame(_most_serious_first(_stamp(out[keep].reset_index(drop=True), data)))


def _check_arguments(
    monitor: Reader, indicator: str | None, severity: str, as_of: date | datetime | str | None
) -> None:
    """Fail early on an unknown indicator or severity, or an unreadable ``as_of``."""
    if indicator is not None:
        monitor.framework.indicator(indicator)
    if severity not in SEVERITIES:
        raise NotFoundError(f"unknown severity {severity!r} (use one of {', '.join(SEVERITIES)})")
    try:
        as_of_bound(as_of)
    except ValueError as exc:
        raise InvalidValueError(f"as of: {exc}") from None


def _about(out: pd.DataFrame, monitor: Reader, indicator: str | None, geo: str | None, source: str | None) -> pd.Series:
    """Which findings are about ``indicator`` (or use it), ``geo`` and ``source``; every filter left None keeps all."""
    keep = pd.Series(True, index=out.index)
    if indicator is not None:
        uses = out["related"].map(lambda r: indicator in r if isinstance(r, tuple) else False)
        keep &= (out["indicator"] == indicator) | uses
    if geo is not None:
        code = monitor.framework.geography.resolve(geo)
        if code is None:
            raise NotFoundError(f"unknown geography {geo!r}")
        keep &= out["geo"] == code
    if source is not None:
        keep &= out["sources"].map(lambda s: source in s if isinstance(s, tuple) else False)
    return keep


def _most_serious_first(out: pd.DataFrame) -> pd.DataFrame:
    """The findings by severity, then rule (in :data:`RULES` order), indicator, geography, dims and period."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    rule_order = {r: i for i, r in enumerate(RULES)}
    out = out.assign(_s=out["severity"].map(order), _r=out["rule"].map(rule_order), _p=out["period"].astype(str))
    out = out.sort_values(["_s", "_r", "indicator", "geo", "dims", "_p"], kind="stable")
    return out.drop(columns=["_s", "_r", "_p"])


def _relevant(monitor: Reader, indicator: str) -> list[str]:
    """``indicator``, the inputs it is derived from, and the indicators derived from it: all a rule can need."""
    links: list[tuple[str, tuple[str, ...]]] = [
        (i.id, (i.formula.numerator, i.formula.denominator))
        for i in monitor.framework.indicators.values()
        if i.formula is not None
    ]
    links += [(row.indicator, (row.base,)) for row in growth_links(monitor.framework).itertuples(index=False)]
    links += [(i, tuple(rule.indicators())) for rule in monitor.framework.rules.values() for i in rule.indicators()]
    wanted = {indicator}
    for derived, inputs in links:  # loops over linked indicators
        if derived == indicator:
            wanted.update(inputs)
        if indicator in inputs:
            wanted.update((derived, *inputs))
    return sorted(wanted)


def _stamp(out: pd.DataFrame, data: AuditData) -> pd.DataFrame:
    """Add each finding's unit (the indicator's) and vintage (its observation's, else its series' latest)."""
    units = {i: ind.unit for i, ind in data.framework.indicators.items()}
    out["unit"] = out["indicator"].map(units).fillna("")
    key = ["indicator", "geo", "period", "dims", "source"]
    out["source"] = out["sources"].map(lambda s: s[0] if isinstance(s, tuple) and s else None)
    obs = data.obs[[*key, "vintage"]]
    exact = out[key].merge(obs, on=key, how="left")["vintage"]
    latest = obs.groupby(["indicator", "source"])["vintage"].max().rename("latest").reset_index()
    fallback = out[["indicator", "source"]].merge(latest, on=["indicator", "source"], how="left")["latest"]
    vintage = pd.to_datetime(exact.fillna(fallback).to_numpy())
    out["vintage"] = pd.Series(vintage.strftime("%Y-%m-%d"), index=out.index).where(~vintage.isna(), None)
    return out.drop(columns="source")


def _rules(rules: Iterable[str] | None) -> list[str]:
    if rules is None:
        return list(RULES)
    chosen: list[str] = []
    for name in rules:
        if name in RULES:
            chosen.append(name)
        elif name in FAMILIES:
            chosen += [r for r, (family, _) in RULES.items() if family == name]
        else:
            known = ", ".join([*RULES, *FAMILIES])
            raise NotFoundError(f"unknown audit rule {name!r} (known rules and families: {known})")
    return list(dict.fromkeys(chosen))
