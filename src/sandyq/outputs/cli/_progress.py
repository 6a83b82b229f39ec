"""Target tracking on the command line: ``progress``, ``assess`` and ``backtest``."""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated, Any

import typer

from ...errors import InvalidValueError, UsageError
from ._common import Fmt, err_console, handle_errors, state

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("progress")(progress)
    app.command("assess")(assess)
    app.command("backtest")(backtest)


def _text(result: Any, format: Fmt, table: str | None = None) -> str:
    """``result.format(format)``, but CSV with no cell a spreadsheet would run (of its ``table``, else its frame)."""
    from ..export import frame_csv

    if format is not Fmt.csv:
        return str(result.format(format.value))
    return frame_csv(getattr(result, table) if table else result.to_frame())


@handle_errors
def progress(
    programme: Annotated[str, typer.Option(help="Programme id.")] = "digital-kazakhstan",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge with the figures published by this date.")] = None,
    format: Annotated[Fmt, typer.Option("--format", help="Output format.")] = Fmt.table,
) -> None:
    """Every target with status, latest value, projection, interval and probability; risks raised."""
    from ... import connect

    with connect(state.db_path, read_only=True) as m:
        report = m.progress(programme, as_of=as_of, language=state.lang)
    sys.stdout.write(_text(report, format).rstrip("\n") + "\n")


@handle_errors
def assess(
    values: Annotated[
        str, typer.Option("--values", help="Observed values as YEAR:VALUE pairs, e.g. 2004:8.5,2016:17.")
    ],
    target: Annotated[
        float | None, typer.Option("--target", help="Target value (omit for the no-target variant).")
    ] = None,
    target_year: Annotated[int | None, typer.Option("--target-year", help="Year the target is due.")] = None,
    polarity: Annotated[str, typer.Option("--polarity", help="higher or lower is better.")] = "higher",
    kind: Annotated[str, typer.Option("--kind", help="level, rank, cumulative or flow.")] = "level",
    unit: Annotated[
        str | None, typer.Option("--unit", help="Unit code, e.g. PT keeps projections within 0–100.")
    ] = None,
    format: Annotated[Fmt, typer.Option("--format", help="Output format (table or json).")] = Fmt.table,
) -> None:
    """Assess a series given on the command line: status, ratio, projection with interval, probability."""
    from ...analytics.progress import assess as assess_values
    from ...framework import UNITS

    if polarity not in ("higher", "lower"):
        raise InvalidValueError(f"--polarity must be 'higher' or 'lower', not {polarity!r}")
    if target is not None and target_year is None:
        raise UsageError("--target needs --target-year")
    if target is not None and not math.isfinite(target):
        raise InvalidValueError(f"--target must be a finite number, not {target!r}")
    if target_year is not None and not 1800 <= target_year <= 2100:
        raise InvalidValueError(f"--target-year must be a year between 1800 and 2100, not {target_year}")
    if kind not in ("level", "rank", "cumulative", "flow"):
        raise InvalidValueError(f"--kind must be level, rank, cumulative or flow, not {kind!r}")
    if unit is not None and unit not in UNITS:
        raise InvalidValueError(f"unknown unit {unit!r}; known units: {', '.join(sorted(UNITS))}")
    result = assess_values(values, target, target_year, polarity=polarity, kind=kind, unit=unit)
    if format is Fmt.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif format is Fmt.csv:
        raise UsageError("assess prints a table or JSON; use --format json for machine-readable output")
    else:
        sys.stdout.write(result.to_text().rstrip("\n") + "\n")


@handle_errors
def backtest(
    save: Annotated[
        bool, typer.Option("--save", help="Keep the fitted calibration in the store for `progress`.")
    ] = False,
    format: Annotated[Fmt, typer.Option("--format", help="Output format.")] = Fmt.table,
) -> None:
    """Backtest the projections on every long enough series: MASE vs naive and drift, interval coverage, and how
    reliable the probabilities of reaching a target are (Brier skill, reliability table)."""
    from ... import connect

    err_console.print("backtesting every series in the store (this takes a minute or two)…")
    with connect(state.db_path, read_only=not save) as m:
        result = m.backtest(save=save)
    sys.stdout.write(_text(result, format, "summary").rstrip("\n") + "\n")
    if save:
        err_console.print("calibration saved in the store; `sandyq progress` uses it from now on")
