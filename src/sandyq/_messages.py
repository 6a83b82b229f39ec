"""Sentences the analysis composes, in Kazakh, Russian and English: :class:`Message` and :func:`say`.

The analytics layer cannot import the dashboard's catalogs (layers call only
downwards), yet its sentences — a target's status reason, "No projection: …" —
are read on Kazakh and Russian pages.  So a sentence is a :class:`Message`: a
``str`` that reads in English (every existing field, test and JSON answer keeps
its English text) and remembers its msgid and named parameters, so that an
output can say it again in the reader's language with :meth:`Message.to`.

The msgid is the English template itself, with named placeholders.  Numbers are
formatted per locale with Babel (``0,5`` and ``300 000`` in ``ru``); an ``int``
(a year, a count) is written plainly.  A parameter may itself be a Message, said
in the same language.  A placeholder ``{n:plural:form1|form2|…}`` picks the
plural form by the language's CLDR plural rule (Babel's ``Locale.plural_form``).

>>> m = say("en", "No projection: one observation only ({year}).", year=2019)
>>> m.to("ru"), m.to("kk")
('Прогноза нет: только одно наблюдение (2019).', 'Болжам жоқ: бір ғана бақылау бар (2019).')
>>> say("ru", "{value} a year", value=25000.0), say("en", "{value} a year", value=25000.0)
('25\\xa0000 в год', '25,000 a year')
>>> [say("ru", "left out {n} {n:plural:unit|units}", n=n) for n in (1, 3, 5)]
['не учтено: 1 единица', 'не учтено: 3 единицы', 'не учтено: 5 единиц']
>>> m = Message("Projected {value} in {year} ({h} {h:plural:year|years} after the latest value).",
...             {"value": 97.91, "year": 2028, "h": 5})
>>> m.to("ru")
'Прогноз на 2028 год: 97,91 (через 5 лет после последнего значения).'
>>> m.to("kk")
'2028 жылға болжам: 97,91 (соңғы мәннен кейін 5 жыл).'
"""

from __future__ import annotations

import functools
import math
import re
import string
from typing import Any

__all__ = ["CATALOG", "Message", "add_sentence", "joined", "number", "recognised", "said", "say", "translated"]

#: Translations of each msgid (the English template) into kk and ru.  A ``{n:plural:…}`` field lists the
#: plural forms in the order of Babel's plural rule: ru one|few|many(|other), kk one|other.
CATALOG: dict[str, dict[str, str]] = {}


def add_sentence(en: str, ru: str, kk: str) -> None:
    """Put a sentence in the catalog: its English template (the msgid) with its Russian and Kazakh forms."""
    CATALOG[en] = {"ru": ru, "kk": kk}


_add = add_sentence


_FORMS = {"en": ("one", "other"), "ru": ("one", "few", "many", "other"), "kk": ("one", "other")}


def _plural_index(language: str, n: float) -> int:
    from babel import Locale

    form = Locale.parse(language).plural_form(abs(n))
    forms = _FORMS.get(language, _FORMS["en"])
    return forms.index(form) if form in forms else len(forms) - 1


def number(language: str, x: float | None, spec: str = "") -> str:
    """A number as the analysis writes it: up to 4 significant digits, grouped from 10,000; ``spec`` '+' signs it.

    A spec with a precision (``.2f``, ``+.2f``) fixes the decimals.

    >>> number("en", 300000.0), number("en", 0.05951), number("ru", 0.05951), number("kk", 1234.5, "+.2f")
    ('300,000', '0.05951', '0,05951', '+1\\xa0234,50')
    """
    if x is None or not math.isfinite(x):
        return {"ru": "н/д", "kk": "д/ж"}.get(language, "n/a")
    sign = "+" if spec.startswith("+") and x >= 0 else ""
    fixed = re.search(r"\.(\d+)f", spec)
    if re.search(r"\.\d+g", spec):  # significant digits, as Python writes them, with the locale's decimal sign
        text = f"{x:{spec}}"
        return text if language == "en" or language not in _FORMS else text.replace(".", ",")
    if language == "en" or language not in _FORMS:
        if fixed:
            return f"{x:{spec}}"
        text = f"{x:,.0f}" if abs(x) >= 10000 else f"{x:.4g}"
        return sign + text
    from babel.numbers import format_decimal

    if fixed:
        d = int(fixed.group(1))
        pattern = "#,##0" + ("." + "0" * d if d else "")
        return sign + format_decimal(x, format=pattern, locale=language)
    if abs(x) >= 10000:
        return sign + format_decimal(round(x), format="#,##0", locale=language)
    text = f"{x:.4g}"
    if "e" in text:
        return sign + text
    return sign + text.replace(".", ",")


class _Formatter(string.Formatter):
    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            forms = format_spec[len("plural:") :].split("|")
            return forms[min(_plural_index(self.language, float(value)), len(forms) - 1)]
        if isinstance(value, Message):
            return value.to(self.language)
        if not isinstance(value, str | dict) and callable(getattr(value, "get", None)):
            return str(value.get(self.language))  # a trilingual text of the framework (a name, a note)
        if isinstance(value, bool | str):
            return str(value)
        if isinstance(value, int) and not format_spec:
            return str(value) if abs(value) < 10000 else number(self.language, float(value))
        if isinstance(value, int | float):
            return number(self.language, float(value), format_spec)
        return super().format_field(value, format_spec)


class Message(str):
    """A sentence: reads as its English text, and can be said in kk or ru with :meth:`to`."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any] | None = None) -> Message:
        params = dict(params or {})
        obj = super().__new__(cls, _render(msgid, "en", params))
        obj.msgid, obj.params = msgid, params
        return obj

    def __reduce__(self) -> Any:
        return (Message, (self.msgid, self.params))

    def to(self, language: str, **override: Any) -> str:
        """The sentence in ``language`` (English for an unknown language or msgid); ``override`` replaces params."""
        return _render(self.msgid, language, {**self.params, **override})

    def __add__(self, other: str) -> Message:
        """Joining two sentences keeps both translatable."""
        return Message("{a}{b}", {"a": self, "b": other})

    def __radd__(self, other: str) -> Message:
        return Message("{a}{b}", {"a": other, "b": self})


def _render(msgid: str, language: str, params: dict[str, Any]) -> str:
    template = CATALOG.get(msgid, {}).get(language, msgid) if language != "en" else msgid
    return _Formatter(language).vformat(template, (), params)


def say(language: str, msgid: str, **params: Any) -> Message:
    """The sentence ``msgid`` with ``params``; it reads in English and :func:`translated` says it in ``language``.

    The returned :class:`Message` is a str in English, so it can be stored in any English field;
    ``str(say(...).to(language))`` is the sentence in ``language``.  ``say("ru", ...)`` returns the message whose
    text is already Russian when used through :func:`translated`.

    >>> say("kk", "No projection: there are no data.").to("kk")
    'Болжам жоқ: деректер жоқ.'
    """
    message = Message(msgid, params)
    return message if language == "en" else _Said(message, language)


class _Said(Message):
    """A message said in a language other than English: its str is that language's text."""

    def __new__(cls, message: Message, language: str) -> _Said:
        obj = str.__new__(cls, message.to(language))
        obj.msgid, obj.params = message.msgid, message.params
        return obj

    def __reduce__(self) -> Any:
        return (Message, (self.msgid, self.params))


def joined(*parts: Any, sep: str = " ") -> Message:
    """Sentences one after the other (empty parts left out), each still translatable.

    >>> joined(Message("No projection: there are no data."), "", "IT.NET.USER.ZS").to("ru")
    'Прогноза нет: данных нет. IT.NET.USER.ZS'
    """
    kept = [p for p in parts if p]
    keys = {f"p{i}": p for i, p in enumerate(kept)}
    return Message(sep.join("{" + k + "}" for k in keys), keys)


def translated(text: Any, language: str, **override: Any) -> Any:
    """``text`` in ``language`` when it is a :class:`Message`; any other value unchanged.

    >>> translated(Message("No projection: there are no data."), "ru"), translated("IT.NET.USER.ZS", "ru")
    ('Прогноза нет: данных нет.', 'IT.NET.USER.ZS')
    """
    if isinstance(text, Message):
        return text.to(language, **override)
    return text


# ---- reading an English sentence back: text stored before it could carry its msgid ------------------------------
class _Figure:
    """A number as it was printed in English ("9961519", "41.1784", "25,000"): said with the locale's signs."""

    def __init__(self, text: str) -> None:
        self.text = text

    def get(self, language: str) -> str:
        if language not in ("ru", "kk"):
            return self.text
        return self.text.replace(",", "\x00").replace(".", ",").replace("\x00", "\xa0").replace("-", "−")

    def __float__(self) -> float:
        return float(self.text.replace(",", "").replace("−", "-").rstrip("%"))

    def __repr__(self) -> str:
        return self.text


_NUMBER = re.compile(r"[±+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]\d+)?%?")
#: Parameters that are whole texts (a rule's text, a boundary change, a method's parts, a calibration's data).
_FREE = {"text", "change", "why", "basis", "projection", "where"}
_LISTS = {
    "how",
    "left",
    "right",
    "bounds",
    "life",
    "reasons",
    "missing",
    "list",
    "units",
    "ids",
    "listed",
    "others",
    "inputs",
}
_PATTERNS: list[tuple[re.Pattern[str], str, str]] = []  # (regex, msgid, longest literal), longest msgids first
_PATTERNS_OF: list[int] = [0]  # the catalog size the patterns were built for


def _pattern(msgid: str) -> tuple[re.Pattern[str], str] | None:
    """The regex that reads ``msgid``'s English text back, and its longest literal; None if it has too few words."""
    parts, literals, seen = [], [], set()
    for literal, name, spec, _ in string.Formatter().parse(msgid):
        parts.append(re.escape(literal))
        literals.append(literal)
        if name is None:
            continue
        if spec and spec.startswith("plural:"):
            parts.append("(?:" + "|".join(re.escape(f) for f in spec[len("plural:") :].split("|")) + ")")
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)  # a parameter holds no "; " nor ", " (sentences and lists join by them) unless it is a text
            body = ".+?" if name in _FREE else "(?:(?!; ).)+?" if name in _LISTS else "(?:(?!; |, ).)+?"
            parts.append(f"(?P<{name}>{body})")
    if sum(c.isalpha() for c in "".join(literals)) < 4:
        return None  # "{a}{b}", "{id}: {status}": would read any text
    return re.compile("".join(parts), re.DOTALL), max(literals, key=len)


def _patterns() -> list[tuple[re.Pattern[str], str, str]]:
    if _PATTERNS_OF[0] != len(CATALOG):
        built = [(p[0], m, p[1]) for m in CATALOG if (p := _pattern(m)) is not None]
        _PATTERNS[:] = sorted(built, key=lambda t: -len(t[1]))
        _PATTERNS_OF[0] = len(CATALOG)
    return _PATTERNS


def _split(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside brackets ("a (b; c); d" → "a (b; c)", "d")."""
    pieces, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        depth += (c in "([") - (c in ")]")
        if depth <= 0 and text.startswith(sep, i):
            pieces.append(text[start:i])
            start = i = i + len(sep)
            continue
        i += 1
    return [*pieces, text[start:]]


@functools.lru_cache(maxsize=1 << 16)
def _match(text: str, size: int) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """The msgid whose English ``text`` is, and its parameters' texts (``size``: the catalog's, for the cache)."""
    for regex, msgid, literal in _patterns():
        if literal in text and (match := regex.fullmatch(text)) is not None:
            return msgid, tuple(match.groupdict().items())
    return None


def recognised(text: Any, names: Any = None, *, _depth: int = 0) -> Any:
    """``text`` as a :class:`Message` when it is the English of a catalog sentence; anything else unchanged.

    Sentences kept as English text (a load issue in the store, an audit finding in a table, a cached answer) are
    read back into their msgid and parameters, so an output can say them in the reader's language: numbers keep
    their printed digits with the locale's signs, a parameter that is itself a sentence (or sentences joined by
    ``"; "`` or ``", "``) is read back too, and one found in ``names`` (English text → an object with
    ``.get(language)``, e.g. a region's or a rule's trilingual text) is said by it.

    >>> m = recognised("No projection: one observation only (2019).")
    >>> m.msgid, m.to("ru")
    ('No projection: one observation only ({year}).', 'Прогноза нет: только одно наблюдение (2019).')
    >>> recognised("IT.NET.USER.ZS")
    'IT.NET.USER.ZS'
    """
    if not isinstance(text, str) or isinstance(text, Message) or not text or _depth > 4:
        return text
    if names is not None and text in names:
        return names[text]
    if _NUMBER.fullmatch(text):
        return _Figure(text)
    found = _match(text, len(CATALOG))
    if found is not None:
        msgid, groups = found
        return Message(msgid, {k: recognised(v, names, _depth=_depth + 1) for k, v in groups})
    for sep in ("; ", ", "):  # sentences one after the other: each read back, or the text is left as it is
        pieces = _split(text, sep)
        if len(pieces) > 1:
            read = [recognised(p, names, _depth=_depth + 1) for p in pieces]
            known = [r is not p for r, p in zip(read, pieces, strict=True)]
            if any(known) and all(k or not any(c.isalpha() for c in p) for k, p in zip(known, pieces, strict=True)):
                return joined(*read, sep=sep)
    return text


def said(text: Any, language: str, names: Any = None) -> Any:
    """``text`` in ``language``: a :class:`Message` said in it, English catalog text read back and said in it.

    >>> said("No projection: one observation only (2019).", "kk")
    'Болжам жоқ: бір ғана бақылау бар (2019).'
    """
    if language == "en" or not isinstance(text, str):
        return text
    if isinstance(text, Message):
        return text.to(language)
    return translated(recognised(text, names), language)


# fmt: off
# ---- the catalog: English msgid, Russian, Kazakh --------------------------------------------------------------
_add("left out {n} {n:plural:unit|units}", "не учтено: {n} {n:plural:единица|единицы|единиц|единицы}",
     "есепке алынбады: {n} бірлік")

# statuses and directions
_add("target achieved", "цель достигнута", "нысанаға қол жеткізілді")
_add("significant progress", "значительный прогресс", "елеулі ілгерілеу")
_add("moderate progress", "умеренный прогресс", "орташа ілгерілеу")
_add("insufficient progress", "недостаточный прогресс", "ілгерілеу жеткіліксіз")
_add("movement away from the target", "отдаление от цели", "нысанадан алшақтау")
_add("target missed", "цель не достигнута", "нысанаға қол жеткізілмеді")
_add("moderate movement away", "умеренное отдаление", "нысанадан біршама алшақтау")
_add("significant movement away", "значительное отдаление", "нысанадан едәуір алшақтау")
_add("not assessed (no desired direction)", "не оценивается (нет желаемого направления)",
     "бағаланбайды (қалаулы бағыт жоқ)")
_add("insufficient data", "недостаточно данных", "деректер жеткіліксіз")
_add("no data", "нет данных", "деректер жоқ")
_add("higher is better", "чем выше, тем лучше", "неғұрлым жоғары болса, соғұрлым жақсы")
_add("lower is better", "чем ниже, тем лучше", "неғұрлым төмен болса, соғұрлым жақсы")
_add("neutral is better", "без желаемого направления", "қалаулы бағыт жоқ")
_add("Kazakhstan", "Казахстан", "Қазақстан")
# rates and bands
_add("{rate:+.2f} % a year", "{rate:+.2f} % в год", "жылына {rate:+.2f} %")
_add("{rate:+} a year", "{rate:+} в год", "жылына {rate:+}")
_add("{value} a year", "{value} в год", "жылына {value}")
_add("≥ {a}", "≥ {a}", "≥ {a}")
_add("< {a}", "< {a}", "< {a}")
_add("between {a} and {b}", "от {a} до {b}", "{a} мен {b} аралығында")
_add("ratio {r:.2f}", "отношение {r:.2f}", "арақатынас {r:.2f}")
_add("no ratio", "отношение не определено", "арақатынас анықталмайды")
_add("from {x0} in {t0} to {x1} in {t1} ({rate})", "с {x0} в {t0} году до {x1} в {t1} году ({rate})",
     "{t0} жылғы {x0} мәнінен {t1} жылғы {x1} мәніне дейін ({rate})")
_add("reaching {target} by {year} required {rate} from {t0}",
     "для достижения {target} к {year} году требовалось {rate} начиная с {t0} года",
     "{year} жылға қарай {target} деңгейіне жету үшін {t0} жылдан бастап {rate} қажет болды")
# status reasons
_add("The latest annual value {x1} ({t1}) already reaches the {target} a year set for {year}; a flow target "
     "counts as achieved only when the {year} value is reported.",
     "Последнее годовое значение {x1} ({t1}) уже достигает {target} в год, установленных на {year} год; целевой "
     "показатель потока считается достигнутым только после публикации значения за {year} год.",
     "Соңғы жылдық мән {x1} ({t1}) {year} жылға белгіленген жылына {target} деңгейіне жетті; ағын нысанасы "
     "{year} жылғы мән жарияланғанда ғана орындалған болып саналады.")
_add("{flow} One data point shows no trend; progress needs a second.",
     "{flow} Одна точка данных не показывает тренда; для оценки прогресса нужна вторая.",
     "{flow} Бір деректер нүктесі трендті көрсетпейді; ілгерілеуді бағалау үшін екіншісі қажет.")
_add("The value {x1} in the target year {year} meets the target {target}.",
     "Значение {x1} в целевом {year} году соответствует цели {target}.",
     "Нысаналы {year} жылғы {x1} мәні {target} нысанасына сәйкес келеді.")
_add("The value {x1} ({t1}) already meets the target {target} for {year}; a trend needs a second data point.",
     "Значение {x1} ({t1}) уже соответствует цели {target} на {year} год; для тренда нужна вторая точка данных.",
     "{x1} мәні ({t1}) {year} жылға арналған {target} нысанасына сәйкес келеді; тренд үшін екінші деректер "
     "нүктесі қажет.")
_add("Only one data point ({t1}: {x1}); a trend needs at least two.",
     "Только одна точка данных ({t1}: {x1}); для тренда нужно не менее двух.",
     "Тек бір деректер нүктесі бар ({t1}: {x1}); тренд үшін кемінде екеуі қажет.")
_add("No value after the base year {t0} ({x0}), so progress since then cannot be measured yet.",
     "После базового {t0} года ({x0}) значений нет, поэтому прогресс пока измерить нельзя.",
     "Базалық {t0} жылдан ({x0}) кейін мән жоқ, сондықтан ілгерілеуді әзірге өлшеу мүмкін емес.")
_add("The value {x1} in the target year {year} meets the target {target} ({pol}).",
     "Значение {x1} в целевом {year} году соответствует цели {target} ({pol}).",
     "Нысаналы {year} жылғы {x1} мәні {target} нысанасына сәйкес келеді ({pol}).")
_add("The value {x1} in {t1} meets the target {target} ({pol}).",
     "Значение {x1} в {t1} году соответствует цели {target} ({pol}).",
     "{t1} жылғы {x1} мәні {target} нысанасына сәйкес келеді ({pol}).")
_add("The target {target} for {year} was not met: the value was {x1} in {t1}; it moved {moved}, {need} "
     "({ratio}).",
     "Цель {target} на {year} год не достигнута: значение составило {x1} в {t1} году; оно изменилось {moved}, "
     "{need} ({ratio}).",
     "{year} жылға арналған {target} нысанасына қол жеткізілмеді: {t1} жылы мән {x1} болды; ол {moved} өзгерді, "
     "{need} ({ratio}).")
_add("The base year {t0} is not before the target year {year}, so no required rate can be set.",
     "Базовый {t0} год не предшествует целевому {year} году, поэтому требуемый темп определить нельзя.",
     "Базалық {t0} жыл нысаналы {year} жылдан бұрын емес, сондықтан қажетті қарқынды анықтау мүмкін емес.")
_add("The base value {x0} ({t0}) already met the target {target}, but the latest value {x1} ({t1}) no longer "
     "does.",
     "Базовое значение {x0} ({t0}) уже соответствовало цели {target}, но последнее значение {x1} ({t1}) ей больше "
     "не соответствует.",
     "Базалық {x0} мәні ({t0}) {target} нысанасына сәйкес келген еді, бірақ соңғы {x1} мәні ({t1}) енді сәйкес "
     "келмейді.")
_add("The value moved {moved}; {need}. The ratio of observed to required is {ratio:.2f}, {band}: {status}.",
     "Значение изменилось {moved}; {need}. Отношение фактического темпа к требуемому — {ratio:.2f}, {band}: "
     "{status}.",
     "Мән {moved} өзгерді; {need}. Нақты қарқынның қажетті қарқынға арақатынасы — {ratio:.2f}, {band}: {status}.")
_add("The value moved {moved}; the indicator has no preferred direction and no target, so it is not judged.",
     "Значение изменилось {moved}; у индикатора нет желаемого направления и цели, поэтому он не оценивается.",
     "Мән {moved} өзгерді; индикатордың қалаулы бағыты да, нысанасы да жоқ, сондықтан ол бағаланбайды.")
_add("The value moved {moved}; a zero base gives no relative rate.",
     "Значение изменилось {moved}; при нулевой базе относительный темп не определён.",
     "Мән {moved} өзгерді; база нөлге тең болғанда салыстырмалы қарқын анықталмайды.")
_add("No target: the value moved {moved}; in the desired direction ({pol}) that is {rate:+.2f} % a year against "
     "bands of {a:+} % / {b:+} % / {c:+} %: {status}.",
     "Цели нет: значение изменилось {moved}; в желаемом направлении ({pol}) это {rate:+.2f} % в год при порогах "
     "{a:+} % / {b:+} % / {c:+} %: {status}.",
     "Нысана жоқ: мән {moved} өзгерді; қалаулы бағытта ({pol}) бұл жылына {rate:+.2f} %, шектері {a:+} % / "
     "{b:+} % / {c:+} %: {status}.")
_add("The target year {year} has passed but no figure for it is in the data, so this is the pace up to {last}, "
     "not a verdict of met or missed.",
     "Целевой {year} год прошёл, но значения за него в данных нет, поэтому это темп до {last} года, а не вывод о "
     "достижении цели.",
     "Нысаналы {year} жыл өтті, бірақ деректерде ол жылдың мәні жоқ, сондықтан бұл {last} жылға дейінгі қарқын, "
     "нысанаға жеткені не жетпегені туралы қорытынды емес.")
# projections
_add("No projection: {why}.", "Прогноза нет: {why}.", "Болжам жоқ: {why}.")
_add("there are no data", "данных нет", "деректер жоқ")
_add("{year} is not after the latest value ({last})", "{year} год не позже последнего значения ({last})",
     "{year} жыл соңғы мәннен ({last}) кейін емес")
_add("one data point cannot show a trend", "одна точка данных не показывает тренда",
     "бір деректер нүктесі трендті көрсетпейді")
_add("{year} is beyond the projected years", "{year} год за пределами горизонта прогноза",
     "{year} жыл болжам көкжиегінен тыс")
_add("No projection: there are no data.", "Прогноза нет: данных нет.", "Болжам жоқ: деректер жоқ.")
_add("No projection: the series ended with its {year} value.",
     "Прогноза нет: ряд прекратился на значении {year} года.", "Болжам жоқ: қатар {year} жылғы мәнмен тоқтады.")
_add("No projection needed: the data reach the target year {year}.",
     "Прогноз не нужен: данные есть за целевой {year} год.",
     "Болжам қажет емес: деректер нысаналы {year} жылды қамтиды.")
_add("No projection: one observation only ({year}).", "Прогноза нет: только одно наблюдение ({year}).",
     "Болжам жоқ: бір ғана бақылау бар ({year}).")
_add("No projection: {n} observations only ({a} and {b}); at least {m} are needed to see how much the series "
     "varies.",
     "Прогноза нет: только {n} {n:plural:наблюдение|наблюдения|наблюдений|наблюдения} ({a} и {b}); чтобы оценить "
     "изменчивость ряда, нужно не менее {m}.",
     "Болжам жоқ: тек {n} бақылау бар ({a} және {b}); қатардың құбылмалылығын бағалау үшін кемінде {m} қажет.")
_add("No projection: there is no milestone after the latest value.",
     "Прогноза нет: после последнего значения нет промежуточной цели.",
     "Болжам жоқ: соңғы мәннен кейін аралық нысана жоқ.")
_add("Projected {value} in {year} ({h} {h:plural:year|years} after the latest value).",
     "Прогноз на {year} год: {value} (через {h} {h:plural:год|года|лет|года} после последнего значения).",
     "{year} жылға болжам: {value} (соңғы мәннен кейін {h} жыл).")
_add("Projected {value} in {year} ({h} {h:plural:year|years} after the latest value), 95 % interval {lo}–{hi}.",
     "Прогноз на {year} год: {value} (через {h} {h:plural:год|года|лет|года} после последнего значения), "
     "интервал прогноза 95 %: {lo}–{hi}.",
     "{year} жылға болжам: {value} (соңғы мәннен кейін {h} жыл), 95 % болжам аралығы: {lo}–{hi}.")
_add("Projected {value} in {year} ({h} {h:plural:year|years} after the latest value), 95 % interval {lo}–{hi}; "
     "probability of reaching {target}: {p:.0f} %.",
     "Прогноз на {year} год: {value} (через {h} {h:plural:год|года|лет|года} после последнего значения), "
     "интервал прогноза 95 %: {lo}–{hi}; вероятность достичь {target}: {p:.0f} %.",
     "{year} жылға болжам: {value} (соңғы мәннен кейін {h} жыл), 95 % болжам аралығы: {lo}–{hi}; {target} "
     "деңгейіне жету ықтималдығы: {p:.0f} %.")
_add("Projected {value} in {year} ({h} {h:plural:year|years} after the latest value), 95 % interval {lo}–{hi}; "
     "no probability (the spread cannot be estimated from these data).",
     "Прогноз на {year} год: {value} (через {h} {h:plural:год|года|лет|года} после последнего значения), "
     "интервал прогноза 95 %: {lo}–{hi}; вероятности нет (разброс по этим данным оценить нельзя).",
     "{year} жылға болжам: {value} (соңғы мәннен кейін {h} жыл), 95 % болжам аралығы: {lo}–{hi}; ықтималдық "
     "жоқ (бұл деректер бойынша шашырауды бағалау мүмкін емес).")
_add("Projected {value} in {year} ({h} {h:plural:year|years} after the latest value); probability of reaching "
     "{target}: {p:.0f} %.",
     "Прогноз на {year} год: {value} (через {h} {h:plural:год|года|лет|года} после последнего значения); "
     "вероятность достичь {target}: {p:.0f} %.",
     "{year} жылға болжам: {value} (соңғы мәннен кейін {h} жыл); {target} деңгейіне жету ықтималдығы: {p:.0f} %.")
_add("Projected {value} in {year} ({h} {h:plural:year|years} after the latest value); no probability (the spread "
     "cannot be estimated from these data).",
     "Прогноз на {year} год: {value} (через {h} {h:plural:год|года|лет|года} после последнего значения); "
     "вероятности нет (разброс по этим данным оценить нельзя).",
     "{year} жылға болжам: {value} (соңғы мәннен кейін {h} жыл); ықтималдық жоқ (бұл деректер бойынша "
     "шашырауды бағалау мүмкін емес).")
_add("Beyond 10 years this is an extrapolation of the current trend, not a forecast.",
     "За пределами 10 лет это экстраполяция текущего тренда, а не прогноз.",
     "10 жылдан асатын мерзімде бұл болжам емес, қазіргі трендтің экстраполяциясы.")
_add("No data: no annual figures for “{name}” in {where} are in the bundled sources up to {year}.",
     "Нет данных: в поставляемых источниках нет годовых значений «{name}» по региону {where} до {year} года.",
     "Деректер жоқ: жеткізілген дереккөздерде {year} жылға дейін {where} бойынша «{name}» көрсеткішінің жылдық "
     "мәндері жоқ.")
_add("The indicator {id} is not defined, so there are no data.", "Индикатор {id} не определён, поэтому данных нет.",
     "{id} индикаторы анықталмаған, сондықтан деректер жоқ.")
_add("intervals and probabilities are the models' own, not calibrated by backtests",
     "интервалы и вероятности — собственные оценки моделей, без калибровки по ретроспективным проверкам",
     "аралықтар мен ықтималдықтар — модельдердің өз бағалары, ретроспективті тексерулермен калибрленбеген")
_add("intervals and probabilities use the built-in calibration (World Bank WDI backtest); run sandyq backtest to "
     "calibrate on the store",
     "интервалы и вероятности используют встроенную калибровку (ретроспективная проверка на данных WDI Всемирного "
     "банка); чтобы откалибровать на своём хранилище, выполните sandyq backtest",
     "аралықтар мен ықтималдықтар кірістірілген калибрлеуді пайдаланады (Дүниежүзілік банктің WDI деректеріндегі "
     "ретроспективті тексеру); өз қоймаңызда калибрлеу үшін sandyq backtest іске қосыңыз")
# risks
_add("{id}: {status}", "{id}: {status}", "{id}: {status}")
_add("{label}, probability of reaching the milestone {p:.0f} %",
     "{label}, вероятность достичь промежуточной цели {p:.0f} %",
     "{label}, аралық нысанаға жету ықтималдығы {p:.0f} %")
_add("{label} — {text}", "{label} — {text}", "{label} — {text}")
_add("Raised: {list}", "Риск выявлен: {list}", "Тәуекел анықталды: {list}")
_add("Not raised: {list}.", "Риск не выявлен: {list}.", "Тәуекел анықталмады: {list}.")
_add("Cannot be judged: the linked indicators have no usable data.",
     "Оценить нельзя: у связанных индикаторов нет пригодных данных.",
     "Бағалау мүмкін емес: байланысты индикаторлардың жарамды деректері жоқ.")
_add("No usable data for {ids}.", "Нет пригодных данных по {ids}.", "{ids} бойынша жарамды деректер жоқ.")
_add("(No indicator is linked to this risk; the task's indicators are used.)",
     "(С этим риском не связан ни один индикатор; используются индикаторы задачи.)",
     "(Бұл тәуекелге индикатор байланыстырылмаған; міндеттің индикаторлары пайдаланылады.)")
_add("{reason} Its last value is {x} ({year}); the milestones after {last} ({listed}) cannot be judged on it.",
     "{reason} Последнее значение ряда — {x} ({year}); промежуточные цели после {last} года ({listed}) по нему "
     "оценить нельзя.",
     "{reason} Қатардың соңғы мәні — {x} ({year}); {last} жылдан кейінгі аралық нысаналарды ({listed}) ол бойынша "
     "бағалау мүмкін емес.")
_add("World Bank WDI, {n} series of {m} economies and aggregates, {a}–{b} (built-in default)",
     "WDI Всемирного банка: {n} {n:plural:ряд|ряда|рядов|ряда} по {m} экономикам и агрегатам, {a}–{b} "
     "(встроенная калибровка по умолчанию)",
     "Дүниежүзілік банктің WDI деректері: {m} экономика мен агрегат бойынша {n} қатар, {a}–{b} (әдепкі "
     "кірістірілген калибрлеу)")
# regional convergence
_add("coefficient of variation", "коэффициент вариации", "вариация коэффициенті")
_add("standard deviation of logs", "стандартное отклонение логарифмов", "логарифмдердің стандартты ауытқуы")
_add("Gini coefficient", "индекс Джини", "Джини индексі")
_add("Theil index", "индекс Тейла", "Тейл индексі")
_add("population-weighted coefficient of variation", "взвешенный по населению коэффициент вариации",
     "халық саны бойынша өлшенген вариация коэффициенті")
_add("population-weighted Gini coefficient", "взвешенный по населению индекс Джини",
     "халық саны бойынша өлшенген Джини индексі")
_add("population-weighted Theil index", "взвешенный по населению индекс Тейла",
     "халық саны бойынша өлшенген Тейл индексі")
_add("population", "численности населения", "халық саны")
_add("{level} % CI {lo} to {hi}, {n} {n:plural:year|years}",
     "{level} % ДИ от {lo} до {hi}, {n} {n:plural:год|года|лет|года}",
     "{level} % СА {lo} бастап {hi} дейін, {n} жыл")
_add("from {first:.3g} in {y0} to {last:.3g} in {y1}; trend {slope} per year ({ci})",
     "с {first:.3g} в {y0} году до {last:.3g} в {y1} году; тренд {slope} в год ({ci})",
     "{y0} жылғы {first:.3g} мәнінен {y1} жылғы {last:.3g} мәніне дейін; тренд жылына {slope} ({ci})")
_add("sigma convergence: the {label} fell {path}",
     "σ-конвергенция: показатель «{label}» снизился {path}",
     "σ-жақындасу: «{label}» көрсеткіші төмендеді, {path}")
_add("sigma divergence: the {label} rose {path}",
     "σ-дивергенция: показатель «{label}» вырос {path}",
     "σ-алшақтау: «{label}» көрсеткіші өсті, {path}")
_add("no clear trend in the {label}: it went {path}; the interval includes 0",
     "явного тренда показателя «{label}» нет: он изменился {path}; интервал включает 0",
     "«{label}» көрсеткішінің айқын трендi жоқ: ол өзгерді, {path}; аралық 0-ді қамтиды")
_add("; boundary changes inside the window (see notes)", "; в пределах периода менялись границы (см. примечания)",
     "; кезең ішінде шекаралар өзгерді (ескертпелерді қараңыз)")
_add("{level} % CI {lo} to {hi}, n = {n}, R² = {r2:.2f}", "{level} % ДИ от {lo} до {hi}, n = {n}, R² = {r2:.2f}",
     "{level} % СА {lo} бастап {hi} дейін, n = {n}, R² = {r2:.2f}")
_add("beta convergence {t0}–{t1}: units starting lower grew faster (β = {beta}, {ci})",
     "β-конвергенция {t0}–{t1}: регионы с более низким начальным уровнем росли быстрее (β = {beta}, {ci})",
     "β-жақындасу {t0}–{t1}: бастапқы деңгейі төмен өңірлер жылдамырақ өсті (β = {beta}, {ci})")
_add("beta convergence {t0}–{t1}: units starting lower grew faster (β = {beta}, {ci}), half-life {hl:.0f} years",
     "β-конвергенция {t0}–{t1}: регионы с более низким начальным уровнем росли быстрее (β = {beta}, {ci}), "
     "разрыв сокращается вдвое за {hl:.0f} г.",
     "β-жақындасу {t0}–{t1}: бастапқы деңгейі төмен өңірлер жылдамырақ өсті (β = {beta}, {ci}), алшақтық "
     "{hl:.0f} жылда екі есе қысқарады")
_add("beta divergence {t0}–{t1}: units starting higher grew faster (β = {beta}, {ci})",
     "β-дивергенция {t0}–{t1}: регионы с более высоким начальным уровнем росли быстрее (β = {beta}, {ci})",
     "β-алшақтау {t0}–{t1}: бастапқы деңгейі жоғары өңірлер жылдамырақ өсті (β = {beta}, {ci})")
_add("no clear beta convergence {t0}–{t1}: β = {beta} ({ci}); the interval includes 0",
     "явной β-конвергенции за {t0}–{t1} нет: β = {beta} ({ci}); интервал включает 0",
     "{t0}–{t1} кезеңінде айқын β-жақындасу жоқ: β = {beta} ({ci}); аралық 0-ді қамтиды")
_add("; weighted by {w}", "; с весами по {w}", "; {w} бойынша өлшенген")
_add("; unweighted (every region counts the same)", "; без весов (все регионы учитываются одинаково)",
     "; салмақсыз (барлық өңір бірдей есептеледі)")
_add("left out {n} unit(s) that are not the same territory throughout {t0}–{t1}: {units}",
     "не учтено: {n} {n:plural:единица|единицы|единиц|единицы}, территория которых менялась в {t0}–{t1}: {units}",
     "есепке алынбады: {t0}–{t1} кезеңінде аумағы өзгерген {n} бірлік: {units}")
_add("kept {n} unit(s) whose territory changes within {t0}–{t1} ({units}): figures before and after a change are "
     "not strictly comparable",
     "учтено {n} {n:plural:единица|единицы|единиц|единицы}, территория которых менялась в {t0}–{t1} ({units}): "
     "значения до и после изменения не вполне сопоставимы",
     "{t0}–{t1} кезеңінде аумағы өзгерген {n} бірлік есепке алынды ({units}): өзгеріске дейінгі және кейінгі "
     "мәндер толық салыстырмалы емес")
_add("left out {n} unit(s) with a value ≤ 0 (logs undefined): {units}",
     "не учтено: {n} {n:plural:единица|единицы|единиц|единицы} со значением ≤ 0 (логарифм не определён): {units}",
     "есепке алынбады: мәні ≤ 0 болатын {n} бірлік (логарифм анықталмайды): {units}")
_add("left out {n} unit(s) without a value in {t0} or {t1}: {units}",
     "не учтено: {n} {n:plural:единица|единицы|единиц|единицы} без значения за {t0} или {t1} год: {units}",
     "есепке алынбады: {t0} немесе {t1} жылы мәні жоқ {n} бірлік: {units}")
# the terminal report (sandyq progress)
_add("{rate:+.1f} % a year", "{rate:+.1f} % в год", "жылына {rate:+.1f} %")
_add("{rate:+} points a year", "{rate:+} п. п. в год", "жылына {rate:+} п. т.")
_add("{rate:+.1f} places a year", "{rate:+.1f} мест в год", "жылына {rate:+.1f} орын")
_add("Owner of the data: {owner}", "Владелец данных: {owner}", "Деректер иесі: {owner}")
_add("Latest: {value} ({year}; source {source}, vintage {vintage})",
     "Последнее значение: {value} ({year}; источник {source}, версия публикации {vintage})",
     "Соңғы мән: {value} ({year}; дереккөз {source}, жариялану нұсқасы {vintage})")
_add("Latest: {value} ({year}; source {source})", "Последнее значение: {value} ({year}; источник {source})",
     "Соңғы мән: {value} ({year}; дереккөз {source})")
_add("also: {others}", "также: {others}", "сондай-ақ: {others}")
_add("Needed: {needed} from {latest} to reach {target} by {year}; achieved since {since}: {achieved}.",
     "Требуется: {needed} начиная с {latest} года, чтобы достичь {target} к {year} году; достигнуто с {since} "
     "года: {achieved}.",
     "Қажет: {year} жылға қарай {target} деңгейіне жету үшін {latest} жылдан бастап {needed}; {since} жылдан "
     "бері қол жеткізілгені: {achieved}.")
_add("Why: {why}", "Почему: {why}", "Себебі: {why}")
_add("Note: {note}", "Примечание: {note}", "Ескертпе: {note}")
_add("Target: {value} by {year}", "Цель: {value} к {year} году", "Нысана: {year} жылға қарай {value}")
_add("(milestones {states})", "(промежуточные цели: {states})", "(аралық нысаналар: {states})")
_add("met", "достигнута", "орындалды")
_add("missed", "не достигнута", "орындалмады")
_add("projected", "прогноз", "болжам")
_add("pending", "ожидается", "күтілуде")
_add("; no milestone ahead (the last was due in {last}).",
     "; впереди промежуточных целей нет (последняя была на {last} год).",
     "; алда аралық нысана жоқ (соңғысы {last} жылға белгіленген).")
_add("; next milestone: {value} in {year}.", "; следующая промежуточная цель: {value} в {year} году.",
     "; келесі аралық нысана: {year} жылы {value}.")
_add("Projection {year}: {value}", "Прогноз на {year} год: {value}", "{year} жылға болжам: {value}")
_add("target year passed without its figure", "целевой год прошёл, а значения за него нет",
     "нысаналы жыл өтті, бірақ оның мәні жоқ")
_add("No targets.", "Целей нет.", "Нысаналар жоқ.")
_add("Execution rate: none of the {n} targets can be judged ({why}).",
     "Уровень исполнения: ни одну из {n} целей оценить нельзя ({why}).",
     "Орындалу деңгейі: {n} нысананың ешқайсысын бағалау мүмкін емес ({why}).")
_add("Execution rate: {a} of {j} targets that can be judged achieved ({rate})",
     "Уровень исполнения: достигнуто {a} из {j} целей, которые можно оценить ({rate})",
     "Орындалу деңгейі: бағалауға болатын {j} нысананың {a} орындалды ({rate})")
_add("; {m} of {n} cannot be judged ({why})", "; {m} из {n} оценить нельзя ({why})",
     "; {n} нысананың {m} бағалау мүмкін емес ({why})")
_add("{name} ({id}) — progress as of {day}", "{name} ({id}) — прогресс на {day}",
     "{name} ({id}) — {day} жағдай бойынша ілгерілеу")
_add("Superseded by {id}; kept for history.", "Заменена программой {id}; сохранена для истории.",
     "{id} бағдарламасымен ауыстырылды; тарих үшін сақталды.")
_add("By status: {counts}", "По статусам: {counts}", "Мәртебелер бойынша: {counts}")
_add("Risks raised: {n} of {m}", "Выявленные риски: {n} из {m}", "Анықталған тәуекелдер: {m} ішінен {n}")
_add("high", "высокий", "жоғары")
_add("elevated", "повышенный", "көтеріңкі")
_add("Method: {method}", "Метод: {method}", "Әдіс: {method}")
# breakdowns (dimension: code) on the dashboard
_add("sex: F", "пол: женщины", "жынысы: әйелдер")
_add("sex: M", "пол: мужчины", "жынысы: ерлер")
_add("urbanisation: U", "местность: город", "елді мекен: қала")
_add("urbanisation: R", "местность: село", "елді мекен: ауыл")
_add("bound: LOWER", "граница: нижняя", "шек: төменгі")
_add("bound: UPPER", "граница: верхняя", "шек: жоғарғы")
# the composite index (notes of sandyq.analytics.composite and of the index page)
_add("sandyq's Digital Development Index (DDI) is a substitute for ITU's ICT Development Index, which ITU "
     "discontinued after 2017. It uses different indicators (7 open series instead of ITU's 11; households with a "
     "computer or the Internet, international bandwidth and mobile broadband are not available) and a different set "
     "of economies, so its ranks are not ITU's IDI ranks. The programme's targets refer to ITU's index; ranks on "
     "the DDI say where Kazakhstan stands on comparable open data, not whether ITU would rank it 30th.",
     "Индекс цифрового развития sandyq (DDI) заменяет Индекс развития ИКТ МСЭ, который МСЭ перестал публиковать "
     "после 2017 года. В нём другие показатели (7 открытых рядов вместо 11 у МСЭ; нет данных о домохозяйствах с "
     "компьютером или доступом в Интернет, о международной пропускной способности и о мобильной широкополосной "
     "связи) и другой набор стран, поэтому места по нему не совпадают с местами в индексе МСЭ. Целевые показатели "
     "программы относятся к индексу МСЭ; место по DDI показывает положение Казахстана по сопоставимым открытым "
     "данным, а не то, поставил бы его МСЭ на 30-е место.",
     "sandyq цифрлық даму индексі (DDI) ХЭО-ның АКТ даму индексін алмастырады, оны ХЭО 2017 жылдан кейін шығаруды "
     "тоқтатты. Онда басқа көрсеткіштер (ХЭО-ның 11 көрсеткішінің орнына 7 ашық қатар; компьютері немесе Интернеті "
     "бар үй шаруашылықтары, халықаралық өткізу қабілеті және мобильді кең жолақты байланыс туралы деректер жоқ) "
     "және елдердің басқа жиыны қолданылады, сондықтан ондағы орындар ХЭО индексіндегі орындармен сәйкес келмейді. "
     "Бағдарлама нысаналары ХЭО индексіне қатысты; DDI бойынша орын Қазақстанның салыстырмалы ашық деректер "
     "бойынша қай жерде тұрғанын көрсетеді, ал ХЭО оны 30-орынға қояр ма еді — соны емес.")
_add("imputation left {n} missing values", "после импутации осталось пропусков: {n}",
     "импутациядан кейін қалған бос мәндер саны: {n}")
_add("{code}: division by a zero {den} gave missing values", "{code}: деление на нулевое значение {den} дало пропуски",
     "{code}: нөлдік {den} мәніне бөлу бос мәндер берді")
_add("normalisation gave no values for {list} (constant indicator?)",
     "нормализация не дала значений для {list} (показатель не меняется?)",
     "нормалау {list} үшін мән бермеді (көрсеткіш тұрақты ма?)")
_add("PCA gave negative weights at level {level}: {list}", "МГК дал отрицательные веса на уровне {level}: {list}",
     "БКТ {level} деңгейде теріс салмақтар берді: {list}")
_add("base sample size rounded up from {a} to {b} (a power of two, for the Sobol' sequence)",
     "базовый размер выборки округлён вверх с {a} до {b} (степень двойки — для последовательности Соболя)",
     "базалық іріктеме көлемі {a}-ден {b}-ге дейін жоғары дөңгелектенді (Соболь тізбегі үшін екінің дәрежесі)")
_add("{n} failed runs were given the mean output", "{n} неудачным прогонам присвоено среднее значение результата",
     "сәтсіз {n} есептеуге нәтиженің орташа мәні берілді")
_add("the output is the same in every run: all indices are 0",
     "результат одинаков во всех прогонах: все индексы равны 0",
     "нәтиже барлық есептеулерде бірдей: барлық индекстер 0-ге тең")
_add("{failed} of {runs} uncertainty runs failed and are left out",
     "{failed} из {runs} прогонов анализа неопределённости не удались и не учтены",
     "белгісіздікті талдаудың {runs} есептеуінің {failed} сәтсіз аяқталды және есепке алынбады")
_add("the specification has no uncertainty section, so ranks have no intervals",
     "в спецификации нет раздела о неопределённости, поэтому у мест нет интервалов",
     "спецификацияда белгісіздік бөлімі жоқ, сондықтан орындардың аралықтары жоқ")
_add("the uncertainty analysis failed ({why}); ranks have no intervals",
     "анализ неопределённости не удался ({why}); у мест нет интервалов",
     "белгісіздікті талдау сәтсіз аяқталды ({why}); орындардың аралықтары жоқ")
# notes of the progress assessment and of the regional analysis (read back from JSON answers and tables)
_add("cannot be judged: the series ended in {year}", "оценить нельзя: ряд закончился в {year} году",
     "бағалау мүмкін емес: қатар {year} жылы аяқталды")
_add("on the data up to {year} the pace was: {status}", "по данным до {year} года темп был таким: {status}",
     "{year} жылға дейінгі деректер бойынша қарқын: {status}")
_add("on the data up to {year} the pace was: {status} (ratio {r})",
     "по данным до {year} года темп был таким: {status} (отношение {r})",
     "{year} жылға дейінгі деректер бойынша қарқын: {status} (арақатынас {r})")
_add("source '{id}' (the source the target is judged on)", "источник «{id}» (по нему оценивается цель)",
     "«{id}» дереккөзі (нысана осы бойынша бағаланады)")
_add("source '{id}' (the indicator's own source)", "источник «{id}» (собственный источник индикатора)",
     "«{id}» дереккөзі (индикатордың өз дереккөзі)")
_add("also available: {list}", "также есть: {list}", "сондай-ақ бар: {list}")
_add("the interval uses the typical year-to-year variation of the calibration's series relative to their average "
     "annual change",
     "интервал использует типичную годовую изменчивость рядов калибровки относительно их среднего годового изменения",
     "аралық калибрлеу қатарларының орташа жылдық өзгерісіне қатысты әдеттегі жылдан жылға өзгергіштігін пайдаланады")
_add("the interval uses the typical year-to-year variation of the calibration's series on the logit scale",
     "интервал использует типичную годовую изменчивость рядов калибровки в логит-шкале",
     "аралық калибрлеу қатарларының логит шкаласындағы әдеттегі жылдан жылға өзгергіштігін пайдаланады")
_add("no interval or probability without a calibration giving the typical variation",
     "без калибровки, задающей типичную изменчивость, нет ни интервала, ни вероятности",
     "әдеттегі өзгергіштікті беретін калибрлеусіз аралық та, ықтималдық та жоқ")
_add("{geo} does not exist in {span}", "{geo} не существует в {span} гг.", "{geo} {span} жылдары болмаған")
_add("does not exist in this year", "не существует в этом году", "бұл жылы болмаған")
_add("units differ from {year}: {list}", "состав единиц отличается от {year} года: {list}",
     "бірліктер құрамы {year} жылғыдан өзгеше: {list}")
_add("units differ between {a} and {b} (n {x} → {y}): the rank change partly reflects that",
     "состав единиц в {a} и {b} гг. различается (n {x} → {y}): отчасти изменение места объясняется этим",
     "{a} және {b} жылдары бірліктер құрамы әртүрлі (n {x} → {y}): орын өзгерісі ішінара осыған байланысты")
_add("{geo}: boundary change on {date} ({change})", "{geo}: изменение границ {date} ({change})",
     "{geo}: {date} шекара өзгерісі ({change})")
_add("{geo}: boundary change on {date}", "{geo}: изменение границ {date}", "{geo}: {date} шекара өзгерісі")
_add("due in {year} but not yet in the data", "срок — {year} год, но в данных его ещё нет",
     "мерзімі — {year} жыл, бірақ деректерде әлі жоқ")
_add("not yet due", "срок ещё не наступил", "мерзімі әлі келмеді")
_add("too few data to project", "данных слишком мало для прогноза", "болжам үшін деректер тым аз")
_add("projected {value}", "прогноз {value}", "болжам {value}")
_add("projected {value} (95 %: {lo}–{hi})", "прогноз {value} (95 %: {lo}–{hi})", "болжам {value} (95 %: {lo}–{hi})")
_add("projected {value} (95 %: {lo}–{hi}), probability of reaching it {p} %",
     "прогноз {value} (95 %: {lo}–{hi}), вероятность достижения {p} %",
     "болжам {value} (95 %: {lo}–{hi}), қол жеткізу ықтималдығы {p} %")
_add("projected {value}, probability of reaching it {p} %", "прогноз {value}, вероятность достижения {p} %",
     "болжам {value}, қол жеткізу ықтималдығы {p} %")
_add("already reached: {x} in {year}, ahead of {due}", "уже достигнуто: {x} в {year} году, раньше {due} года",
     "қол жеткізіліп қойған: {year} жылы {x}, {due} жылдан бұрын")
_add("a rank is ordinal, so its average annual change in places is used, not a growth rate",
     "место — порядковая величина, поэтому используется его среднее годовое изменение в местах, а не темп роста",
     "орын — реттік шама, сондықтан өсу қарқыны емес, оның орындармен өлшенген орташа жылдық өзгерісі қолданылады")
_add("with two values only the drift model can be used, and they cannot show how much the series varies",
     "при двух значениях можно применить только модель дрейфа, и по ним не видно, насколько ряд изменчив",
     "екі мән болғанда тек дрейф моделін қолдануға болады, және олар қатардың қаншалықты өзгермелі екенін "
     "көрсете алмайды")
_add("Eurostat/Open SDG ratio of observed to required compound annual growth (CAGR) from the base year",
     "отношение фактического среднегодового темпа роста (CAGR) с базового года к требуемому, по методике Eurostat и "
     "Open SDG",
     "базалық жылдан бастап нақты орташа жылдық өсу қарқынының (CAGR) қажетті қарқынға арақатынасы, Eurostat және "
     "Open SDG әдістемесі бойынша")
_add("Eurostat/Open SDG ratio, on the average annual change (linear) instead of growth rates",
     "отношение по методике Eurostat и Open SDG, по среднему годовому изменению (линейному) вместо темпов роста",
     "Eurostat және Open SDG әдістемесі бойынша арақатынас, өсу қарқынының орнына орташа жылдық өзгеріс (сызықтық) "
     "бойынша")
_add("thresholds {a} / {b} / {c}", "пороги {a} / {b} / {c}", "шектері {a} / {b} / {c}")
_add("{basis}. Projection: {projection}", "{basis}. Прогноз: {projection}", "{basis}. Болжам: {projection}")
_add("random walk with drift", "случайное блуждание с дрейфом", "дрейфі бар кездейсоқ серуендеу")
_add("Theta", "метод Theta", "Theta әдісі")
_add("damped-trend exponential smoothing", "экспоненциальное сглаживание с затухающим трендом",
     "тренді бәсеңдейтін экспоненциалдық тегістеу")
_add("peer paths", "траектории аналогов", "ұқсас қатарлар траекториялары")
_add("Equal-weight combination of {models}", "Комбинация с равными весами: {models}",
     "Тең салмақты комбинация: {models}")
_add("Random walk with drift only", "Только случайное блуждание с дрейфом", "Тек дрейфі бар кездейсоқ серуендеу")
_add("Theta only", "Только метод Theta", "Тек Theta әдісі")
_add("Damped-trend exponential smoothing only", "Только экспоненциальное сглаживание с затухающим трендом",
     "Тек тренді бәсеңдейтін экспоненциалдық тегістеу")
_add("Peer paths only", "Только траектории аналогов", "Тек ұқсас қатарлар траекториялары")
_add("blended (weight {w}) with the peer path: how other series of the same indicator at the same level and pace "
     "moved next",
     "в смеси (вес {w}) с траекторией аналогов: как дальше менялись другие ряды того же показателя с тем же уровнем "
     "и темпом",
     "ұқсастар траекториясымен араласқан (салмағы {w}): сол көрсеткіштің деңгейі мен қарқыны дәл сондай басқа "
     "қатарлары әрі қарай қалай өзгергені")
_add("fitted on the logit scale so that projections stay within [{lo}, {hi}]",
     "оценено на логит-шкале, чтобы прогнозы оставались в пределах [{lo}, {hi}]",
     "болжамдар [{lo}, {hi}] аралығында қалуы үшін логит шкаласында бағаланған")
_add("fitted on the log scale (growth in percent) so that projections stay positive",
     "оценено на логарифмической шкале (рост в процентах), чтобы прогнозы оставались положительными",
     "болжамдар оң болып қалуы үшін логарифмдік шкалада (пайыздық өсу) бағаланған")
_add("fitted on the original scale (linear), clipped to [{lo}, {hi}]",
     "оценено в исходной шкале (линейно), с ограничением [{lo}, {hi}]",
     "бастапқы шкалада (сызықтық) бағаланған, [{lo}, {hi}] шегімен шектелген")
_add("fitted on the original scale (linear)", "оценено в исходной шкале (линейно)",
     "бастапқы шкалада (сызықтық) бағаланған")
_add("intervals are the models' own (not calibrated by backtests)",
     "интервалы — собственные интервалы моделей (не откалиброваны бэктестами)",
     "аралықтар — модельдердің өз аралықтары (бэктестпен калибрленбеген)")
_add("intervals, probability and the centre (their median) from the empirical distribution of the scaled errors of "
     "projections from {n} values {h} {h:plural:year|years} ahead in rolling-origin backtests ({where})",
     "интервалы, вероятность и центр (их медиана) — по эмпирическому распределению нормированных ошибок прогнозов "
     "по {n} значениям на {h} {h:plural:год|года|лет|года} вперёд в бэктестах со скользящим началом ({where})",
     "аралықтар, ықтималдық және орталық (олардың медианасы) — жылжымалы бастапқы нүктелі бэктестердегі {n} мән "
     "бойынша {h} жыл алдағы болжамдардың нормаланған қателерінің эмпирикалық үлестірімінен ({where})")
_add("interval spread scaled by k = {k:.2f} with normal tails, calibrated on rolling-origin backtests ({where})",
     "ширина интервала умножена на k = {k:.2f}, нормальные хвосты; калибровка по бэктестам со скользящим началом "
     "({where})",
     "аралық ені k = {k:.2f} есе өзгертілген, қалыпты құйрықтар; жылжымалы бастапқы нүктелі бэктестер бойынша "
     "калибрленген ({where})")
_add("interval spread scaled by k = {k:.2f} with the tails of Student's t with {df} df, calibrated on rolling-origin "
     "backtests ({where})",
     "ширина интервала умножена на k = {k:.2f}, хвосты t-распределения Стьюдента с {df} степенями свободы; "
     "калибровка по бэктестам со скользящим началом ({where})",
     "аралық ені k = {k:.2f} есе өзгертілген, еркіндік дәрежесі {df} Стьюдент t-үлестірімінің құйрықтары; "
     "жылжымалы бастапқы нүктелі бэктестер бойынша калибрленген ({where})")
_add("the backtests start from 3 values, so for a series of {n} values this widening is extrapolated from them, "
     "not itself tested",
     "бэктесты начинаются с 3 значений, поэтому для ряда из {n} значений это расширение экстраполировано, а не "
     "проверено само",
     "бэктестер 3 мәннен басталады, сондықтан {n} мәнді қатар үшін бұл кеңейту экстраполяцияланған, өзі "
     "тексерілмеген")
_add("latest value compared with the target", "последнее значение сравнивается с целью",
     "соңғы мән нысанамен салыстырылады")
_add("latest annual value compared with the target", "последнее годовое значение сравнивается с целью",
     "соңғы жылдық мән нысанамен салыстырылады")
_add("a cumulative total grows by addition, so its average annual increase is used, not a growth rate",
     "накопленный итог растёт сложением, поэтому используется его средний годовой прирост, а не темп роста",
     "жинақталған жиынтық қосу арқылы өседі, сондықтан өсу қарқыны емес, оның орташа жылдық өсімі қолданылады")
_add("the target year {year} has passed but its data are not yet available",
     "целевой {year} год прошёл, но данных за него ещё нет", "нысаналы {year} жыл өтті, бірақ оның деректері әлі жоқ")
_add("met: {x} in {year} against {target}", "выполнено: {x} в {year} году при цели {target}",
     "орындалды: {year} жылы {x}, нысана {target}")
_add("met: {x} in {year} (interpolated between neighbouring years) against {target}",
     "выполнено: {x} в {year} году (интерполяция между соседними годами) при цели {target}",
     "орындалды: {year} жылы {x} (көрші жылдар арасындағы интерполяция), нысана {target}")
_add("no value for the target year {year}; the last value before it ({last}) is used",
     "нет значения за целевой {year} год; используется последнее значение до него ({last})",
     "нысаналы {year} жылға мән жоқ; одан бұрынғы соңғы мән ({last}) қолданылады")
_add("the data give {x} for {year}; the programme baseline {b} is used",
     "по данным за {year} год — {x}; используется базовое значение программы {b}",
     "деректер бойынша {year} жылы {x}; бағдарламаның базалық мәні {b} қолданылады")
