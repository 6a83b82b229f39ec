"""The ``data: {store: ...}`` section of an index specification: indicators read from the sandyq store.

Instead of a CSV, an index can take its data from the observation store::

    data:
      store:
        geography: countries          # or kz-regions
        years: [2000, 2024]
        indicators:                   # structure code -> store indicator
          FIXTEL: IT.MLT.MAIN.P2
          SERVERS: {indicator: IT.NET.SECR.P6, transform: log10}
          MOBILE: {indicator: IT.CEL.SETS.P2, source: wdi}

Each row of the resulting panel is one unit in one year (:mod:`._store_data`
builds it).  ``source`` defaults to the indicator's own source in the
framework, so a figure quoted by a seed article never mixes with the
published series.  ``transform: log10`` is part of the indicator's definition
(as ITU's "international bandwidth per user (log)"), applied before any step,
so its goalposts are given in log10 units and do not depend on the data.

This module holds only the models, so that :mod:`._spec` can import it.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["StoreDataSpec", "StoreIndicatorSpec"]


class StoreIndicatorSpec(BaseModel):
    """One indicator of the index as read from the store.

    >>> StoreIndicatorSpec(indicator="IT.NET.SECR.P6", transform="log10").transform
    'log10'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    indicator: str = Field(min_length=1)
    source: str | None = None
    dims: str = ""
    transform: Literal["none", "log10", "log10_1p"] = "none"


class StoreDataSpec(BaseModel):
    """Which store indicators, for which units and years, make the index's data.

    >>> s = StoreDataSpec(indicators={"NET": "IT.NET.USER.ZS"}, years=(2010, 2012))
    >>> s.indicators["NET"].indicator, s.geography, s.year_list()
    ('IT.NET.USER.ZS', 'countries', [2010, 2011, 2012])
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    indicators: dict[str, StoreIndicatorSpec] = Field(min_length=1)
    geography: Literal["countries", "kz-regions"] = "countries"
    years: tuple[int, int]
    exclude: list[str] = Field(default_factory=list)
    language: Literal["kk", "ru", "en"] = "en"

    @field_validator("indicators", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        """``CODE: STORE.ID`` is short for ``CODE: {indicator: STORE.ID}``."""
        if isinstance(value, dict):
            return {k: ({"indicator": v} if isinstance(v, str) else v) for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _years(self) -> Self:
        lo, hi = self.years
        if not 1900 <= lo <= hi <= 2100:
            raise ValueError("years: give [first, last] with first <= last (both between 1900 and 2100)")
        return self

    def year_list(self) -> list[int]:
        return list(range(self.years[0], self.years[1] + 1))
