"""The monitoring report from the dashboard (``/<lang>/report/``) and the API (``/api/report``)."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient


def test_the_targets_page_links_the_report_in_its_language(client: TestClient) -> None:
    html = client.get("/ru/targets/").text
    assert "Отчёт о мониторинге: " in html and 'href="../../ru/report/?format=docx"' in html


def test_the_report_route_answers_each_format_in_the_language_of_the_page(client: TestClient) -> None:
    import docx
    from pypdf import PdfReader

    # As of 2016 the store holds few figures, so the report is quick to gather; the figures are kept per date.
    res = client.get("/kk/report/?format=html&as_of=2016-12-31")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    assert 'filename="digital-kazakhstan-report-2016-12-31-kk.html"' in res.headers["content-disposition"]
    assert '<html lang="kk">' in res.text and "Мониторинг есебі: Цифрлық Қазақстан" in res.text
    res = client.get("/api/report", params={"format": "docx", "lang": "ru", "as_of": "2016-12-31"})
    assert res.status_code == 200 and res.headers["content-disposition"].startswith("attachment;")
    assert docx.Document(io.BytesIO(res.content)).paragraphs[0].text == "Отчёт о мониторинге: Цифровой Казахстан"
    res = client.get("/api/report", params={"format": "pdf", "as_of": "2016-12-31"})
    assert res.headers["content-type"] == "application/pdf"
    assert "2016-12-31" in PdfReader(io.BytesIO(res.content)).pages[0].extract_text()


def test_a_bad_format_or_programme_is_refused_by_name(client: TestClient) -> None:
    res = client.get("/api/report", params={"format": "xls"})
    assert res.status_code == 400 and "format" in res.json()["error"]["message"]
    res = client.get("/en/report/", params={"programme": "nope"})
    assert res.status_code == 404 and "nope" in res.json()["error"]["message"]
