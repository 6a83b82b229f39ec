"""The analysis' sentences: every msgid has kk and ru forms with the same placeholders, and plurals follow CLDR."""

from __future__ import annotations

import string

import pytest

from sandyq._messages import CATALOG, Message, joined, number, translated


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_translation_keeps_the_placeholders(language: str) -> None:
    wrong = [en for en, forms in CATALOG.items() if _fields(forms[language]) != _fields(en)]
    assert wrong == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_translation_is_left_in_english(language: str) -> None:
    words = {en: "".join(text for text, *_ in string.Formatter().parse(en)) for en in CATALOG}
    same = [en for en, forms in CATALOG.items() if forms[language] == en and any(c.isalpha() for c in words[en])]
    assert same == []


def test_russian_plurals_follow_the_cldr_rule() -> None:
    m = "Projected {value} in {year} ({h} {h:plural:year|years} after the latest value)."
    said = [Message(m, {"value": 1.5, "year": 2030, "h": h}).to("ru") for h in (1, 2, 5, 11, 21, 22)]
    assert [s.split("через ")[1].split(" после")[0] for s in said] == [
        "1 год", "2 года", "5 лет", "11 лет", "21 год", "22 года",
    ]  # fmt: skip
    assert Message(m, {"value": 1.5, "year": 2030, "h": 1}) == "Projected 1.5 in 2030 (1 year after the latest value)."


def test_numbers_follow_the_locale_and_english_is_unchanged() -> None:
    # English keeps the analysis' own format (tests and JSON answers read it); kk and ru use Babel's symbols.
    assert number("en", 61.906624019322635) == "61.91" and number("ru", 61.906624019322635) == "61,91"
    assert number("en", 2_500_000.0) == "2,500,000" and number("kk", 2_500_000.0) == "2\xa0500\xa0000"
    assert number("ru", None) == "н/д" and number("en", float("nan")) == "n/a"


def test_a_message_is_its_english_text_and_survives_joining_and_pickling() -> None:
    import pickle

    m = joined(Message("No projection: there are no data."), "IT.NET.USER.ZS")
    assert m == "No projection: there are no data. IT.NET.USER.ZS"
    back = pickle.loads(pickle.dumps(m))
    assert translated(back, "ru") == "Прогноза нет: данных нет. IT.NET.USER.ZS"
    assert translated("plain text", "kk") == "plain text"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_sentences_use_the_glossary_terms(language: str) -> None:
    # The terms of content/framework/terms.yaml (status, projection, interval, probability, ...) in their glossary
    # form; placeholders are left out of the match ("{target}" is a number, not the word).
    from sandyq.framework import terms

    def words(template: str) -> str:
        return " ".join(text for text, *_ in string.Formatter().parse(template))

    wrong = [
        f"{term.id}: {en!r}"
        for term in terms().values()
        for en, forms in CATALOG.items()
        if term.uses("en", words(en)) and not term.uses(language, words(forms[language]))
    ]
    assert wrong == []


def test_a_stored_english_sentence_is_read_back_and_said_in_the_language() -> None:
    # Load issues are kept as English text in the store; the output reads them back to their msgid.
    from sandyq._messages import recognised, said
    from sandyq.analytics.audit import said_finding

    issue = "value 118.29302760468757 is outside what unit PT allows [0, 100]; set aside, not loaded"
    m = recognised(issue)
    assert isinstance(m, Message) and m.msgid.startswith("value {x} is outside what unit {unit} allows")
    assert m == issue  # the English is the stored text, unchanged
    assert said_finding(issue, "ru").startswith("значение 118,29302760468757 выходит за пределы")
    # Sentences joined by "; " and lists joined by ", " are read piece by piece.
    jump = (
        "70.1 in 2012 → 11.2 in 2013 (−58.9) is 87.9 robust scales from the series' typical change (-0.25 ± 0.667); "
        "a warning: at least 20 scales, the value halves"
    )
    assert said_finding(jump, "kk").endswith("ескерту: кемінде 20 шашырау бірлігі, мән екі есе азаяды")
    assert said("an English text sandyq never wrote", "ru") == "an English text sandyq never wrote"
