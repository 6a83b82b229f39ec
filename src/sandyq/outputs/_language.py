"""The language checker: runs of English words left in Kazakh or Russian text.

A page or a command run in ``kk`` or ``ru`` should read in that language.  What may
stay in Latin script is a code (``IT.NET.USER.ZS``, ``17-8-1``, ``CSV``), a number,
a proper name (``World Development Indicators``, ``Gapminder Systema Globalis``),
a quotation (in «», “” or "") and anything the page marks as code, citation,
quotation or not to be translated (``<code>``, ``<cite>``, ``<q>``,
``translate="no"``).  Everything else that forms a run of three or more English
words is reported: it is an untranslated sentence.  Text marked ``lang="en"`` is
still reported: the mark is honest, but the reader still meets English.

>>> english_runs("Болжам: Projected 97.83 in 2028 at the current rate")
['Projected 97.83 in 2028 at the current rate']
>>> english_runs("Дереккөз: World Development Indicators (IT.NET.USER.ZS), «Digital literacy level at 85.3%»")
[]
>>> english_runs_html('<p>Источник: <cite lang="en">Growing welfare of Kazakh citizens</cite></p>', "ru")
[]
>>> english_runs_html('<p>Почему: <span lang="en">the value moved from 3324 to 5322</span></p>', "ru")
['the value moved from 3324 to 5322']
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["english_runs", "english_runs_html"]

#: Elements whose text is code, a quotation, a citation or not shown: never checked.
_SKIPPED = {"script", "style", "code", "kbd", "samp", "pre", "cite", "q", "blockquote", "var", "template"}
#: Elements that end a run of words (block boundaries and table cells).
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "dt", "dd", "dl", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "nav", "main", "aside", "br", "option", "select", "button", "label",
    "summary", "details", "figcaption", "caption", "title", "text", "tspan", "textarea",
}  # fmt: skip
_VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col", "embed", "param", "track"}

#: Lower-case words allowed inside a proper name ("Our World in Data", "Bureau of National Statistics").
_CONNECTORS = {"of", "and", "the", "for", "in", "on", "at", "to", "by", "de", "la", "du", "und", "&"}
#: Names written in lower case.
_LOWER_NAMES = {"sandyq"}

_QUOTED = re.compile(r"«[^»\n]*»|“[^”\n]*”|„[^“”\n]*[“”]|\"[^\"\n]*\"")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_WORD = re.compile(r"^[A-Za-z]+(?:['’][A-Za-z]+)?(?:-[A-Za-z]+)*$")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_BOX = re.compile(r"[\u2500-\u257F|]")
_STRIP = ".,;:!?()[]{}«»\"“”„'‘’…*·"


def _kind(token: str) -> str:
    """``latin`` (an English word), ``stop`` (a word of another script: ends a run) or ``neutral``."""
    if _BOX.search(token):
        return "stop"  # a table border: cells are separate texts
    core = token.strip(_STRIP)
    if not core:
        return "neutral"
    if _CYRILLIC.search(core):
        return "stop"
    if not _WORD.match(core) or core in _LOWER_NAMES:
        return "neutral"  # a number, a code (dots, digits, underscores, slashes) or a lower-case name
    if len(core) > 1 and core.isupper():
        return "neutral"  # an acronym: CSV, JSON, WDI, ITU
    return "latin"


def _is_name(words: list[str]) -> bool:
    """Whether a run is a proper name: every word capitalised except connectors, first and last capitalised."""
    core = [w.strip(_STRIP) for w in words]
    if not (core[0][:1].isupper() and core[-1][:1].isupper()):
        return False
    return all(w[:1].isupper() or w.lower() in _CONNECTORS for w in core)


def english_runs(text: str, *, min_words: int = 3) -> list[str]:
    """Runs of at least ``min_words`` English words in ``text``, outside codes, names and quotations.

    Numbers and codes inside a run do not break it ("Projected 97.83 in 2028");
    a word in Cyrillic and a table border (``│``) do.  Lines are separate: a run never crosses a line break.
    """
    found: list[str] = []
    for line in _URL.sub(" ", _QUOTED.sub(" ", text)).splitlines():
        run: list[str] = []  # the tokens of the current run, neutral ones included
        words: list[str] = []
        for token in [*line.split(), "\u0416"]:  # a Cyrillic sentinel closes the last run
            kind = _kind(token)
            if kind == "latin":
                run.append(token)
                words.append(token)
            elif kind == "neutral" and run:
                run.append(token)
            elif kind == "stop":
                if len(words) >= min_words and not _is_name(words):
                    found.append(" ".join(run))
                run, words = [], []
    return found


class _Text(HTMLParser):
    """The visible text of a page, one line per block, without skipped elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) of open elements
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        skipped = tag in _SKIPPED or dict(attrs).get("translate") == "no"
        if tag in _BLOCKS or skipped:
            self.parts.append("\n")
        if tag not in _VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                was_skipped = self.stack[k][1]
                del self.stack[k:]
                if tag in _BLOCKS or was_skipped:
                    self.parts.append("\n")
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.parts.append(data.replace("\n", " "))


def english_runs_html(page: str, language: str, *, min_words: int = 3) -> list[str]:
    """:func:`english_runs` over the visible text of an HTML ``page`` in ``language`` (``kk`` or ``ru``).

    Elements marked ``translate="no"`` (a name shown in another language on purpose) and code,
    citation and quotation elements (``code``, ``pre``, ``cite``, ``q``, ``blockquote``) are left out,
    as are scripts and styles.  ``language`` is the page's language; only ``kk`` and ``ru`` are checked.
    """
    if language not in ("kk", "ru"):
        return []
    parser = _Text()
    parser.feed(page)
    parser.close()
    return english_runs("".join(parser.parts), min_words=min_words)
