"""Every command reads in Kazakh and Russian: ``sandyq --language kk|ru`` prints no run of three English words.

The checker is :func:`sandyq.outputs._language.english_runs` (codes, names and quotations pass). ``progress`` has its
own test (``test_cli_progress.py``); the audit is run on one indicator with every severity, so that the test stays
fast while its findings, tolerances, caption and rule names are all printed (the data-quality page's test reads
every finding of the store).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sandyq.outputs._language import english_runs
from sandyq.outputs.cli import app

runner = CliRunner()

COMMANDS = [
    ["audit", "--indicator", "5-b-1", "--severity", "info"],
    ["regions", "17-8-1"],
    ["regions", "17-8-1", "--year", "2022"],
    ["overview"],
    ["indicators"],
    ["show", "17-8-1"],
    ["check"],
]

#: A phrase each command says in the language (headers, caption, counts), beyond having no English sentence.
SAID = {
    ("audit", "ru"): "по правилам — Итоговое значение вне диапазона значений его категорий:",
    ("audit", "kk"): "маңыздылығы",
    ("overview", "ru"): "индикаторов с данными:",
    ("overview", "kk"): "деректері бар индикаторлар:",
    ("check", "ru"): "проблем нет",
    ("check", "kk"): "мәселе жоқ",
    ("regions", "ru"): "по регионам KAZ",
    ("indicators", "kk"): "Индикаторлар",
}


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_reads_in_the_language(default_db: Path, language: str, command: list[str]) -> None:
    result = runner.invoke(app, ["--db", str(default_db), "--language", language, *command], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    assert english_runs(result.output) == []
    said = SAID.get((command[0], language))
    assert said is None or said in result.output


def test_a_fresh_process_says_its_summary_lines_in_the_language(default_db: Path) -> None:
    # The command line's catalog must be registered at start, not by whichever command ran first in the process.
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "sandyq", "--db", str(default_db), "--language", "ru", "check"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "проблем нет" in out.stderr + out.stdout
