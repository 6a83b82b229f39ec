"""The audit's and the loader's sentences in Kazakh, Russian and English, and how an output says a stored one.

The audit builds its messages column-wise (thousands at a time) and the loader keeps its problems as English
text in ``load_issue.message``, in stores written before the sentences were translatable.  So each sentence is
a catalog entry (:mod:`sandyq._messages`): the msgid is the English template the rule writes, with named
placeholders, and :func:`said_finding` reads a stored English message back to its msgid and parameters
(:func:`sandyq._messages.recognised`) and says it in the reader's language — no schema change, and old stores
read in Kazakh and Russian too.  Region names, boundary changes and declared rules' texts come from the
framework in the three languages (:func:`finding_names`).

>>> said_finding("published twice with different values: 87.3 (kept) and 89.2 (set aside, indicator_9-c-1.csv, "
...              "row 25)", "ru")
'опубликовано дважды с разными значениями: 87,3 (оставлено) и 89,2 (исключено, indicator_9-c-1.csv, строка 25)'
>>> said_finding("the 20 regions sum to 23.3, 2.0 (9.4 %) above KAZ 21.3", "kk")
'20 өңірдің қосындысы — 23,3, бұл KAZ 21,3 мәнінен 2,0 (9,4 %) артық'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._messages import Message, said
from ..._messages import add_sentence as _add

__all__ = ["RULE_NAMES", "finding_names", "said_finding"]

#: Each audit rule by a name people read (as on the data-quality page), said with :meth:`Message.to`.
RULE_NAMES: dict[str, Message] = {}


def finding_names(framework: Any) -> dict[str, Any]:
    """English texts of the framework found inside messages (region names, boundary changes, declared rules'
    texts, rule names) → their trilingual :class:`~sandyq.framework.Text`."""
    names: dict[str, Any] = {}
    geography = framework.geography
    for unit in [*geography.regions(), *geography.countries(), *geography.aggregates()]:
        names[unit.name.en] = unit.name
        for change in unit.boundary_changes:
            names[change.description.en] = change.description
    for rule in framework.rules.values():
        names[rule.text.en] = rule.text
    return names


def said_finding(text: Any, language: str, names: Mapping[str, Any] | None = None) -> Any:
    """A finding's or load issue's message in ``language`` (English, and any text not in the catalog, unchanged)."""
    return said(text, language, names)


# fmt: off
# ---- derived figures ---------------------------------------------------------------------------------------------
_add("printed {printed}, recomputed {recomputed} ({exact}) from {inputs}, inputs from {own}",
     "опубликовано {printed}, пересчитано {recomputed} ({exact}) по данным {inputs}, исходные данные {own}",
     "жарияланғаны {printed}, қайта есептелгені {recomputed} ({exact}), бастапқы деректер: {inputs}, олар {own}")
_add("the same source", "из того же источника", "сол дереккөзден алынған")
_add("another source", "из другого источника", "басқа дереккөзден алынған")
_add("{base} {first} in {t0} → {last} in {t1} ({source})",
     "{base}: {first} в {t0} г. → {last} в {t1} г. ({source})",
     "{base}: {t0} ж. {first} → {t1} ж. {last} ({source})")
_add("printed {printed} cannot be checked: {why}",
     "опубликованное значение {printed} невозможно проверить: {why}",
     "жарияланған {printed} мәнін тексеру мүмкін емес: {why}")
_add("no values of {base} in the store", "в хранилище нет значений {base}", "қоймада {base} мәндері жоқ")
_add("no value of {base} for this year", "нет значения {base} за этот год", "осы жылға {base} мәні жоқ")
_add("no values of {base} for this geography", "нет значений {base} для этой территории",
     "осы аумақ үшін {base} мәндері жоқ")
_add("no {base} for this key (or it is not positive)", "нет {base} для этого ключа (или оно не положительное)",
     "осы кілт үшін {base} жоқ (немесе ол оң емес)")
_add("{base}: no earlier value: the series starts in {year}",
     "{base}: нет более раннего значения — ряд начинается в {year} году",
     "{base}: бұрынғы мән жоқ — қатар {year} жылы басталады")
_add("{base}: no value for the base year {year}", "{base}: нет значения за базовый {year} год",
     "{base}: базалық {year} жылға мән жоқ")
_add("{base}: no value for {year}", "{base}: нет значения за {year}", "{base}: {year} үшін мән жоқ")
_add("{base}: the base value in {year} is 0", "{base}: базовое значение в {year} году равно 0",
     "{base}: {year} жылғы базалық мән 0-ге тең")
# ---- totals and ranges ---------------------------------------------------------------------------------------------
_add("the {n} regions sum to {sum}, {d} ({r} %) above {parent} {total}",
     "сумма {n} регионов — {sum}, это на {d} ({r} %) больше, чем {parent} {total}",
     "{n} өңірдің қосындысы — {sum}, бұл {parent} {total} мәнінен {d} ({r} %) артық")
_add("the {n} regions sum to {sum}, {d} ({r} %) below {parent} {total}",
     "сумма {n} регионов — {sum}, это на {d} ({r} %) меньше, чем {parent} {total}",
     "{n} өңірдің қосындысы — {sum}, бұл {parent} {total} мәнінен {d} ({r} %) кем")
_add("the {n} regions sum to {sum} (only {n} of {m} regions have a value), {d} ({r} %) above {parent} {total}",
     "сумма {n} регионов — {sum} (значения есть только у {n} из {m} регионов), это на {d} ({r} %) больше, чем "
     "{parent} {total}",
     "{n} өңірдің қосындысы — {sum} ({m} өңірдің тек {n} өңірінде мән бар), бұл {parent} {total} мәнінен {d} "
     "({r} %) артық")
_add("the {n} regions sum to {sum} (only {n} of {m} regions have a value), {d} ({r} %) below {parent} {total}",
     "сумма {n} регионов — {sum} (значения есть только у {n} из {m} регионов), это на {d} ({r} %) меньше, чем "
     "{parent} {total}",
     "{n} өңірдің қосындысы — {sum} ({m} өңірдің тек {n} өңірінде мән бар), бұл {parent} {total} мәнінен {d} "
     "({r} %) кем")
_add("region totals summed from their {dim} categories", "итоги регионов просуммированы из их категорий {dim}",
     "өңірлердің жиынтықтары олардың {dim} санаттарынан қосылды")
_add("the {n} categories of {dim} sum to {sum}, {d} ({r} %) above the total {total}",
     "сумма {n} категорий {dim} — {sum}, это на {d} ({r} %) больше итога {total}",
     "{dim} бойынша {n} санаттың қосындысы — {sum}, бұл жиынтық {total} мәнінен {d} ({r} %) артық")
_add("the {n} categories of {dim} sum to {sum}, {d} ({r} %) below the total {total}",
     "сумма {n} категорий {dim} — {sum}, это на {d} ({r} %) меньше итога {total}",
     "{dim} бойынша {n} санаттың қосындысы — {sum}, бұл жиынтық {total} мәнінен {d} ({r} %) кем")
_add("the {n} categories of {dim} sum to {sum} (only {k} of {m} categories present), {d} ({r} %) above the total "
     "{total}",
     "сумма {n} категорий {dim} — {sum} (есть только {k} из {m} категорий), это на {d} ({r} %) больше итога {total}",
     "{dim} бойынша {n} санаттың қосындысы — {sum} ({m} санаттың тек {k} санаты бар), бұл жиынтық {total} мәнінен "
     "{d} ({r} %) артық")
_add("the {n} categories of {dim} sum to {sum} (only {k} of {m} categories present), {d} ({r} %) below the total "
     "{total}",
     "сумма {n} категорий {dim} — {sum} (есть только {k} из {m} категорий), это на {d} ({r} %) меньше итога {total}",
     "{dim} бойынша {n} санаттың қосындысы — {sum} ({m} санаттың тек {k} санаты бар), бұл жиынтық {total} мәнінен "
     "{d} ({r} %) кем")
_add("{x} is {gap} above the highest of its {what} ({lo}–{hi}): a share or mean of the whole lies between its parts",
     "{x} на {gap} выше наибольшего значения среди {what} ({lo}–{hi}): доля или среднее целого лежит между "
     "значениями его частей",
     "{x} мәні {what} ішіндегі ең жоғары мәннен {gap} жоғары ({lo}–{hi}): бүтіннің үлесі немесе орташа мәні оның "
     "бөліктерінің мәндері арасында жатады")
_add("{x} is {gap} below the lowest of its {what} ({lo}–{hi}): a share or mean of the whole lies between its parts",
     "{x} на {gap} ниже наименьшего значения среди {what} ({lo}–{hi}): доля или среднее целого лежит между "
     "значениями его частей",
     "{x} мәні {what} ішіндегі ең төмен мәннен {gap} төмен ({lo}–{hi}): бүтіннің үлесі немесе орташа мәні оның "
     "бөліктерінің мәндері арасында жатады")
_add("{n} {n:plural:region|regions}", "{n} {n:plural:региона|регионов|регионов|регионов}", "{n} өңір")
_add("categories of {dim}", "категорий {dim}", "{dim} санаттары")
# ---- duplicates ----------------------------------------------------------------------------------------------------
_add("published twice with different values: {kept} (kept) and {other} (set aside, {file}, row {row})",
     "опубликовано дважды с разными значениями: {kept} (оставлено) и {other} (исключено, {file}, строка {row})",
     "екі рет әртүрлі мәнмен жарияланған: {kept} (сақталды) және {other} (алынып тасталды, {file}, {row}-жол)")
_add("{a} gives {x}, {b} gives {y}: they differ by {d} %, {verdict}",
     "{a} даёт {x}, {b} даёт {y}: расхождение {d} %, {verdict}",
     "{a} дереккөзінде {x}, {b} дереккөзінде {y}: айырмашылық {d} %, {verdict}")
_add("beyond the {t} tolerance", "больше допуска {t}", "{t} рұқсат етілген шегінен асады")
_add("within the {t} tolerance", "в пределах допуска {t}", "{t} рұқсат етілген шегінде")
# ---- breaks --------------------------------------------------------------------------------------------------------
_add("{geo} ({name}): the series runs {first}–{last} across the boundary change of {date} ({change}); {y0} ({x0}) "
     "and {y1} ({x1}) are for different territories",
     "{geo} ({name}): ряд за {first}–{last} гг. охватывает изменение границ {date} ({change}); {y0} ({x0}) и {y1} "
     "({x1}) относятся к разным территориям",
     "{geo} ({name}): {first}–{last} жылдардағы қатар {date} шекара өзгерісін қамтиды ({change}); {y0} ({x0}) және "
     "{y1} ({x1}) әртүрлі аумақтарға жатады")
_add("{n} value(s) for {years}, but {geo} ({name}) is {life}: back-cast on other borders, or a code mix-up",
     "значений за {years}: {n}, но {geo} ({name}) {life}: пересчёт в других границах или путаница кодов",
     "{years} үшін мәндер саны: {n}, бірақ {geo} ({name}) {life}: басқа шекаралар бойынша кері есептелген "
     "немесе кодтар шатасқан")
_add("published from {year}", "публикуется с {year} года", "{year} жылдан бастап жарияланады")
_add("until {year}", "до {year} года", "{year} жылға дейін")
_add("no value for {missing} between {y0} ({x0}) and {y1} ({x1})",
     "нет значения за {missing} между {y0} ({x0}) и {y1} ({x1})",
     "{y0} ({x0}) мен {y1} ({x1}) аралығында {missing} үшін мән жоқ")
_add("{x0} in {t0} → {x1} in {t1} ({delta}) is {z} robust scales from the series' typical change ({median} ± "
     "{scale})",
     "{x0} в {t0} г. → {x1} в {t1} г. ({delta}): отклонение от типичного изменения ряда ({median} ± {scale}) "
     "составляет {z} робастных единиц разброса",
     "{t0} ж. {x0} → {t1} ж. {x1} ({delta}): қатардың әдеттегі өзгерісінен ({median} ± {scale}) ауытқуы {z} "
     "робаст шашырау бірлігі")
_add("{x0} in {t0} → {x1} in {t1} ({delta} over {n} {n:plural:year|years}) is {z} robust scales from the series' "
     "typical change ({median} ± {scale})",
     "{x0} в {t0} г. → {x1} в {t1} г. ({delta} за {n} {n:plural:год|года|лет|года}): отклонение от типичного "
     "изменения ряда ({median} ± {scale}) составляет {z} робастных единиц разброса",
     "{t0} ж. {x0} → {t1} ж. {x1} ({n} жылда {delta}): қатардың әдеттегі өзгерісінен ({median} ± {scale}) "
     "ауытқуы {z} робаст шашырау бірлігі")
_add("it is reversed the next year (an isolated outlier?)",
     "на следующий год изменение обращается вспять (единичный выброс?)",
     "келесі жылы өзгеріс кері бағытқа бұрылады (жалғыз шығарынды ма?)")
_add("a warning: {reasons}", "предупреждение: {reasons}", "ескерту: {reasons}")
_add("at least {k} scales", "не менее {k} единиц разброса", "кемінде {k} шашырау бірлігі")
_add("at least {p} of the unit's range", "не менее {p} диапазона единицы измерения",
     "өлшем бірлігі ауқымының кемінде {p}")
_add("the value halves", "значение уменьшается вдвое", "мән екі есе азаяды")
_add("a spike reversed the next year", "всплеск, обращённый вспять на следующий год",
     "келесі жылы кері қайтқан секіріс")
_add("coincides with the boundary change of {date}", "совпадает с изменением границ {date}",
     "{date} шекара өзгерісімен сәйкес келеді")
_add("the source flags a break in series (status B)", "источник отмечает разрыв ряда (статус B)",
     "дереккөз қатардың үзілуін белгілейді (B мәртебесі)")
_add("the source flags {x} as a break in series: earlier values are not comparable",
     "источник отмечает {x} как разрыв ряда: более ранние значения несопоставимы",
     "дереккөз {x} мәнін қатардың үзілуі деп белгілейді: бұрынғы мәндер салыстырмалы емес")
# ---- bounds, declared rules, targets ---------------------------------------------------------------------------------
_add("stored value {x} is outside what unit {unit} allows {bounds}",
     "хранимое значение {x} выходит за пределы, допустимые для единицы {unit}: {bounds}",
     "қоймадағы {x} мәні {unit} бірлігі рұқсат ететін {bounds} шегінен тыс")
_add("published value {x} is outside what unit {unit} allows {bounds}; set aside at load, not in the store ({file}, "
     "row {row})",
     "опубликованное значение {x} выходит за пределы, допустимые для единицы {unit}: {bounds}; исключено при "
     "загрузке, в хранилище его нет ({file}, строка {row})",
     "жарияланған {x} мәні {unit} бірлігі рұқсат ететін {bounds} шегінен тыс; жүктеу кезінде алынып тасталды, "
     "қоймада жоқ ({file}, {row}-жол)")
_add("rule {id}: {left} = {a} but {right} = {b}; difference {d} breaks {left} {op} {right} ({text})",
     "правило {id}: {left} = {a}, но {right} = {b}; разность {d} нарушает условие {left} {op} {right} ({text})",
     "{id} ережесі: {left} = {a}, бірақ {right} = {b}; {d} айырмасы {left} {op} {right} шартын бұзады ({text})")
_add("not assessed by the source (printed {x} as a placeholder): missing, not a score of {x} ({file}, row {row}, "
     "column {column})",
     "источник не проводил оценку (вместо значения напечатано {x}): значение отсутствует, а не равно {x} ({file}, "
     "строка {row}, столбец {column})",
     "дереккөз бағаламаған (мән орнына {x} басылған): мән жоқ, {x} балл емес ({file}, {row}-жол, {column} бағаны)")
_add("target {id} ({prog}) sets {x} for {year}; the store has {y} for {year} ({source}), but the target is "
     "{judged} (status: {status})",
     "цель {id} ({prog}) устанавливает {x} на {year} год; в хранилище есть {y} за {year} год ({source}), но цель "
     "{judged} (статус: {status})",
     "{id} нысанасы ({prog}) {year} жылға {x} мәнін белгілейді; қоймада {year} жылға {y} бар ({source}), бірақ "
     "нысана {judged} (мәртебесі: {status})")
_add("judged on {source}, which has no {year} value", "оценивается по {source}, где нет значения за {year} год",
     "{year} жылғы мәні жоқ {source} бойынша бағаланады")
_add("not judged on it", "оценивается не по нему", "ол бойынша бағаланбайды")
# ---- problems recorded at load (load_issue.message) ----------------------------------------------------------------
_add("duplicate key with a different value {x}; kept the first row",
     "повтор ключа с другим значением {x}; оставлена первая строка",
     "кілт басқа {x} мәнімен қайталанған; бірінші жол сақталды")
_add("duplicate key with a different value {x}; kept the last row",
     "повтор ключа с другим значением {x}; оставлена последняя строка",
     "кілт басқа {x} мәнімен қайталанған; соңғы жол сақталды")
_add("{x} marks a unit the source did not assess (the row's {column} marks it not assessed); recorded as missing, "
     "not loaded",
     "{x} обозначает единицу, которую источник не оценивал (так отмечено в столбце {column} этой строки); записано "
     "как пропуск, не загружено",
     "{x} дереккөз бағаламаған бірлікті білдіреді (жолдың {column} бағанында бағаланбаған деп белгіленген); жоқ мән "
     "ретінде жазылды, жүктелмеді")
_add("{x} marks a unit the source did not assess; recorded as missing, not loaded",
     "{x} обозначает единицу, которую источник не оценивал; записано как пропуск, не загружено",
     "{x} дереккөз бағаламаған бірлікті білдіреді; жоқ мән ретінде жазылды, жүктелмеді")
_add("value {x} is outside what unit {unit} allows {bounds}; set aside, not loaded",
     "значение {x} выходит за пределы, допустимые для единицы {unit}: {bounds}; исключено, не загружено",
     "{x} мәні {unit} бірлігі рұқсат ететін {bounds} шегінен тыс; алынып тасталды, жүктелмеді")
_add("value {x} is beyond ±{m}, the largest magnitude sandyq accepts in this unit (a misplaced exponent? give it in "
     "a larger unit)",
     "значение {x} больше ±{m} — наибольшей величины, которую sandyq принимает в этой единице (ошибка в порядке "
     "числа? укажите его в более крупной единице)",
     "{x} мәні ±{m} шегінен асады — бұл sandyq осы бірлікте қабылдайтын ең үлкен шама (дәреже қате қойылған ба? "
     "мәнді ірірек бірлікпен беріңіз)")
# validation problems a submission or the entry form meets (as load refuses a row)
_add("value {x} is outside what unit {unit} allows {bounds}",
     "значение {x} выходит за пределы, допустимые для единицы {unit}: {bounds}",
     "{x} мәні {unit} бірлігі рұқсат ететін {bounds} шегінен тыс")
_add("not a number: {x}", "не число: {x}", "сан емес: {x}")
_add("no figures", "нет значений", "мәндер жоқ")
_add("not a number: {x} (not a finite figure)", "не число: {x} (не конечное значение)",
     "сан емес: {x} (шекті мән емес)")
_add("not a year, quarter or month: {x}", "не год, квартал или месяц: {x}", "жыл, тоқсан немесе ай емес: {x}")
_add("unknown geography code {x}", "неизвестный код территории {x}", "белгісіз аумақ коды {x}")
_add("unit {x} differs from the indicator's unit {unit}", "единица {x} отличается от единицы индикатора {unit}",
     "{x} бірлігі индикатордың {unit} бірлігінен өзгеше")
# tolerances of the audit's rules
_add("none: annual indicator", "нет: годовой индикатор", "жоқ: жылдық индикатор")
_add("none: any series spanning the change", "нет: любой ряд, охватывающий изменение",
     "жоқ: өзгерісті қамтитын кез келген қатар")
_add("none: the unit's statistical years (geography tables)",
     "нет: статистические годы единицы (таблицы географии)",
     "жоқ: бірліктің статистикалық жылдары (география кестелері)")
_add("none: the source's own mark", "нет: собственная отметка источника", "жоқ: дереккөздің өз белгісі")
_add("none: one key has one value", "нет: у одного ключа одно значение", "жоқ: бір кілттің бір мәні болады")
_add("none: status B", "нет: статус B", "жоқ: B мәртебесі")
_add("{t} (rounding to {k} printed decimal(s))", "{t} (округление до {k} знака(-ов) после запятой)",
     "{t} (үтірден кейінгі {k} таңбаға дейін дөңгелектеу)")
_add("{t} (rounding of {k} figures); severity threshold {p} of the total",
     "{t} (округление {k} чисел); порог серьёзности — {p} итога",
     "{t} ({k} санды дөңгелектеу); маңыздылық шегі — жиынтықтың {p}")
_add("{t} (rounding of both figures)", "{t} (округление обоих чисел)", "{t} (екі санды да дөңгелектеу)")
_add("unit {unit} allows {bounds}", "единица {unit} допускает {bounds}", "{unit} бірлігі {bounds} рұқсат етеді")
_add("relative {p} of the larger value (at least a tenth of the series' median level) (rounding to the coarser "
     "printed precision ignored)",
     "относительный, {p} от большего значения (не менее десятой части медианного уровня ряда) (округление до "
     "более грубой опубликованной точности не учитывается)",
     "салыстырмалы, үлкен мәннің {p} (қатардың медианалық деңгейінің кемінде оннан бірі) (жарияланған дәлдіктің "
     "дөрекісіне дейін дөңгелектеу ескерілмейді)")
_add("|Δ − median Δ| > {k} robust scales (1.4826 × MAD of the other changes, at least {floor} of the median level); "
     "warning from {w} scales, {share} of a bounded range, or a halving or reversed spike from {h}: scale {scale}",
     "|Δ − медиана Δ| > {k} робастных единиц разброса (1,4826 × MAD остальных изменений, не менее {floor} "
     "медианного уровня); предупреждение — от {w} единиц, {share} ограниченного диапазона, или при уменьшении "
     "вдвое или обращённом всплеске — от {h}: единица разброса {scale}",
     "|Δ − медиана Δ| > {k} робаст шашырау бірлігі (басқа өзгерістердің 1,4826 × MAD, медианалық деңгейдің кемінде "
     "{floor}); ескерту — {w} бірліктен, шектелген ауқымның {share}, немесе екі есе азаю не кері секіріс кезінде — "
     "{h} бастап: шашырау бірлігі {scale}")
_add("largest of {list}", "наибольший из: {list}", "ең үлкені: {list}")
_add("{t} relative", "{t} относительный", "{t} салыстырмалы")
_add("the rounding of the printed figures", "округление опубликованных чисел", "жарияланған сандарды дөңгелектеу")
# rule names
_add("Derived figure does not match its formula", "Расчётный показатель не совпадает с формулой",
     "Есептелген көрсеткіш формуласымен сәйкес емес")
RULE_NAMES["formula"] = Message("Derived figure does not match its formula")
_add("Growth rate does not match the levels", "Темп роста не совпадает с уровнями",
     "Өсу қарқыны деңгейлермен сәйкес емес")
RULE_NAMES["growth"] = Message("Growth rate does not match the levels")
_add("Average growth does not match the levels", "Средний темп роста не совпадает с уровнями",
     "Орташа өсу қарқыны деңгейлермен сәйкес емес")
RULE_NAMES["average_growth"] = Message("Average growth does not match the levels")
_add("Cannot be checked: inputs missing", "Нельзя проверить: нет исходных данных",
     "Тексеру мүмкін емес: бастапқы деректер жоқ")
RULE_NAMES["unverifiable"] = Message("Cannot be checked: inputs missing")
_add("Regions do not add up to the country", "Сумма регионов не равна итогу по стране",
     "Өңірлердің қосындысы ел бойынша жиынтыққа тең емес")
RULE_NAMES["regions_total"] = Message("Regions do not add up to the country")
_add("Categories do not add up to the total", "Сумма категорий не равна итогу",
     "Санаттардың қосындысы жиынтыққа тең емес")
RULE_NAMES["parts_total"] = Message("Categories do not add up to the total")
_add("Same figure published twice with different values", "Одна и та же цифра опубликована дважды с разными значениями",
     "Бір көрсеткіш екі рет әртүрлі мәнмен жарияланған")
RULE_NAMES["duplicate_key"] = Message("Same figure published twice with different values")
_add("Sources disagree", "Источники расходятся", "Дереккөздер сәйкес келмейді")
RULE_NAMES["source_disagreement"] = Message("Sources disagree")
_add("Series crosses a change of boundaries", "Ряд пересекает изменение границ", "Қатар шекаралардың өзгеруін қамтиды")
RULE_NAMES["boundary_change"] = Message("Series crosses a change of boundaries")
_add("Value for a region that did not exist that year", "Значение для региона, которого в тот год не было",
     "Сол жылы болмаған өңір үшін мән")
RULE_NAMES["nonexistent_unit"] = Message("Value for a region that did not exist that year")
_add("Missing years in the series", "Пропущенные годы в ряду", "Қатарда жылдар жетіспейді")
RULE_NAMES["gap"] = Message("Missing years in the series")
_add("Unusual jump", "Необычный скачок", "Әдеттен тыс секіріс")
RULE_NAMES["jump"] = Message("Unusual jump")
_add("Break in series flagged by the source", "Разрыв ряда, отмеченный источником", "Дереккөз белгілеген қатар үзілісі")
RULE_NAMES["flagged_break"] = Message("Break in series flagged by the source")
_add("Value outside what its unit allows", "Значение вне пределов, допустимых для единицы",
     "Мән өлшем бірлігі рұқсат ететін шектен тыс")
RULE_NAMES["out_of_bounds"] = Message("Value outside what its unit allows")
_add("National figure outside the range of its regions", "Национальное значение вне диапазона значений регионов",
     "Ұлттық мән өңірлердің мәндері ауқымынан тыс")
RULE_NAMES["regions_range"] = Message("National figure outside the range of its regions")
_add("Total outside the range of its categories", "Итоговое значение вне диапазона значений его категорий",
     "Жиынтық мән оның санаттарының мәндері ауқымынан тыс")
RULE_NAMES["parts_range"] = Message("Total outside the range of its categories")
_add("Target not judged on a figure the store holds", "Цель не оценена по значению, которое есть в хранилище",
     "Нысана қоймадағы мән бойынша бағаланбаған")
RULE_NAMES["target_unjudged"] = Message("Target not judged on a figure the store holds")
_add("Declared validation rule does not hold", "Не выполняется объявленное правило проверки",
     "Жарияланған тексеру ережесі орындалмайды")
RULE_NAMES["declared_rule"] = Message("Declared validation rule does not hold")
_add("Not assessed by the source: missing, not zero", "Не оценено источником: пропуск, а не ноль",
     "Дереккөз бағаламаған: нөл емес, бос мән")
RULE_NAMES["not_assessed"] = Message("Not assessed by the source: missing, not zero")
# fmt: on
