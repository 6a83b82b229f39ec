"""The terminology is used everywhere: each catalog's translation of a term is the glossary's form."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sandyq.framework import terms
from sandyq.outputs.web._i18n import catalog


def _pairs(language: str) -> list[tuple[str, str]]:
    """Every (English msgid, translation) of the ``language`` catalog, plural forms included."""
    out = []
    for m in catalog(language):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple | list) else (m.id,)
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        out += [(ids[min(k, len(ids) - 1)], s) for k, s in enumerate(strings) if s]
    return out


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_catalog_translations_use_the_glossary_terms(language: str) -> None:
    wrong = [
        f"{term.id}: {en!r} -> {text!r}"
        for term in terms().values()
        for en, text in _pairs(language)
        if term.uses("en", en) and not term.uses(language, text)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_glossary_names_every_term_of_the_brief() -> None:
    # Statuses, risk, vintage, projection, interval, probability, execution rate, CV, Gini, Theil, convergence,
    # MASE and the Brier score: each with a definition in three languages and a reference.
    assert {
        "status", "risk", "vintage", "projection", "prediction-interval", "probability", "execution-rate", "cv",
        "gini", "theil", "sigma-convergence", "beta-convergence", "mase", "brier-score",
    } <= set(terms())  # fmt: skip
    for term in terms().values():
        assert term.uses("en", term.name.en) and term.uses("ru", term.name.ru) and term.uses("kk", term.name.kk), (
            term.id
        )


def test_a_catalog_with_another_word_would_fail() -> None:
    vintage = terms()["vintage"]
    assert not vintage.uses("ru", "Каждое число можно скачать с единицей измерения, источником и выпуском.")
    assert not terms()["risk"].uses("kk", "Туындаған қатерлер")


def test_glossary_page_shows_the_terms_next_to_table_1(client: TestClient) -> None:
    ru = client.get("/ru/glossary/").text
    assert "Понятия цифровизации" in ru and "Статистические и программные термины" in ru
    assert "Версия публикации" in ru and "Оценка Брайера" in ru and 'id="term-vintage"' in ru
    assert "П. Моули и соавт., 2020" in ru and "seed" not in ru
    kk = client.get("/kk/glossary/").text
    assert "Жариялану нұсқасы" in kk and "Тейл индексі" in kk


#: Word-for-word renderings a reader of Russian or Kazakh would stumble on (issue 15), with the glossary's words
#: that replace them: peers are "countries for comparison", risks are "identified", findings are "remarks".
CALQUES = {
    "ru": ["Добавить аналогов", "поднят", "Информационные результаты", "Идём ли мы", "до сих пор", "бэктест"],
    "kk": ["Ұқсастарын қосу", "туындаған", "Ақпараттық нәтижелер", "Біз жоспар бойынша", "кері тестілеу"],
}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_calque_of_the_issue_is_left(language: str) -> None:
    found = [(c, text) for _, text in _pairs(language) for c in CALQUES[language] if c.lower() in text.lower()]
    assert not found


def test_overview_names_risks_and_peers_in_plain_russian(client: TestClient) -> None:
    overview = client.get("/ru/").text
    assert "Выявленные риски" in overview and "Поднятые" not in overview
    assert "Добавить страны для сравнения" in client.get("/ru/indicator/17-8-1/").text
