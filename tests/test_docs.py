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


def test_architecture_names_every_layer_and_analytics_subpackage() -> None:
    """docs/architecture.md stays the map: it names every package of sandyq and every analytics subpackage."""
    import sandyq.analytics

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(p.name for p in (ROOT / "src" / "sandyq").iterdir() if (p / "__init__.py").exists())
    assert packages, "no packages found"
    missing = [p for p in packages if p != "content" and f"sandyq.{p}" not in text]
    missing += [f"analytics.{s}" for s in sandyq.analytics.__all__ if f"`{s}`" not in text]
    assert not missing, f"docs/architecture.md does not mention: {missing}"


def test_changelog_and_contributing_exist_and_name_the_version_file() -> None:
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "src/sandyq/_version.py" in contributing and (ROOT / "src" / "sandyq" / "_version.py").exists()
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
