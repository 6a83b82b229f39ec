"""The settings registry drives the CLI options and the docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandyq.settings import SETTINGS, resolve

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_every_setting_is_documented(setting: object) -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert f"`{setting.name}`" in text and setting.env in text and str(setting.default) in text  # type: ignore[attr-defined]


def test_precedence_argument_env_default() -> None:
    env = {"SANDYQ_DB": "/data/kz.duckdb"}
    assert resolve("db", "cli.duckdb", environ=env) == "cli.duckdb"
    assert resolve("db", environ=env) == "/data/kz.duckdb"
    assert resolve("db", environ={}) == "sandyq.duckdb"
    assert resolve("port", environ={"SANDYQ_PORT": "9000"}) == 9000


def test_bad_language_in_environment_is_refused() -> None:
    with pytest.raises(ValueError, match="SANDYQ_LANGUAGE"):
        resolve("language", environ={"SANDYQ_LANGUAGE": "de"})
