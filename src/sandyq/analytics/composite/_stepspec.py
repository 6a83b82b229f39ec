"""The steps of an index specification, one model per step, with COINr's defaults.

In YAML each step is a mapping with one key, the step's name::

    steps:
      - denominate: {}
      - impute: {method: mean_group, group: EurAsia_group}
      - screen: {threshold: 0.9}
      - treat: {winmax: 5}
      - normalise: {method: minmax, range: [0, 100]}
      - aggregate: {method: arithmetic}

All models are frozen; :meth:`StepBase.with_params` returns a validated copy.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "STEP_KINDS",
    "AggregateStep",
    "DenominateStep",
    "ImputeStep",
    "NormaliseOverride",
    "NormaliseStep",
    "ScreenStep",
    "Step",
    "StepBase",
    "TreatOverride",
    "TreatStep",
    "WeightStep",
]

Pair = tuple[float, float]
NormMethod = Literal[
    "minmax", "zscore", "scaled", "goalposts", "dist2targ", "dist2max", "dist2ref", "fracmax", "rank", "prank", "borda"
]
AggMethod = Literal["arithmetic", "geometric", "harmonic", "generalised", "copeland"]
Transform = Literal["log", "log_plus", "log_orig", "boxcox", "none"]


class StepBase(BaseModel):
    """Common behaviour: frozen, unknown keys refused, copies with changed parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    kind: str = ""

    def with_params(self, **params: Any) -> Self:
        """A validated copy with some parameters changed."""
        data = self.model_dump(by_alias=True)
        data.update(params)
        return type(self).model_validate(data)

    def params(self) -> dict[str, Any]:
        """Parameters as written in YAML (without the step name)."""
        return {k: v for k, v in self.model_dump(by_alias=True, exclude_defaults=True).items() if k != "kind"}


class DenominateStep(StepBase):
    """Divide indicators by a denominator (COINr ``Denominate``).

    By default each indicator is divided by the column named in its
    ``denominator`` (iMeta's ``Denominator``); ``by`` overrides or adds
    pairs, ``scale`` multiplies the result (COINr's ``ScaleFactor``).
    Denominators come from the data file, or from ``file`` (a table keyed by
    the unit code, e.g. WorldDenoms) if given.
    """

    kind: Literal["denominate"] = "denominate"
    by: dict[str, str] = Field(default_factory=dict)
    scale: dict[str, float] = Field(default_factory=dict)
    file: str | None = None
    id: str = "uCode"


class ImputeStep(StepBase):
    """Fill missing values (COINr ``Impute``; panels: ``impute_panel``).

    ``mean``/``median`` use the indicator's column; ``mean_group``/``median_group``
    the units of the same ``group``; ``latest`` the unit's latest earlier value
    (at most ``max_time`` periods back); ``linear``/``constant`` interpolate in
    time, extending the nearest value at the ends.
    """

    kind: Literal["impute"] = "impute"
    method: Literal["mean", "median", "mean_group", "median_group", "latest", "linear", "constant", "none"] = "mean"
    group: str | None = None
    max_time: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _group_needed(self) -> Self:
        if self.method.endswith("_group") and not self.group:
            raise ValueError(f"method {self.method!r} needs 'group' (a grouping column of the data)")
        return self


class ScreenStep(StepBase):
    """Remove units with too little data (COINr ``Screen``; default ``dat_thresh`` 2/3).

    ``by``: ``missing`` removes units whose share of available indicator values
    is below ``threshold``; ``zeros`` those whose share of non-zero values is
    below ``nonzero_threshold``; ``missing_or_zeros`` either.  ``include`` and
    ``exclude`` force units in or out.
    """

    kind: Literal["screen"] = "screen"
    by: Literal["missing", "zeros", "missing_or_zeros"] = "missing"
    threshold: float = Field(default=2 / 3, ge=0, le=1)
    nonzero_threshold: float = Field(default=0.05, ge=0, le=1)
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)


class TreatOverride(BaseModel):
    """Per-indicator treatment parameters (unset ones come from the step)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    winmax: int | None = Field(default=None, ge=0)
    skew: float | None = Field(default=None, gt=0)
    kurt: float | None = None
    winsorise: bool | None = None
    transform: Transform | None = None
    boxcox_lambda: float | None = None
    force: bool | None = None


class TreatStep(StepBase):
    """Outlier treatment with COINr's rule (winsorise, then log if still failing)."""

    kind: Literal["treat"] = "treat"
    winmax: int | None = Field(default=5, ge=0)
    skew: float = Field(default=2.0, gt=0)
    kurt: float = 3.5
    winsorise: bool = True
    transform: Transform = "log"
    boxcox_lambda: float = 0.5
    combine: bool = False
    force: bool = False
    indicators: dict[str, TreatOverride | Literal["none"]] = Field(default_factory=dict)


class NormaliseOverride(BaseModel):
    """Per-indicator normalisation (unset parameters come from the step), or ``none``."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    method: NormMethod | Literal["none"] = "minmax"
    range_: Pair | None = Field(default=None, alias="range")
    mean_sd: Pair | None = None
    goalposts: Pair | None = None
    target: float | None = None
    scale: float | None = None


class NormaliseStep(StepBase):
    """Normalisation (COINr ``Normalise``; default min-max to 0–100).

    ``goalposts`` and ``targets`` override the per-indicator values of the
    structure (given in the indicator's units).  ``global: true`` normalises a
    panel over all periods at once, so scores are comparable over time.
    """

    kind: Literal["normalise"] = "normalise"
    method: NormMethod = "minmax"
    range_: Pair = Field(default=(0.0, 100.0), alias="range")
    mean_sd: Pair = (0.0, 1.0)
    scale: float = 100.0
    truncate: bool = True
    cap: bool = False
    reference: str | None = None
    goalposts: dict[str, Pair] = Field(default_factory=dict)
    targets: dict[str, float] = Field(default_factory=dict)
    global_: bool = Field(default=False, alias="global")
    indicators: dict[str, NormaliseOverride] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.method == "zscore" and self.mean_sd[1] <= 0:
            raise ValueError("mean_sd: the standard deviation must be positive")
        if self.method == "dist2ref" and not self.reference:
            raise ValueError("method 'dist2ref' needs 'reference' (a unit code)")
        return self


class WeightStep(StepBase):
    """Set the weights used by aggregation: ``given`` (the structure's),
    ``equal``, or ``pca`` (first-component loadings within each group, COINr
    ``get_PCA``); ``weights`` then overrides single nodes."""

    kind: Literal["weight"] = "weight"
    method: Literal["given", "equal", "pca"] = "given"
    levels: list[int] | None = None
    weights: dict[str, float] = Field(default_factory=dict)


class AggregateStep(StepBase):
    """Aggregation level by level (COINr ``Aggregate``; default weighted arithmetic mean).

    ``levels`` sets another method for the aggregates of a given level (the
    level being computed, 2 = first level of aggregates).  Aggregates with a
    share of available children below ``dat_thresh`` are missing.  ``renormalise: false`` uses
    the weights as given (Σ w·x, arithmetic only): a published index built that way (DESI's four
    dimensions at 25 % each) is rebuilt exactly, and a missing child leaves the aggregate missing.
    """

    kind: Literal["aggregate"] = "aggregate"
    method: AggMethod = "arithmetic"
    p: float | None = None
    levels: dict[int, AggMethod] = Field(default_factory=dict)
    dat_thresh: float | None = Field(default=None, ge=0, le=1)
    renormalise: bool = True

    @model_validator(mode="after")
    def _p_needed(self) -> Self:
        if not self.renormalise and (self.method != "arithmetic" or set(self.levels.values()) - {"arithmetic"}):
            raise ValueError("renormalise: false needs the arithmetic mean at every level")
        uses_gen = self.method == "generalised" or "generalised" in self.levels.values()
        if uses_gen and (self.p is None or self.p == 0):
            raise ValueError("the generalised mean needs a non-zero 'p' (p = 0 is the geometric mean)")
        return self

    def method_for(self, level: int) -> str:
        return self.levels.get(level, self.method)


Step = Annotated[
    DenominateStep | ImputeStep | ScreenStep | TreatStep | NormaliseStep | WeightStep | AggregateStep,
    Field(discriminator="kind"),
]
STEP_KINDS: tuple[str, ...] = ("denominate", "impute", "screen", "treat", "normalise", "weight", "aggregate")
