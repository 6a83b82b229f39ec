"""The command line's words in Kazakh and Russian: column headers, titles, summary lines and audit tolerances.

``sandyq --language kk|ru`` prints tables whose headers, titles, captions and text cells are said in the language
(:func:`localised`); JSON and CSV keep their English column names (they are a data contract).  Sentences the
analysis wrote (a finding, a status reason) are said through the catalog of :mod:`sandyq._messages`; an English
text the catalog does not know is left as it is.  ``--help`` stays in English.

>>> import pandas as pd
>>> frame = pd.DataFrame({"severity": ["warning"], "message": ["the value halves"]})
>>> localised(frame, "ru").to_dict("records")
[{'серьёзность': 'предупреждение', 'сообщение': 'значение уменьшается вдвое'}]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._messages import Message, said
from .._messages import add_sentence as _add

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HEADERS", "WORDS", "lines", "localised", "say_line", "words"]

#: Column headers of the command line's tables: English → (ru, kk).
HEADERS: dict[str, tuple[str, str]] = {
    "id": ("код", "коды"),
    "name": ("название", "атауы"),
    "unit": ("единица", "бірлік"),
    "polarity": ("желаемое направление", "қалаулы бағыт"),
    "periodicity": ("периодичность", "кезеңділігі"),
    "source": ("источник", "дереккөз"),
    "sources": ("источники", "дереккөздер"),
    "tags": ("метки", "белгілер"),
    "derived": ("производный", "туынды"),
    "observations": ("наблюдения", "бақылаулар"),
    "geos": ("территории", "аумақтар"),
    "first_year": ("первый год", "бірінші жыл"),
    "last_year": ("последний год", "соңғы жыл"),
    "programmes": ("программы", "бағдарламалар"),
    "indicator": ("индикатор", "индикатор"),
    "geo": ("территория", "аумақ"),
    "period": ("период", "кезең"),
    "dims": ("разрез", "бөлініс"),
    "value": ("значение", "мән"),
    "status": ("статус", "мәртебе"),
    "vintage": ("версия публикации", "жариялану нұсқасы"),
    "note": ("примечание", "ескертпе"),
    "severity": ("серьёзность", "маңыздылығы"),
    "rule": ("правило", "ереже"),
    "found": ("найдено", "табылғаны"),
    "expected": ("ожидалось", "күтілгені"),
    "tolerance": ("допуск", "рұқсат етілген ауытқу"),
    "message": ("сообщение", "хабар"),
    "year": ("год", "жыл"),
    "region": ("регион", "өңір"),
    "rank": ("место", "орны"),
    "share": ("доля", "үлесі"),
    "n": ("число", "саны"),
    "mean": ("среднее", "орташа"),
    "min": ("минимум", "ең кіші"),
    "max": ("максимум", "ең үлкен"),
    "cv": ("коэффициент вариации", "вариация коэффициенті"),
    "gini": ("индекс Джини", "Джини индексі"),
    "theil": ("индекс Тейла", "Тейл индексі"),
    "max_min": ("макс./мин.", "ең үлкені/ең кішісі"),
    "regions": ("регионы", "өңірлер"),
    "table": ("таблица", "кесте"),
    "problem": ("проблема", "мәселе"),
    "kind": ("вид", "түрі"),
    "row": ("строка", "жол"),
    "column": ("столбец", "баған"),
    "count": ("количество", "саны"),
    "file": ("файл", "файл"),
    "deadline": ("срок", "мерзімі"),
    "agency": ("ответственный орган", "жауапты орган"),
    "budget_planned": ("бюджет план", "жоспарлы бюджет"),
    "budget_spent": ("бюджет освоено", "игерілген бюджет"),
    "overdue": ("просрочено", "мерзімі өтті"),
}

#: Single words in cells (severities) and titles: English → (ru, kk).
WORDS: dict[str, tuple[str, str]] = {
    "error": ("ошибка", "қате"),
    "warning": ("предупреждение", "ескерту"),
    "info": ("сведения", "ақпарат"),
    "Indicators": ("Индикаторы", "Индикаторлар"),
    "Consistency audit": ("Проверка согласованности", "Сәйкестікті тексеру"),
    "true": ("да", "иә"),
    "false": ("нет", "жоқ"),
    "ok": ("в порядке", "дұрыс"),
    "planned": ("запланировано", "жоспарланған"),
    "in_progress": ("выполняется", "орындалуда"),
    "done": ("исполнено", "орындалды"),
    "cancelled": ("отменено", "тоқтатылды"),
    "unknown": ("неизвестно", "белгісіз"),
}


def words(text: str, language: str) -> str:
    """A header or a single word in ``language`` (unchanged if unknown or English).

    >>> words("first_year", "kk"), words("geo", "en")
    ('бірінші жыл', 'geo')
    """
    pair = HEADERS.get(text) or WORDS.get(text)
    if pair is None or language not in ("ru", "kk"):
        return text
    return pair[0] if language == "ru" else pair[1]


def _cell(value: Any, language: str, names: Mapping[str, Any] | None) -> Any:
    if isinstance(value, bool):
        return words(str(value).lower(), language)
    if not isinstance(value, str):
        return value
    if value in WORDS:
        return words(value, language)
    return said(value, language, names)


def localised(frame: pd.DataFrame, language: str, names: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """``frame`` for a reader of ``language``: headers, single words and catalog sentences said in it."""
    import pandas as pd

    if language not in ("ru", "kk") or frame.empty and not len(frame.columns):
        return frame
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind in "OSUb" or str(out[column].dtype) in ("string", "str"):
            out[column] = pd.Series([_cell(v, language, names) for v in out[column]], index=out.index, dtype=object)
    return out.rename(columns={c: words(str(c), language) for c in out.columns})


def lines(text: str | None, language: str, names: Mapping[str, Any] | None = None) -> str | None:
    """A title or caption said in ``language`` line by line (a :class:`Message` as a whole)."""
    if text is None or language not in ("ru", "kk"):
        return text
    if isinstance(text, Message):
        return text.to(language)
    said_lines = (
        words(line, language) if line in WORDS else str(said(line, language, names)) for line in text.split("\n")
    )
    return "\n".join(said_lines)


def say_line(msgid: str, language: str, **params: Any) -> str:
    """A line of the command line's report: the English ``msgid`` with ``params``, said in ``language``.

    >>> say_line("{n} {n:plural:task|tasks}", "ru", n=3)
    '3 задачи'
    """
    return Message(msgid, params).to(language)


# fmt: off
_add("{n} {n:plural:task|tasks}", "{n} {n:plural:задача|задачи|задач|задачи}", "{n} міндет")
_add("{n} {n:plural:target|targets}", "{n} {n:plural:цель|цели|целей|цели}", "{n} нысана")
_add("{name}: {tasks}, {targets}, {k}/{m} indicators with data",
     "{name}: {tasks}, {targets}, индикаторов с данными: {k}/{m}",
     "{name}: {tasks}, {targets}, деректері бар индикаторлар: {k}/{m}")
_add("Targets: {n} — {counts}; risks raised {raised}/{risks}",
     "Цели: {n} — {counts}; выявлено рисков: {raised}/{risks}",
     "Нысаналар: {n} — {counts}; анықталған тәуекелдер: {raised}/{risks}")
_add("{status} {n}", "{status}: {n}", "{status}: {n}")
_add("achieved", "достигнуто", "қол жеткізілді")
_add("missed", "не достигнуто", "қол жеткізілмеді")
_add("not assessed", "не оценивается", "бағаланбайды")
_add("(details: sandyq progress)", "(подробнее: sandyq progress)", "(толығырақ: sandyq progress)")
_add("Store: {n} observations of {m} indicators", "Хранилище: {n} наблюдений по {m} индикаторам",
     "Қойма: {m} индикатор бойынша {n} бақылау")
_add("{db}: no problems — {n} observations from {loads} loads, schema version {version}",
     "{db}: проблем нет — {n} наблюдений из {loads} загрузок, версия схемы {version}",
     "{db}: мәселе жоқ — {loads} жүктеуден {n} бақылау, схема нұсқасы {version}")
_add("estimate and {n} placebos in {s} s", "оценка и {n} плацебо за {s} с", "баға және {n} плацебо, {s} с")
_add("{db}: {n} {n:plural:problem|problems}", "{db}: {n} {n:plural:проблема|проблемы|проблем|проблемы}",
     "{db}: {n} мәселе")
# the audit's table
_add("Consistency audit of {indicator}", "Проверка согласованности: {indicator}", "Сәйкестікті тексеру: {indicator}")
_add("{n} {n:plural:finding|findings}: {e} {e:plural:error|errors}, {w} {w:plural:warning|warnings}, {i} info",
     "{n} {n:plural:замечание|замечания|замечаний|замечания}: {e} {e:plural:ошибка|ошибки|ошибок|ошибки}, "
     "{w} {w:plural:предупреждение|предупреждения|предупреждений|предупреждения}, {i} для сведения",
     "{n} ескертпе: {e} қате, {w} ескерту, {i} ақпарат үшін")
_add("{n} less serious not shown: --severity info", "менее серьёзные ({n}) не показаны: --severity info",
     "маңыздылығы төменірек {n} жазба көрсетілмеді: --severity info")
_add("by rule — {list}", "по правилам — {list}", "ережелер бойынша — {list}")
_add("found/expected in the unit shown; vintage of the observation (as in force) from the first source",
     "найдено/ожидалось — в указанной единице; версия публикации наблюдения (действующая) — по первому источнику",
     "табылғаны/күтілгені — көрсетілген бірлікпен; бақылаудың жариялану нұсқасы (қолданыстағы) — бірінші "
     "дереккөз бойынша")
# the regions command
_add("{name} ({id}) across the regions of {parent}", "{name} ({id}) по регионам {parent}",
     "{name} ({id}) {parent} өңірлері бойынша")
_add("{name} ({id}) across the regions of {parent}, {year}", "{name} ({id}) по регионам {parent}, {year}",
     "{name} ({id}) {parent} өңірлері бойынша, {year}")
_add("{id} — {name}: unit {unit}, source {source}, vintage {vintage}",
     "{id} — {name}: единица {unit}, источник {source}, версия публикации {vintage}",
     "{id} — {name}: бірлік {unit}, дереккөз {source}, жариялану нұсқасы {vintage}")
_add("Convergence is {how}.", "Конвергенция: {how}.", "Жақындасу: {how}.")
_add("population-weighted: regional population of about 2021–2023 (BNS via Open Data Kazakhstan), one cross-section "
     "for every year, regions added back to each year's borders",
     "с весами по численности населения: население регионов около 2021–2023 гг. (БНС, через портал открытых данных "
     "Казахстана), один срез для всех лет, регионы сведены к границам каждого года",
     "халық саны бойынша өлшенген: өңірлердің шамамен 2021–2023 жылдардағы халық саны (ҰСБ, Қазақстанның ашық "
     "деректер порталы арқылы), барлық жылдарға бір қима, өңірлер әр жылдың шекараларына келтірілген")
_add("unweighted: every region counts the same (no population for these regions)",
     "без весов: все регионы учитываются одинаково (нет численности населения для этих регионов)",
     "өлшенбеген: барлық өңір бірдей есептеледі (бұл өңірлердің халық саны жоқ)")
_add("Caution: {text}", "Внимание: {text}", "Назар аударыңыз: {text}")
_add("Regions that do not exist in a year are left out (never counted as zero); see 'excluded' and 'changes'.",
     "Регионы, которых в данном году не было, не учитываются (и никогда не считаются нулём); см. столбцы «excluded» "
     "и «changes».",
     "Сол жылы болмаған өңірлер есепке алынбайды (ешқашан нөл деп саналмайды); «excluded» және «changes» "
     "бағандарын қараңыз.")
_add("{year}: n = {n}, mean {mean}, CV {cv}, Gini {gini}, max/min {ratio} ({a} / {b})",
     "{year}: n = {n}, среднее {mean}, КВ {cv}, Джини {gini}, макс./мин. {ratio} ({a} / {b})",
     "{year}: n = {n}, орташа {mean}, ВК {cv}, Джини {gini}, ең үлкені/ең кішісі {ratio} ({a} / {b})")
_add("{year}: n = {n}, mean {mean}, CV {cv}, Gini {gini}, max/min {ratio} ({a} / {b}); {parent} {value} {unit}",
     "{year}: n = {n}, среднее {mean}, КВ {cv}, Джини {gini}, макс./мин. {ratio} ({a} / {b}); {parent} {value} {unit}",
     "{year}: n = {n}, орташа {mean}, ВК {cv}, Джини {gini}, ең үлкені/ең кішісі {ratio} ({a} / {b}); {parent} "
     "{value} {unit}")
_add("rank 1 = highest value (polarity {p})", "место 1 = наибольшее значение (желаемое направление: {p})",
     "1-орын = ең жоғары мән (қалаулы бағыт: {p})")
_add("rank 1 = lowest value (polarity {p})", "место 1 = наименьшее значение (желаемое направление: {p})",
     "1-орын = ең төмен мән (қалаулы бағыт: {p})")
_add("excluded: {list}", "не учтены: {list}", "есепке алынбады: {list}")
# fmt: on
