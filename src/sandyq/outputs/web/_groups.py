"""Peer groups that matter to Kazakhstan, offered first when comparing: Central Asia, EAEU, CIS, UMC, OECD.

The groups are content (``content/geography/peer_groups.csv``, membership,
date and source of each), not code, so a change of membership is an edit of
one row.  A group may also name a World Bank aggregate (``UMC``, ``OED``)
whose own series is drawn beside its members where the indicator has it.
For one indicator, :func:`groups_with_data` keeps the members that have values.

>>> [g.id for g in peer_groups()]
['central-asia', 'eaeu', 'cis', 'umc', 'oecd']
>>> peer_groups()[0].members
('KAZ', 'KGZ', 'TJK', 'TKM', 'UZB')
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ...errors import FrameworkError

__all__ = ["PeerGroup", "groups_with_data", "peer_groups"]

#: Most lines a group adds to a chart; a bigger group is drawn as its members' median.
MAX_LINES = 7
_COLUMNS = ("id", "name_en", "name_ru", "name_kk", "aggregate", "members", "as_of", "source")


@dataclass(frozen=True)
class PeerGroup:
    """A named group of countries, in the order it is offered, with where its membership comes from."""

    id: str
    names: dict[str, str]
    aggregate: str | None
    members: tuple[str, ...]
    as_of: str
    source: str

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


@functools.cache
def peer_groups() -> tuple[PeerGroup, ...]:
    """The bundled peer groups, in the file's order (the order they are offered in)."""
    text = (resources.files("sandyq") / "content" / "geography" / "peer_groups.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or tuple(rows[0]) != _COLUMNS:
        raise FrameworkError(f"peer_groups.csv: expected the columns {', '.join(_COLUMNS)}")
    return tuple(
        PeerGroup(
            id=r["id"],
            names={lang: r[f"name_{lang}"] for lang in ("en", "ru", "kk")},
            aggregate=r["aggregate"] or None,
            members=tuple(c for c in r["members"].split(";") if c),
            as_of=r["as_of"],
            source=r["source"],
        )
        for r in rows
    )


def groups_with_data(available: set[str], language: str, exclude: str = "KAZ") -> list[dict[str, Any]]:
    """Each group as the indicator page offers it, without ``exclude`` (the country compared).

    A group is drawn as its World Bank aggregate where the indicator has one,
    else as its members with data; a group of more than :data:`MAX_LINES`
    members is drawn as their median (``median: True``), since a chart of 38
    lines shows nothing.

    >>> g = groups_with_data({"KAZ", "KGZ", "UZB", "UMC", "RUS"}, "ru")
    >>> [(x["id"], x["geos"]) for x in g]
    [('central-asia', ['KGZ', 'UZB']), ('eaeu', ['KGZ', 'RUS']), ('cis', ['KGZ', 'RUS', 'UZB']), ('umc', ['UMC'])]
    >>> g[0]["name"], g[0]["median"]
    ('Центральная Азия', False)
    """
    out = []
    for group in peer_groups():
        members = [c for c in group.members if c in available and c != exclude]
        if group.aggregate and group.aggregate in available:
            members = [group.aggregate]
        if members:
            out.append(
                {
                    "id": group.id,
                    "name": group.name(language),
                    "geos": members,
                    "median": len(members) > MAX_LINES,
                    "source": f"{group.source} ({group.as_of})",
                }
            )
    return out
