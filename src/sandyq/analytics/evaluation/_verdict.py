"""The verdict of an evaluation and its caveats, as sentences in kk, ru and en (:func:`sandyq._messages.say`).

A careful reader of a synthetic-control estimate asks: how big is the gap, is it larger than the gaps of units
that had no programme (the placebos), did the synthetic unit track the treated one before, does the method find
an effect where there was none (the in-time placebo), does one donor drive it, and what the estimate cannot
mean. Each answer is one sentence.
"""

from __future__ import annotations

from typing import Any

from ..._messages import Message, joined, say
from ..._messages import add_sentence as _add
from ._result import Evaluation

__all__ = ["caveats", "verdict"]

_METHOD = {
    "sdid": "synthetic difference-in-differences",
    "sc": "synthetic control",
    "adh": "synthetic control",
    "did": "difference-in-differences",
}


# fmt: off
_add("synthetic difference-in-differences", "синтетическая разность разностей", "синтетикалық айырмалар айырмасы")
_add("synthetic control", "синтетический контроль", "синтетикалық бақылау")
_add("difference-in-differences", "разность разностей", "айырмалар айырмасы")
_add("Estimated effect in {first}–{last}: {effect:+.2f}, the average gap between {treated} and its synthetic "
     "counterpart ({method}).",
     "Оценка эффекта за {first}–{last} гг.: {effect:+.2f} — средний разрыв между {treated} и его синтетическим "
     "двойником ({method}).",
     "{first}–{last} жылдардағы әсер бағасы: {effect:+.2f} — {treated} мен оның синтетикалық егізі арасындағы "
     "орташа алшақтық ({method}).")
_add("Of {n} donors treated as if they had had the programme, {k} show a gap at least as large relative to their "
     "fit before it (p = {p:.2f}).",
     "Из {n} доноров, рассмотренных так, как будто у них была программа, у {k} разрыв относительно подгонки до неё "
     "не меньше (p = {p:.2f}).",
     "Бағдарлама болғандай қаралған {n} донордың {k} донорында одан бұрынғы сәйкестікке қатысты алшақтық кем емес "
     "(p = {p:.2f}).")
_add("Evidence of an effect: a gap this large is rare among the placebos.",
     "Есть свидетельство эффекта: такой большой разрыв редок среди плацебо.",
     "Әсердің дәлелі бар: мұндай үлкен алшақтық плацебо арасында сирек кездеседі.")
_add("Weak evidence of an effect: a gap this large is uncommon among the placebos, not rare.",
     "Слабое свидетельство эффекта: такой разрыв нечаст среди плацебо, но не редок.",
     "Әсердің әлсіз дәлелі: мұндай алшақтық плацебо арасында жиі емес, бірақ сирек те емес.")
_add("No evidence of an effect: the gap is within what the placebos show.",
     "Нет свидетельства эффекта: разрыв в пределах того, что показывают плацебо.",
     "Әсердің дәлелі жоқ: алшақтық плацебо көрсететін шектің ішінде.")
_add("No placebo test: the panel has more than one treated unit.",
     "Плацебо-теста нет: в панели больше одной единицы воздействия.",
     "Плацебо-тест жоқ: панельде бағдарлама әсер еткен бірліктер біреуден көп.")
_add("This is not a randomised trial: the estimate is the programme's effect only if nothing else set {treated} "
     "apart from its donors from {start} on.",
     "Это не рандомизированный эксперимент: оценка — эффект программы, только если с {start} г. ничто другое не "
     "отличало {treated} от доноров.",
     "Бұл рандомизацияланған эксперимент емес: баға бағдарламаның әсері болады, егер {start} жылдан бастап "
     "{treated} донорлардан басқа ештеңемен ерекшеленбесе ғана.")
_add("The estimate does not say which measure caused the gap, whether it will last, or that the programme was "
     "worth its cost.",
     "Оценка не говорит, какая мера вызвала разрыв, сохранится ли он и окупилась ли программа.",
     "Баға алшақтықты қай шара тудырғанын, оның сақталатынын немесе бағдарлама өз құнын ақтағанын айтпайды.")
_add("{n} {n:plural:donor was|donors were} left out because of a missing value in some year.",
     "{n} {n:plural:донор исключён|донора исключены|доноров исключены|донора исключены} из-за пропуска в "
     "каком-либо году.",
     "{n} донор қай да бір жылдағы мәннің жоқтығынан алынып тасталды.")
_add("Before the programme the synthetic counterpart misses {treated} by {rmspe:.2f} (root mean square), a loose "
     "fit: read the gap with care.",
     "До программы синтетический двойник отклоняется от {treated} на {rmspe:.2f} (среднеквадратично) — подгонка "
     "слабая, разрыв следует читать осторожно.",
     "Бағдарламаға дейін синтетикалық егіз {treated} мәнінен {rmspe:.2f} шамасына ауытқиды (орташа квадраттық) — "
     "сәйкестік әлсіз, алшақтықты сақтықпен оқыған жөн.")
_add("Moved back to {year}, before the programme, the method finds a gap of {gap:+.2f}: part of the estimate may "
     "not be the programme's.",
     "При переносе начала на {year} г., до программы, метод находит разрыв {gap:+.2f}: часть оценки может быть не "
     "связана с программой.",
     "Басын бағдарламаға дейінгі {year} жылға жылжытқанда әдіс {gap:+.2f} алшақтық табады: бағаның бір бөлігі "
     "бағдарламаға қатысты болмауы мүмкін.")
_add("Leaving out one donor at a time moves the estimate between {low:+.2f} and {high:+.2f}.",
     "Исключение доноров по одному меняет оценку в пределах от {low:+.2f} до {high:+.2f}.",
     "Донорларды бір-бірден алып тастау бағаны {low:+.2f} мен {high:+.2f} аралығында өзгертеді.")
_add("Only {n} {n:plural:donor|donors}: the smallest p-value the placebo test can give is {p:.2f}.",
     "Всего {n} {n:plural:донор|донора|доноров|донора}: наименьшее p-значение плацебо-теста — {p:.2f}.",
     "Барлығы {n} донор: плацебо-тест бере алатын ең кіші p-мәні — {p:.2f}.")
# fmt: on


def verdict(ev: Evaluation) -> Message:
    """The estimate, the placebo test and what they say together.

    >>> from sandyq._messages import Message
    >>> say("ru", "No evidence of an effect: the gap is within what the placebos show.")
    'Нет свидетельства эффекта: разрыв в пределах того, что показывают плацебо.'
    """
    post = [p for p in ev.periods if p >= ev.start]
    head = say(
        "en",
        "Estimated effect in {first}–{last}: {effect:+.2f}, the average gap between {treated} and its "
        "synthetic counterpart ({method}).",
        first=post[0],
        last=post[-1],
        effect=ev.effect,
        treated=ev.treated,
        method=Message(_METHOD[ev.method]),
    )
    if ev.p_value is None:
        return joined(head, Message("No placebo test: the panel has more than one treated unit."))
    n = len(ev.placebo)
    k = round(ev.p_value * (n + 1)) - 1
    test = say(
        "en",
        "Of {n} donors treated as if they had had the programme, {k} show a gap at least as large "
        "relative to their fit before it (p = {p:.2f}).",
        n=n,
        k=k,
        p=ev.p_value,
    )
    if ev.p_value <= 0.05:
        end = Message("Evidence of an effect: a gap this large is rare among the placebos.")
    elif ev.p_value <= 0.10:
        end = Message("Weak evidence of an effect: a gap this large is uncommon among the placebos, not rare.")
    else:
        end = Message("No evidence of an effect: the gap is within what the placebos show.")
    return joined(head, test, end)


def caveats(ev: Evaluation, pre_sd: float) -> list[Message]:
    """What the estimate does not mean, and what in this panel weakens it."""
    out = [
        say(
            "en",
            "This is not a randomised trial: the estimate is the programme's effect only if nothing else set "
            "{treated} apart from its donors from {start} on.",
            treated=ev.treated,
            start=ev.start,
        ),
        Message(
            "The estimate does not say which measure caused the gap, whether it will last, or that the "
            "programme was worth its cost."
        ),
    ]
    if ev.dropped:
        out.append(
            say(
                "en",
                "{n} {n:plural:donor was|donors were} left out because of a missing value in some year.",
                n=len(ev.dropped),
            )
        )
    if ev.method != "did" and pre_sd > 0 and ev.pre_rmspe > 0.25 * pre_sd:
        out.append(
            say(
                "en",
                "Before the programme the synthetic counterpart misses {treated} by {rmspe:.2f} (root "
                "mean square), a loose fit: read the gap with care.",
                treated=ev.treated,
                rmspe=ev.pre_rmspe,
            )
        )
    if ev.in_time is not None:
        fake: Any = ev.in_time["effect"]
        scale = max(abs(ev.effect) / 2, ev.se or 0.0)
        if abs(fake) > scale:
            out.append(
                say(
                    "en",
                    "Moved back to {year}, before the programme, the method finds a gap of {gap:+.2f}: "
                    "part of the estimate may not be the programme's.",
                    year=ev.in_time["start"],
                    gap=fake,
                )
            )
    if ev.leave_one_out:
        values = list(ev.leave_one_out.values())
        out.append(
            say(
                "en",
                "Leaving out one donor at a time moves the estimate between {low:+.2f} and {high:+.2f}.",
                low=min(values),
                high=max(values),
            )
        )
    if ev.placebo and len(ev.placebo) < 19:
        out.append(
            say(
                "en",
                "Only {n} {n:plural:donor|donors}: the smallest p-value the placebo test can give is {p:.2f}.",
                n=len(ev.placebo),
                p=1 / (len(ev.placebo) + 1),
            )
        )
    return out
