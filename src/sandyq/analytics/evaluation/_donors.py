"""Which units a treated country or region is compared with: a peer group, a list, or all units of its kind.

A country is compared with other countries (World Bank aggregates never: they contain the treated country), a
region of Kazakhstan with the other regions.  Peer groups are the bundled ``content/geography/peer_groups.csv``
(read here for their members only; the dashboard reads the same file for its names and order).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence
from importlib import resources

from ...errors import NotFoundError, UsageError
from ...framework import Framework

__all__ = ["donor_pool", "peer_group_members"]


@functools.cache
def peer_group_members() -> dict[str, tuple[str, ...]]:
    """Members of each bundled peer group, by group id.

    >>> peer_group_members()["central-asia"]
    ('KAZ', 'KGZ', 'TJK', 'TKM', 'UZB')
    """
    text = (resources.files("sandyq") / "content" / "geography" / "peer_groups.csv").read_text(encoding="utf-8")
    return {r["id"]: tuple(c for c in r["members"].split(";") if c) for r in csv.DictReader(io.StringIO(text))}


def donor_pool(framework: Framework, treated: str, donors: str | Sequence[str] | None) -> tuple[str, list[str] | None]:
    """The treated unit's canonical code and its donors (None: every unit of its kind with data).

    ``donors`` is a peer group id, ``regions`` (the other regions of Kazakhstan), ``countries``, or codes.
    """
    geo = framework.geography
    code = geo.resolve(treated)
    if code is None:
        raise NotFoundError(f"geography {treated!r} is unknown")
    unit = geo.get(code)
    if unit.kind == "aggregate":
        raise UsageError(f"{code} is an aggregate of countries; evaluate a country or a region")
    if donors is None:
        if unit.kind == "region":
            return code, [r.code for r in geo.regions("KAZ") if r.code != code]
        return code, None
    if isinstance(donors, str):
        groups = peer_group_members()
        if donors in groups:
            return code, [c for c in groups[donors] if c != code]
        if donors == "regions":
            return code, [r.code for r in geo.regions("KAZ") if r.code != code]
        if donors == "countries":
            return code, None
        donors = [d.strip() for d in donors.split(",") if d.strip()]
        if len(donors) == 1 and geo.resolve(donors[0]) is None:
            known = ", ".join([*groups, "regions", "countries"])
            raise NotFoundError(f"donors {donors[0]!r}: not a peer group ({known}) nor a geography code")
    resolved = []
    for d in donors:
        c = geo.resolve(d)
        if c is None:
            raise NotFoundError(f"donor {d!r} is not a known geography")
        if c != code:
            resolved.append(c)
    return code, resolved
