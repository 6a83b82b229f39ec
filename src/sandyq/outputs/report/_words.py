"""The report's own words in Kazakh, Russian and English, in the analysis' catalog (:mod:`sandyq._messages`).

Every heading and sentence of the report is a :class:`~sandyq._messages.Message`
said in the reader's language; the sentences the analysis composes (verdicts,
reasons, probabilities) come from the same catalog, as on the dashboard.

>>> say("ru", "Summary"), say("kk", "Risk register")
('Сводка', 'Тәуекелдер тізілімі')
>>> say("en", "Targets by status")
'Targets by status'
"""

from __future__ import annotations

from typing import Any

from ..._messages import CATALOG, Message

__all__ = ["say"]

_WORDS: tuple[tuple[str, str, str], ...] = (
    # (en, ru, kk)
    ("Monitoring report", "Отчёт о мониторинге", "Мониторинг есебі"),
    ("As of {day}: every figure as published by that day.",
     "По состоянию на {day}: все данные в том виде, в каком они были опубликованы к этой дате.",
     "{day} жағдай бойынша: барлық деректер осы күнге дейін жарияланған күйінде."),
    ("Prepared by sandyq {version} from the store of {day}.",
     "Подготовлено sandyq {version} по хранилищу данных на {day}.",
     "sandyq {version} арқылы {day} күнгі деректер қоймасы бойынша дайындалды."),
    ("Summary", "Сводка", "Қысқаша шолу"),
    ("Targets by status", "Цели по статусу", "Нысаналар мәртебесі бойынша"),
    ("Status", "Статус", "Мәртебе"),
    ("Targets", "Цели", "Нысаналар"),
    ("Target", "Цель", "Нысана"),
    ("Indicator", "Показатель", "Көрсеткіш"),
    ("Latest value", "Последнее значение", "Соңғы мән"),
    ("Year", "Год", "Жыл"),
    ("Probability", "Вероятность", "Ықтималдық"),
    ("Source", "Источник", "Дереккөз"),
    ("Vintage", "Версия публикации", "Жариялану нұсқасы"),
    ("Targets most at risk", "Цели под наибольшим риском", "Тәуекелі ең жоғары нысаналар"),
    ("No target is judged off track.", "Ни одна цель не оценена как отстающая.",
     "Бірде-бір нысана артта қалған деп бағаланбады."),
    ("What changed since {day}", "Что изменилось с {day}", "{day} бастап не өзгерді"),
    ("New figures: {new}; revised figures: {revised}; targets whose status moved: {moved}.",
     "Новых значений: {new}, пересмотренных значений: {revised}, целей, чей статус изменился: {moved}.",
     "Жаңа мәндер: {new}, қайта қаралған мәндер: {revised}, мәртебесі өзгерген нысаналар: {moved}."),
    ("Change", "Изменение", "Өзгеріс"),
    ("Before", "Было", "Бұрын"),
    ("Now", "Стало", "Қазір"),
    ("new figure", "новое значение", "жаңа мән"),
    ("revised figure", "пересмотренное значение", "қайта қаралған мән"),
    ("status moved", "статус изменился", "мәртебе өзгерді"),
    ("Period", "Период", "Кезең"),
    ("and {n} more", "и ещё {n}", "және тағы {n}"),
    ("Progress by direction and task", "Ход исполнения по направлениям и задачам",
     "Бағыттар мен міндеттер бойынша орындалу барысы"),
    ("Direction: {name}", "Направление: {name}", "Бағыт: {name}"),
    ("Task: {name}", "Задача: {name}", "Міндет: {name}"),
    ("Verdict: {status}. {why}", "Оценка: {status}. {why}", "Баға: {status}. {why}"),
    ("Source: {source}; vintage {vintage}.", "Источник: {source}; версия публикации {vintage}.",
     "Дереккөз: {source}; жариялану нұсқасы {vintage}."),
    ("{name}: observed values, milestones, projection with its 80 % and 95 % prediction intervals, "
     "and the required trajectory.",
     "{name}: наблюдаемые значения, промежуточные цели, прогноз с интервалами прогноза 80 % и 95 % "
     "и требуемая траектория.",
     "{name}: байқалған мәндер, аралық нысаналар, 80 % және 95 % болжам аралықтары бар болжам "
     "және қажетті траектория."),
    ("observed", "наблюдение", "байқалған"),
    ("milestone", "промежуточная цель", "аралық нысана"),
    ("projection", "прогноз", "болжам"),
    ("required trajectory", "требуемая траектория", "қажетті траектория"),
    ("Risk register", "Реестр рисков", "Тәуекелдер тізілімі"),
    ("{raised} of {total} risks are raised by their indicators.",
     "Показатели указывают на {raised} из {total} рисков.",
     "Көрсеткіштер {total} тәуекелдің {raised} тәуекелін көрсетеді."),
    ("Task", "Задача", "Міндет"),
    ("Risk", "Риск", "Тәуекел"),
    ("Level", "Уровень", "Деңгей"),
    ("Why", "Почему", "Неліктен"),
    ("raised", "выявлен", "анықталды"),
    ("not raised", "не выявлен", "анықталмады"),
    ("none", "нет", "жоқ"),
    ("unknown", "неизвестно", "белгісіз"),
    ("Regional differentiation", "Региональная дифференциация", "Өңірлік саралану"),
    ("{name}: dispersion across {n} regions, {first}–{last}.",
     "{name}: разброс по {n} регионам, {first}–{last}.",
     "{name}: {n} өңір бойынша шашырау, {first}–{last}."),
    ("Regions", "Регионы", "Өңірлер"),
    ("Coefficient of variation", "Коэффициент вариации", "Вариация коэффициенті"),
    ("Gini index", "Индекс Джини", "Джини индексі"),
    ("Highest", "Наибольшее", "Ең жоғары"),
    ("Lowest", "Наименьшее", "Ең төмен"),
    ("{name}: coefficient of variation across regions, by year (%).",
     "{name}: коэффициент вариации по регионам, по годам (%).",
     "{name}: өңірлер бойынша вариация коэффициенті, жылдар бойынша (%)."),
    ("{name}: regions ranked, {year}.", "{name}: регионы по убыванию значения, {year}.",
     "{name}: өңірлер мәнінің кемуі бойынша, {year}."),
    ("No indicator of this programme has figures for regions.",
     "Ни по одному показателю программы нет данных по регионам.",
     "Бағдарламаның бірде-бір көрсеткіші бойынша өңірлік деректер жоқ."),
    ("Composite index", "Композитный индекс", "Композиттік индекс"),
    ("{name}, {year}: ranks with their 5–95 % interval from {runs} simulations.",
     "{name}, {year}: места с интервалом 5–95 % по {runs} имитациям.",
     "{name}, {year}: {runs} имитация бойынша 5–95 % аралығы бар орындар."),
    ("Rank", "Место", "Орын"),
    ("Country", "Страна", "Ел"),
    ("Score", "Балл", "Балл"),
    ("Rank interval", "Интервал мест", "Орындар аралығы"),
    ("The composite index could not be computed: {why}", "Композитный индекс не удалось рассчитать: {why}",
     "Композиттік индексті есептеу мүмкін болмады: {why}"),
    ("not asked for", "не запрошен", "сұралмаған"),
    ("Annex A. Data quality", "Приложение A. Качество данных", "А қосымшасы. Деректер сапасы"),
    ("{n} audit findings touch the figures of this report ({errors} errors, {warnings} warnings).",
     "Результатов аудита, касающихся данных отчёта: {n} (ошибок: {errors}, предупреждений: {warnings}).",
     "Есеп деректеріне қатысты аудит нәтижелері: {n} (қателер: {errors}, ескертулер: {warnings})."),
    ("Severity", "Серьёзность", "Маңыздылығы"),
    ("Finding", "Результат проверки", "Тексеру нәтижесі"),
    ("error", "ошибка", "қате"),
    ("warning", "предупреждение", "ескерту"),
    ("Annex B. Methods", "Приложение B. Методы", "В қосымшасы. Әдістер"),
    ("Annex C. Sources, vintages and citation", "Приложение C. Источники, версии публикации и цитирование",
     "С қосымшасы. Дереккөздер, жариялану нұсқалары және сілтеме"),
    ("Cite this report as: {cite}", "Ссылка на отчёт: {cite}", "Есепке сілтеме: {cite}"),
    ("Programme: {cite}", "Программа: {cite}", "Бағдарлама: {cite}"),
    ("{programme}: monitoring report as of {day} (sandyq {version}, language {lang}).",
     "{programme}: отчёт о мониторинге на {day} (sandyq {version}, язык {lang}).",
     "{programme}: {day} жағдай бойынша мониторинг есебі (sandyq {version}, тілі {lang})."),
    ("Contents", "Содержание", "Мазмұны"),
    ("Measures of the action plan: {done} of {measures} done ({rate}); of those due by this date, {done_due} of "
     "{due} done ({rate_due}); overdue: {overdue}.",
     "Мероприятия плана действий: исполнено {done} из {measures} ({rate}); из тех, чей срок наступил к этой дате, "
     "исполнено {done_due} из {due} ({rate_due}); просрочено: {overdue}.",
     "Іс-қимыл жоспарының іс-шаралары: {measures} іс-шараның {done} орындалды ({rate}); осы күнге дейін мерзімі "
     "келгендердің {due} ішінен {done_due} орындалды ({rate_due}); мерзімі өткені: {overdue}."),
    ("Measure", "Мероприятие", "Іс-шара"),
    ("Deadline", "Срок", "Мерзімі"),
    ("Agency", "Ведомство", "Ведомство"),
    ("Overdue measures", "Просроченные мероприятия", "Мерзімі өткен іс-шаралар"),
)  # fmt: skip

for _en, _ru, _kk in _WORDS:
    CATALOG.setdefault(_en, {"ru": _ru, "kk": _kk})


def say(language: str, msgid: str, **params: Any) -> str:
    """``msgid`` with ``params`` in ``language`` (a plain ``str``)."""
    return str(Message(msgid, params).to(language))
