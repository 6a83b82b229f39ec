"""The search box: one index over indicators, targets, regions and glossary terms, in kk, ru and en.

:func:`search_index` lists every searchable item with its names in the three
languages and the page it links to (a path below the language folder, so one
index serves every language).  :func:`fold` makes text comparable whatever the
case, the diacritics or the keyboard: Kazakh letters are folded to their Russian
look-alikes (``ә``→``а``, ``қ``→``к``, ``і``→``и`` ...), because a reader typing
on a Russian layout writes "Казакстан" for "Қазақстан" (and Latin ``i`` for ``і``).  :func:`search` ranks
the items for a query; the server's ``/<lang>/search/`` page uses it and the
browser does the same with ``data/search.json`` (the index, pre-folded, with the
fold table, so the static site searches without a server).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ...framework import terms
from ._data import Dashboard

__all__ = ["FOLD", "KINDS", "fold", "search", "search_index"]

#: Kazakh (and a few Russian) letters and what they fold to, so either spelling finds the other.
FOLD = {
    "ә": "а",
    "і": "и",
    "ң": "н",
    "ғ": "г",
    "ү": "у",
    "ұ": "у",
    "қ": "к",
    "ө": "о",
    "һ": "х",
    "ё": "е",
    "й": "и",
    "i": "и",  # Latin i, often typed for і (both sides are folded, so English words still match English names)
}

#: The kinds of items, in the order results list them.
KINDS = ("indicator", "target", "region", "term")

_LANGS = ("kk", "ru", "en")


def fold(text: str) -> str:
    """Lower case, without diacritics, Kazakh letters folded to Russian ones, spaces squeezed.

    >>> fold("Қазақстан Республикасы")
    'казакстан республикасы'
    >>> fold("Ақмола облысы") == fold("Акмола   ОБЛЫСЫ")
    True
    >>> fold("Côte"), fold("Ёлка"), fold("Интернеттi") == fold("интернетті")
    ('cote', 'елка', True)
    """
    lowered = text.casefold()
    folded = "".join(FOLD.get(ch, ch) for ch in lowered)
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return " ".join(plain.split())


def _item(kind: str, ident: str, names: dict[str, str], url: str, extra: str = "") -> dict[str, Any]:
    haystack = " ".join(dict.fromkeys([ident, *names.values(), extra]))
    return {"k": kind, "id": ident, "n": names, "u": url, "h": fold(haystack)}


def search_index(dash: Dashboard) -> list[dict[str, Any]]:
    """Every searchable item: kind ``k``, ``id``, names ``n`` by language, page ``u``, folded text ``h``."""
    fw = dash.framework
    items = [
        _item("indicator", i.id, {lg: i.name.get(lg) for lg in _LANGS}, f"indicator/{i.id}/")
        for i in fw.indicators.values()
    ]
    for prog in fw.programmes.values():
        for target in prog.targets():
            ind = fw.indicators.get(target.indicator)
            desc = target.description
            names = {lg: (desc.get(lg) if desc else "") or (ind.name.get(lg) if ind else target.id) for lg in _LANGS}
            extra = " ".join(ind.name.get(lg) for lg in _LANGS) if ind else ""
            items.append(_item("target", target.id, names, f"targets/#target-{target.id}", extra))
    for unit in fw.geography.regions():
        names = {lg: unit.name.get(lg) for lg in _LANGS}
        items.append(_item("region", unit.code, names, f"regions/?region={unit.code}"))
    for term in fw.glossary.values():
        items.append(_item("term", term.id, {lg: term.name.get(lg) for lg in _LANGS}, f"glossary/#{term.id}"))
    for t in terms().values():
        items.append(_item("term", t.id, {lg: t.name.get(lg) for lg in _LANGS}, f"glossary/#term-{t.id}"))
    return items


def _score(item: dict[str, Any], words: list[str], query: str, language: str) -> int:
    """Higher is better; 0 when a word of the query is missing."""
    hay = item["h"]
    if not all(w in hay for w in words):
        return 0
    name = fold(item["n"].get(language, ""))
    score = 1
    if fold(item["id"]) == query:
        score += 100
    if name.startswith(query):
        score += 50
    elif query in name:
        score += 20
    score += sum(5 for w in words if f" {w}" in f" {hay}")  # words matched at a word start
    return score + (10 - KINDS.index(item["k"]) * 2)


def search(items: list[dict[str, Any]], query: str, language: str = "en", limit: int = 50) -> list[dict[str, Any]]:
    """The items matching every word of ``query`` (folded), best first: id, then name start, then word starts.

    >>> items = [_item("region", "KZ-AKM", {"kk": "Ақмола облысы", "ru": "Акмолинская область",
    ...     "en": "Akmola Region"}, "regions/?region=KZ-AKM")]
    >>> [i["id"] for i in search(items, "акмола", "ru")], [i["id"] for i in search(items, "AKMOLA")]
    (['KZ-AKM'], ['KZ-AKM'])
    >>> search(items, "almaty")
    []
    """
    query = fold(query)
    words = query.split()
    if not words:
        return []
    scored = [(_score(it, words, query, language), n, it) for n, it in enumerate(items)]
    return [it for s, _, it in sorted((x for x in scored if x[0] > 0), key=lambda x: (-x[0], x[1]))][:limit]
