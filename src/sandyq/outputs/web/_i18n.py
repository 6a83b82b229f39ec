"""Interface languages: message catalogs (``.po``) and locale-aware numbers and dates.

Every UI string is an English msgid in ``locale/{kk,ru,en}/LC_MESSAGES/messages.po``.
The catalogs are read at start-up with :func:`babel.messages.pofile.read_po`
and turned into gettext translations in memory (no compile step, no ``.mo``
files in the package).  Names of indicators, regions and programmes are not
here: they come from the metadata (``Text.get(language)``).

>>> gettext("kk", "Targets"), gettext("ru", "Targets"), gettext("en", "Targets")
('Нысаналар', 'Цели', 'Targets')
>>> fmt_number(1234567.891, "ru", 1), fmt_number(1234567.891, "en", 1), fmt_number(0.5, "kk", 2)
('1\\xa0234\\xa0567,9', '1,234,567.9', '0,50')
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from ...settings import LANGUAGES

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "catalog",
    "fmt_date",
    "fmt_number",
    "gettext",
    "ngettext",
    "translations",
]

#: Each language's name in itself, for the language switcher.
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def _po_path(language: str) -> Any:
    return resources.files("sandyq") / "outputs" / "web" / "locale" / language / "LC_MESSAGES" / "messages.po"


@functools.cache
def catalog(language: str) -> Catalog:
    """The message catalog of ``language`` as read from its ``.po`` file."""
    with _po_path(language).open("rb") as fh:
        return read_po(fh, locale=language, domain="messages")


@functools.cache
def translations(language: str) -> Translations:
    """gettext translations for ``language``, built in memory from its catalog."""
    buf = io.BytesIO()
    write_mo(buf, catalog(language), use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf, domain="messages")


def gettext(language: str, message: str) -> str:
    """``message`` in ``language`` (the msgid itself if the catalog has no translation)."""
    return str(translations(language).gettext(message))


def ngettext(language: str, singular: str, plural: str, n: int) -> str:
    return str(translations(language).ngettext(singular, plural, n))


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def fmt_number(value: Any, language: str, decimals: int | None = None) -> str:
    """A number in the locale's style (``""`` for missing); ``decimals`` fixes the decimal places.

    Without ``decimals`` up to three significant decimals are kept for small
    numbers and none for large ones.
    """
    if value is None:
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return ""
    if decimals is None:
        a = abs(x)
        decimals = 0 if a >= 1000 else 1 if a >= 100 else 2 if a >= 1 else 3
        pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(x, format=pattern, locale=_locale(language)))


def fmt_date(value: Any, language: str) -> str:
    """A date in the locale's medium style (``""`` for missing)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(format_date(value, format="medium", locale=_locale(language)))
