"""``sandyq serve`` and ``sandyq build-site``: options from the settings registry, nothing started for real."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sandyq.outputs.cli import _web
from sandyq.outputs.cli._common import state

runner = CliRunner()


@pytest.fixture
def cli(default_db: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        state.db = str(default_db)
        state.language = "kk"

    _web.register(app)
    return app


def test_serve_uses_host_and_port_settings(cli: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    result = runner.invoke(cli, ["serve", "--port", "8123"], env={"SANDYQ_HOST": "127.0.0.2"})
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.2" and seen["port"] == 8123
    assert "http://127.0.0.2:8123/" in result.output
    assert seen["app"].state.dash.db == state.db


def test_serve_defaults(cli: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    result = runner.invoke(cli, ["serve"], env={"SANDYQ_HOST": "", "SANDYQ_PORT": ""})
    assert result.exit_code == 0, result.output
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8000)


def test_build_site_reports_a_missing_store(tmp_path: Path) -> None:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        state.db = str(tmp_path / "absent.duckdb")

    _web.register(app)
    result = runner.invoke(app, ["build-site", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "run `sandyq init` first" in result.output
