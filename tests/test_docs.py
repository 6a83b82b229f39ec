"""The README and docs stay true to the code: every command they show exists."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from sandyq.outputs.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> set[str]:
    group = typer.main.get_group(app)
    return set(group.commands)


def test_readme_commands_exist() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"sandyq (?:--\S+ \S+ )*([a-z][a-z-]+)", text))
    known = _commands()
    missing = {c for c in used if c not in known}
    assert not missing, f"README shows commands that do not exist: {sorted(missing)}"


def test_readme_gives_the_two_commands_first() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
