"""Policy evaluation on the command line: ``sandyq evaluate INDICATOR --treated KAZ --from 2018``."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ...errors import InvalidValueError, UsageError
from .._terminal import say_line
from ._common import err_console, handle_errors, state

__all__ = ["register"]


class Method(StrEnum):
    sdid = "sdid"
    sc = "sc"
    adh = "adh"
    did = "did"


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``evaluate`` to ``app``."""
    app.command("evaluate")(evaluate)


@handle_errors
def evaluate(
    indicator: Annotated[str, typer.Argument(help="Indicator, e.g. IT.NET.USER.ZS.")],
    treated: Annotated[str, typer.Option("--treated", help="The country or region the programme ran in.")],
    start: Annotated[int, typer.Option("--from", help="First year of the programme.")],
    donors: Annotated[
        str | None,
        typer.Option(
            "--donors",
            help="Peer group (central-asia, eaeu, cis, umc, oecd), regions, countries, or codes separated by commas; "
            "default: every country, or every other region.",
        ),
    ] = None,
    method: Annotated[Method, typer.Option("--method", help="sdid, sc (synthetic control), adh or did.")] = Method.sdid,
    first: Annotated[int | None, typer.Option("--first", help="First year used (default: chosen by coverage).")] = None,
    last: Annotated[int | None, typer.Option("--last", help="Last year used (default: chosen by coverage).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Use the figures published by this date.")] = None,
    replications: Annotated[int, typer.Option("--replications", help="Placebo draws for the standard error.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the placebo draws.")] = 0,
    predictors: Annotated[
        str | None,
        typer.Option("--predictors", help="adh: spans of years whose mean is a predictor, e.g. 1980-1984,1985-1988."),
    ] = None,
    optimise_v: Annotated[
        bool, typer.Option("--optimise-v", help="adh: choose the predictor weights V to fit the pre-period.")
    ] = False,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", help="Evaluate a long CSV instead of the store; INDICATOR is its value column."),
    ] = None,
    unit_column: Annotated[
        str | None, typer.Option("--unit-column", help="--csv: unit column (default: first).")
    ] = None,
    period_column: Annotated[
        str | None, typer.Option("--period-column", help="--csv: period column (default: second).")
    ] = None,
    format: Annotated[EvalFormat, typer.Option("--format", help="Output format.")] = EvalFormat.table,
) -> None:
    """What the indicator would have been without the programme (a synthetic counterpart from donors), the gap,
    the placebo test over every donor, and a plain-language verdict with its caveats."""
    began = time.perf_counter()
    spans = _spans(predictors)
    v = "optimise" if optimise_v else "equal"
    if csv is not None:
        if donors or first or last or as_of:
            raise UsageError(
                "--csv takes every other unit of the file as a donor: drop --donors/--first/--last/--as-of"
            )
        result = _from_csv(
            csv, indicator, treated, start, (unit_column, period_column), method.value, spans, v, replications, seed
        )
    else:
        from ... import connect

        with connect(state.db_path, read_only=True) as m:
            result = m.evaluate(
                indicator,
                treated,
                start,
                donors=donors,
                method=method.value,
                first=first,
                last=last,
                as_of=as_of,
                replications=replications,
                seed=seed,
                predictors=spans,
                v=v,
            )
    if format is EvalFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(state.lang), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(result.to_text(state.lang))
    seconds = time.perf_counter() - began
    err_console.print(
        say_line("estimate and {n} placebos in {s} s", state.lang, n=len(result.placebo), s=round(seconds, 1))
    )


def _spans(text: str | None) -> list[tuple[int, int]] | None:
    """``1980-1984,1988`` → ``[(1980, 1984), (1988, 1988)]``."""
    if not text:
        return None
    out = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        try:
            out.append((int(first), int(last or first)))
        except ValueError:
            raise InvalidValueError(f"--predictors: {part.strip()!r} is not a year or a span like 1980-1984") from None
    return out


def _from_csv(
    path: Path,
    value: str,
    treated: str,
    start: int,
    columns: tuple[str | None, str | None],
    method: str,
    spans: list[tuple[int, int]] | None,
    v: str,
    replications: int,
    seed: int,
) -> Any:
    import pandas as pd

    from ...analytics.evaluation import evaluate_frame

    frame = pd.read_csv(path, sep=None, engine="python", dtype={0: str})
    names = list(frame.columns)
    unit = columns[0] or names[0]
    period = columns[1] or names[1]
    missing = [c for c in (unit, period, value) if c not in names]
    if missing:
        raise InvalidValueError(f"{path}: no column {', '.join(map(repr, missing))} (columns: {', '.join(names)})")
    return evaluate_frame(
        frame,
        treated,
        start,
        unit=unit,
        period=period,
        value=value,
        method=method,
        replications=replications,
        seed=seed,
        predictors=spans,
        v=v,
    )
