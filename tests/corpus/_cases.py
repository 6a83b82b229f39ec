"""Every case of the corpus, and the reference loads their expectations compare with."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from ._api import api_cases
from ._cli import cli_cases
from ._framework import framework_cases
from ._manifest import manifest_cases
from ._model import Case, LoadCall
from ._opensdg import REFERENCE as OPEN_SDG
from ._opensdg import open_sdg_cases, open_sdg_reference
from ._sdmx import REFERENCE, sdmx_cases, sdmx_tables, sources_reference
from ._sources import tables
from ._tables import csv_cases, table_reference
from ._xlsx import xlsx_cases

__all__ = ["all_cases", "references"]


@functools.cache
def all_cases() -> tuple[Case, ...]:
    """Every case, in a fixed order (the same on every run)."""
    return (
        *csv_cases(),
        *xlsx_cases(),
        *sdmx_cases(),
        *open_sdg_cases(),
        *framework_cases(),
        *manifest_cases(),
        *cli_cases(),
        *api_cases(),
    )


def references() -> dict[str, Callable[[Path], LoadCall]]:
    """How to load each pristine input that a case may be compared with, by name."""
    refs: dict[str, Callable[[Path], LoadCall]] = {key: table_reference(t) for key, t in tables().items()}
    refs.update(dict.fromkeys((REFERENCE, *sdmx_tables()), sources_reference))
    refs[OPEN_SDG] = open_sdg_reference
    return refs
