"""The monitoring report (issue 17) on the default store, in Kazakh, Russian and English.

The figures are gathered once (module fixture) and the report rendered once per
language as PDF, DOCX and HTML; the tests read the text back out of the PDF
(pypdf) and the DOCX (python-docx) and check it against the store's roll-up.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sandyq
from sandyq.analytics.progress import with_unit
from sandyq.outputs.report import Document, Facts, build_document, gather, render
from sandyq.outputs.report._facts import in_language
from sandyq.outputs.report._model import Chart, Heading, Paragraph, Table
from sandyq.outputs.report._pdf import layout, overflows

LANGS = ("kk", "ru", "en")
PROGRAMME = "digital-kazakhstan"


def squash(text: str) -> str:
    """Text without any white space (PDF extraction breaks lines and spaces where layout did)."""
    return re.sub(r"[\s\u00a0\u202f]+", "", text)


@pytest.fixture(scope="module")
def monitor(default_db: Path) -> Iterator[sandyq.Monitor]:
    with sandyq.connect(default_db, read_only=True) as m:
        yield m


@pytest.fixture(scope="module")
def facts(monitor: sandyq.Monitor) -> Facts:
    return gather(monitor, PROGRAMME)


@pytest.fixture(scope="module")
def early(monitor: sandyq.Monitor) -> Facts:
    """The figures as of mid-2019, without the audit and the index (two tests read them)."""
    return gather(monitor, PROGRAMME, as_of="2019-06-30", whole=False)


@pytest.fixture(scope="module")
def rendered(facts: Facts) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for lang in LANGS:
        doc = build_document(facts, lang)
        pages = layout(doc)
        out[lang] = {"doc": doc, "layout": pages, "pdf": pages.write_pdf(), "docx": render(doc, "docx")}
    return out


_TEXTS: dict[int, str] = {}


def pdf_text(data: bytes) -> str:
    """The text of a PDF (read once per file: pypdf takes seconds on a report)."""
    from pypdf import PdfReader

    if id(data) not in _TEXTS:
        _TEXTS[id(data)] = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return _TEXTS[id(data)]


def docx_text(data: bytes) -> tuple[str, Any]:
    import docx

    word = docx.Document(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    parts += [c.text for t in word.tables for row in t.rows for c in row.cells]
    return "\n".join(parts), word


def expected(facts: Facts, lang: str) -> list[str]:
    """What the report must say, from the store's roll-up said in ``lang``: verdicts, latest values, the rate."""
    from sandyq._messages import Message

    report = in_language(facts.report, facts.programme, facts.framework, lang)
    out = [report.execution_text()]
    for t in report.targets:
        out.append(Message(t.label).to(lang))
        r = t.row()
        if r["latest_value"] is not None:
            out.append(f"{with_unit(r['latest_value'], t.unit, lang)} ({r['latest_year']}")
            out.append(t.vintage or "")
        if t.probability is not None:
            out.append(f"{sandyq._messages.number(lang, t.probability * 100, '.0f')} %")
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_says_every_verdict_and_figure_of_the_store(rendered: dict[str, Any], facts: Facts, lang: str) -> None:
    text = squash(pdf_text(rendered[lang]["pdf"]))
    missing = [e for e in expected(facts, lang) if squash(e) not in text]
    assert missing == []
    assert len(facts.report.targets) == 21  # the Digital Kazakhstan targets of the bundled framework


@pytest.mark.parametrize("lang", LANGS)
def test_the_docx_says_them_too_with_word_headings_and_tables(
    rendered: dict[str, Any], facts: Facts, lang: str
) -> None:
    text, word = docx_text(rendered[lang]["docx"])
    missing = [e for e in expected(facts, lang) if squash(e) not in squash(text)]
    assert missing == []
    styles = {p.style.name for p in word.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"} <= styles
    assert len(word.tables) >= 8
    with zipfile.ZipFile(io.BytesIO(rendered[lang]["docx"])) as z:
        svgs = [n for n in z.namelist() if n.endswith(".svg")]
        pngs = [n for n in z.namelist() if n.endswith(".png")]
    charts = sum(1 for b in rendered[lang]["doc"].blocks if type(b).__name__ == "Chart")
    assert len(svgs) == charts > 10 and len(pngs) == charts


@pytest.mark.parametrize("lang", LANGS)
def test_no_box_is_wider_than_its_page_and_the_fonts_cover_kazakh(rendered: dict[str, Any], lang: str) -> None:
    from pypdf import PdfReader

    assert overflows(rendered[lang]["layout"]) == []
    fonts: set[str] = set()
    for page in PdfReader(io.BytesIO(rendered[lang]["pdf"])).pages:
        for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    # "Report Sans" is the @font-face of the report's CSS, loaded from DejaVu (local()); the charts name DejaVu Sans.
    names = {f.split("+")[-1] for f in fonts}
    assert "Report-Sans" in names and names <= {"Report-Sans", "Report-Sans-Bold", "DejaVu-Sans"}, fonts
    if lang == "kk":
        assert "ә" in pdf_text(rendered[lang]["pdf"]) and "қ" in pdf_text(rendered[lang]["pdf"])


def test_the_summary_fits_on_the_first_page(rendered: dict[str, Any]) -> None:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(rendered["en"]["pdf"])).pages
    first, second = pages[0].extract_text(), pages[1].extract_text()
    assert "Execution rate" in first and "What changed since" in first
    assert "Progress by direction and task" in second  # the next chapter starts a page


def test_the_summary_puts_the_execution_rate_of_measures_beside_that_of_targets(
    rendered: dict[str, Any], facts: Facts
) -> None:
    import dataclasses
    from datetime import date

    from pypdf import PdfReader

    rate = sandyq.measures.execution_rate(facts.measures)
    assert (rate["done"], rate["measures"]) == (7, 16)  # the programme's own account of its measures (seed 004)
    said = {"en": "Measures of the action plan: 7 of 16 done (44 %)", "ru": "исполнено 7 из 16 (44 %)",
            "kk": "16 іс-шараның 7 орындалды (44 %)"}  # fmt: skip
    for lang in LANGS:
        first = PdfReader(io.BytesIO(rendered[lang]["pdf"])).pages[0].extract_text()
        assert squash(said[lang]) in squash(first)
    # a measure reported in progress past its deadline is listed as overdue, in the reader's language
    late = [dataclasses.replace(m, deadline=date(2020, 12, 31), due=True, overdue=True, status="in_progress")
            if i == 0 else m for i, m in enumerate(facts.measures)]  # fmt: skip
    doc = build_document(dataclasses.replace(facts, measures=late), "ru")
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.caption == "Просроченные мероприятия")
    name = next(e.name.get("ru") for t in facts.programme.tasks() for e in t.events if e.id == late[0].id)
    assert table.rows == ((name, "2020-12-31", "—", "выполняется"),)
    assert "просрочено: 1." in doc.text()


def test_the_html_is_one_file_with_nothing_to_fetch(rendered: dict[str, Any]) -> None:
    html = render(rendered["ru"]["doc"], "html").decode("utf-8")
    assert "<script" not in html and "<link" not in html and "<img" not in html
    urls = set(re.findall(r"(?:src|href)=\"([^\"#][^\"]*)\"", html))
    assert urls == set()
    assert html.count("<svg") == sum(1 for b in rendered["ru"]["doc"].blocks if type(b).__name__ == "Chart")
    assert 'local("DejaVu Sans")' in html


def test_renaming_the_roll_up_into_a_language_says_what_computing_it_there_says(
    monitor: sandyq.Monitor, facts: Facts
) -> None:
    direct = monitor.progress(PROGRAMME, language="kk")
    assert in_language(facts.report, facts.programme, facts.framework, "kk").to_text() == direct.to_text()


def test_regions_and_the_composite_index_are_the_analysis_figures(rendered: dict[str, Any], facts: Facts) -> None:
    doc: Document = rendered["en"]["doc"]
    text = doc.text()
    assert set(facts.regions) >= {"17-8-1", "5-b-1"}  # the SDG indicators published for Kazakhstan's regions
    source, _, table = facts.regions["17-8-1"]
    last = table.iloc[-1]
    assert f"{last['cv'] * 100:.1f}" in text and source == "kz-sdg"
    panel = facts.panel
    kaz = panel.table[(panel.table["geo"] == "KAZ") & panel.table["rank"].notna()]
    row = kaz[kaz["year"] == kaz["year"].max()].iloc[0]
    assert f"{row['rank']:.0f} | Kazakhstan | {row[panel.index_code]:.1f} | {row['rank_p05']:.0f}–" in text


def test_a_report_as_of_2019_differs_from_today_exactly_where_the_data_did(
    early: Facts, facts: Facts, rendered: dict[str, Any]
) -> None:
    from sandyq.outputs.report._changes import diff

    then_doc, now_doc = build_document(early, "en"), rendered["en"]["doc"]
    assert then_doc.meta["as_of"] == "2019-06-30"
    new, revised = diff(facts.now, early.now)
    changed = set(new["indicator"]) | set(revised["indicator"])
    assert changed  # figures were published after mid-2019
    before = {t.target_id: t.row() for t in early.report.targets}
    for t in facts.report.targets:
        now_row, then_row = t.row(), before[t.target_id]
        same = (now_row["latest_value"], now_row["latest_year"]) == (then_row["latest_value"], then_row["latest_year"])
        if t.indicator_id not in changed:
            assert same, t.target_id  # no new figure: the same latest value, said the same way
        line = f"Latest: {with_unit(now_row['latest_value'], t.unit)} ({now_row['latest_year']}"
        if now_row["latest_value"] is not None:
            assert line in now_doc.text()
            assert (line in then_doc.text()) == same or not same
    assert then_doc.text() != now_doc.text()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_english_is_left_in_kazakh_and_russian_but_the_audit_messages(
    rendered: dict[str, Any], facts: Facts, lang: str
) -> None:
    from sandyq.outputs._language import english_runs_html

    html = render(rendered[lang]["doc"], "html").decode("utf-8")
    # The audit's findings are said in English until their messages are in the catalog (issue 15): left out here.
    audit = " ".join(str(f.message) for f in facts.findings)
    runs = [r for r in english_runs_html(html, lang) if r not in audit]
    assert runs == []


def test_the_report_words_are_translated_with_their_placeholders_and_glossary_terms() -> None:
    import string

    from sandyq.framework import terms
    from sandyq.outputs.report import _evaluation, _map
    from sandyq.outputs.report._words import _WORDS

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    def words(text: str) -> str:
        return " ".join(t for t, *_ in string.Formatter().parse(text))

    for en, ru, kk in (*_WORDS, *_map._WORDS, *_evaluation._WORDS):
        assert fields(ru) == fields(en) == fields(kk), en
        assert ru != en and kk != en, en
        for term in terms().values():
            if term.uses("en", words(en)):
                assert term.uses("ru", words(ru)) and term.uses("kk", words(kk)), (term.id, en)


# --- the regional map and the policy evaluation (issue 17: "a map and the dispersion over time"; evaluation) ---


def _maps(doc: Document) -> list[Any]:
    return [b for b in doc.blocks if isinstance(b, Chart) and "data-code=" in b.svg]


def _quintile_edges(values: list[float]) -> list[float]:
    """The dashboard's class edges (sandyq.js quantileBins: values at ranks i·(n−1)/5, rounded half up)."""
    v = sorted(values)
    return [v[min(len(v) - 1, int(i * (len(v) - 1) / 5 + 0.5))] for i in range(6)]


@pytest.mark.parametrize("lang", LANGS)
def test_each_regional_indicator_has_a_map_of_its_latest_figures_with_the_store_legend(
    monitor: sandyq.Monitor, rendered: dict[str, Any], facts: Facts, lang: str
) -> None:
    from sandyq._messages import number
    from sandyq.outputs._geo import boundary_shapes

    doc: Document = rendered[lang]["doc"]
    maps = _maps(doc)
    assert len(maps) == len(facts.regions) >= 2
    geo = facts.framework.geography
    html = render(doc, "html").decode("utf-8")
    pdf = squash(pdf_text(rendered[lang]["pdf"]))
    for chart, (ind, (source, _, table)) in zip(maps, facts.regions.items(), strict=True):
        year = int(table["year"].max())
        obs = monitor.observations(ind, as_of=facts.report.as_of, dims="", derived=False)
        obs = obs[(obs["source"] == source) & obs["geo"].str.startswith("KZ-") & (obs["period"] == str(year))]
        values = dict(zip(obs["geo"], obs["value"], strict=True))
        # the boundaries valid in that year: 20 regions since 2022 (Abai, Jetisu, Ulytau), 17 in 2018-2021
        codes = {f["code"] for f in boundary_shapes(geo, geo.boundary_set(year), year)["features"]}
        assert len(codes) == (20 if year >= 2022 else 17 if year >= 2018 else 16)
        assert set(values) <= codes
        for code in codes:
            assert f'data-code="{code}"' in chart.svg and geo.name(code, lang) in chart.svg
        decimals = facts.framework.indicators[ind].decimals
        spec = f".{decimals}f" if decimals is not None else ""
        legend = [number(lang, e, spec) for e in _quintile_edges(list(values.values()))]
        assert re.findall(r'font-size="9" text-anchor="middle">([^<]+)<', chart.svg) == legend
        for code, v in values.items():  # each region's figure is said on it (and in its tooltip)
            assert f"{geo.name(code, lang)}: {number(lang, float(v), spec)}</title>" in chart.svg
        assert chart.svg.split(">", 1)[1] in html  # the same drawing in the HTML (the PDF is laid out from it)
        assert squash("".join(legend)) in pdf and squash(chart.alt) in pdf


def test_the_docx_carries_the_map_as_a_picture(rendered: dict[str, Any]) -> None:
    with zipfile.ZipFile(io.BytesIO(rendered["kk"]["docx"])) as z:
        svgs = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".svg")]
    maps = _maps(rendered["kk"]["doc"])
    assert sum('data-code="KZ-71"' in s for s in svgs) == len(maps) >= 2  # Astana on every map, with its PNG twin


def test_the_evaluation_chapter_says_what_sandyq_evaluate_says_in_every_language(
    default_db: Path, rendered: dict[str, Any], facts: Facts
) -> None:
    import json

    from typer.testing import CliRunner

    from sandyq._messages import number
    from sandyq.outputs.cli import app
    from sandyq.outputs.report._evaluation import DONORS, TREATED, interval

    ev = facts.evaluations
    assert ev is not None and len(ev.results) == 1 and ev.start == facts.programme.start == 2018
    ((ind, by_method),) = ev.results.items()
    assert set(by_method) == {"did", "sc", "sdid"}
    command = ["--db", str(default_db), "evaluate", ind, "--treated", TREATED, "--from", str(ev.start),
               "--donors", DONORS, "--as-of", ev.as_of, "--method", "sdid", "--format", "json"]  # fmt: skip
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    sdid = by_method["sdid"]
    assert (cli["effect"], cli["se"], cli["p_value"]) == (sdid.effect, sdid.se, sdid.p_value)
    for lang in LANGS:
        text = squash(pdf_text(rendered[lang]["pdf"]))
        assert squash(sdid.verdict.to(lang)) in text
        for m, e in by_method.items():
            cells = (number(lang, e.effect, "+.2f"), number(lang, e.se, ".2f"), interval(e.effect, e.se, lang),
                     number(lang, e.p_value, ".3f"))  # fmt: skip
            assert squash(" ".join(cells)) in text or all(squash(c) in text for c in cells), (lang, m)
        row = next(r for t in rendered[lang]["doc"].blocks if type(t).__name__ == "Table" for r in t.rows
                   if r[1] == number(lang, sdid.effect, "+.2f"))  # fmt: skip
        assert row[2:5] == (number(lang, sdid.se, ".2f"), interval(sdid.effect, sdid.se, lang),
                            number(lang, sdid.p_value, ".3f"))  # fmt: skip
        lo = sdid.effect - 1.959964 * sdid.se
        assert number(lang, lo, ".2f") in row[3]


def test_where_nothing_can_be_evaluated_the_chapter_says_so_in_one_sentence(
    monitor: sandyq.Monitor, early: Facts
) -> None:
    import dataclasses

    from sandyq.outputs.report._evaluation import evaluations

    none = evaluations(monitor, early.ids, 2018, early.report.as_of, early.now)
    assert none.results == {}  # a year after the start, before any figure of 2018 was published abroad
    said = {"en": "No indicator of this programme can be evaluated against other countries as of 2019-06-30.",
            "ru": "На 2019-06-30 ни один показатель программы нельзя оценить в сравнении с другими странами.",
            "kk": "2019-06-30 жағдай бойынша бағдарламаның бірде-бір көрсеткішін басқа елдермен салыстырып бағалау "
                  "мүмкін емес."}  # fmt: skip
    for lang in LANGS:
        doc = build_document(dataclasses.replace(early, evaluations=none), lang)
        i = next(n for n, b in enumerate(doc.blocks) if getattr(b, "anchor", "") == "evaluation")
        sentence, heading = doc.blocks[i + 1], doc.blocks[i + 2]
        assert isinstance(sentence, Paragraph) and sentence.text == said[lang] and isinstance(heading, Heading)
        methods = doc.text()[doc.text().index(heading.text) :]
        assert "Arkhangelsky" in methods and ("1,96" if lang != "en" else "1.96") in methods
