"""Policy evaluation on the command line: ``sandyq evaluate INDICATOR --treated KAZ --from 2018``."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from typing import Annotated

import typer

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
    format: Annotated[EvalFormat, typer.Option("--format", help="Output format.")] = EvalFormat.table,
) -> None:
    """What the indicator would have been without the programme (a synthetic counterpart from donors), the gap,
    the placebo test over every donor, and a plain-language verdict with its caveats."""
    from ... import connect

    began = time.perf_counter()
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
        )
    if format is EvalFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(state.lang), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(result.to_text(state.lang))
    err_console.print(f"estimate and {len(result.placebo)} placebos in {time.perf_counter() - began:.1f} s")
