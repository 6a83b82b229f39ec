"""The index specification: data, structure, ordered steps and uncertainty settings.

A specification is a YAML file (paths inside it are relative to the file)::

    name: ASEM Sustainable Connectivity
    data: {file: ASEM_iData.csv, unit: uCode, name: uName, time: Time}
    structure: {file: ASEM_iMeta.csv, level_names: [Indicator, Pillar, Sub-index, Index]}
    steps:
      - treat: {winmax: 5}
      - normalise: {method: minmax, range: [0, 100]}
      - aggregate: {method: arithmetic}

or the equivalent :class:`IndexSpec` object.  Both are immutable; changing a
parameter (:meth:`IndexSpec.with_step_param`) gives a new, validated object.
Errors name the file and the field (``steps[3].treat.winmax``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from ...errors import Problem, SpecError
from ._stepspec import STEP_KINDS, Step, StepBase
from ._storespec import StoreDataSpec

__all__ = [
    "DataSpec",
    "FactorSpec",
    "IndexSpec",
    "NodeSpec",
    "PublishedSpec",
    "StructureSpec",
    "UncertaintySpec",
    "read_spec",
    "spec_from_dict",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class DataSpec(_Frozen):
    """Where the unit × indicator table is: a CSV with one row per unit (and period),
    or ``store``: indicators of the sandyq store (see :mod:`._storespec`)."""

    store: StoreDataSpec | None = None
    file: str | None = Field(default=None, validate_default=True)
    unit: str = "uCode"
    name: str | None = "uName"
    time: str | None = "Time"

    @field_validator("file")
    @classmethod
    def _file_or_store(cls, value: str | None, info: ValidationInfo) -> str | None:
        has_store = info.data.get("store") is not None
        if value is None and not has_store:
            raise ValueError("give 'file' (a CSV) or 'store' (indicators of the sandyq store)")
        if value is not None and has_store:
            raise ValueError("give either 'file' or 'store', not both")
        return value


class NodeSpec(_Frozen):
    """An indicator or aggregate written inline in the specification."""

    code: str
    parent: str | None = None
    level: int | None = Field(default=None, ge=1)
    weight: float = Field(default=1.0, ge=0)
    direction: int = 1
    name: str = ""
    denominator: str | None = None
    unit: str | None = None
    target: float | None = None
    goalposts: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _direction(self) -> Self:
        if self.direction not in (1, -1):
            raise ValueError("direction must be 1 or -1")
        return self


class StructureSpec(_Frozen):
    """The framework: an iMeta-like CSV (``file``) or inline ``indicators`` and ``aggregates``.

    The CSV has COINr's iMeta columns ``iCode, Level, Parent, Weight, Direction,
    Type`` (and optionally ``iName, Denominator, Unit, Target``); rows of type
    ``Group`` and ``Denominator`` name grouping and denominator columns of the data.
    """

    file: str | None = None
    indicators: list[NodeSpec] = Field(default_factory=list)
    aggregates: list[NodeSpec] = Field(default_factory=list)
    level_names: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    denominators: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if self.file is None and not self.indicators:
            raise ValueError("give either 'file' (an iMeta-like CSV) or a list of 'indicators'")
        if self.file is not None and (self.indicators or self.aggregates):
            raise ValueError("give either 'file' or inline 'indicators'/'aggregates', not both")
        return self


class FactorSpec(_Frozen):
    """One uncertain input of the uncertainty analysis.

    Three kinds: a step parameter with discrete ``values`` (``step`` + ``param``);
    whole alternative parameter sets of a step (``step`` + ``alternatives``); or
    noise on the weights (``weights_noise``: level → ±fraction, with ``sets``
    pre-drawn weight sets as in COINr's ``get_noisy_weights``).
    """

    name: str
    step: str | None = None
    param: str | None = None
    values: list[Any] | None = None
    alternatives: list[dict[str, Any]] | None = None
    weights_noise: dict[int, float] | None = None
    sets: int = Field(default=100, ge=1)

    @model_validator(mode="after")
    def _kind(self) -> Self:
        kinds = [self.values is not None, self.alternatives is not None, self.weights_noise is not None]
        if sum(kinds) != 1:
            raise ValueError("give exactly one of 'values' (with 'param'), 'alternatives' or 'weights_noise'")
        if self.values is not None and not (self.step and self.param):
            raise ValueError("'values' needs 'step' and 'param'")
        if self.alternatives is not None and not self.step:
            raise ValueError("'alternatives' needs 'step'")
        if self.step is not None and self.step not in STEP_KINDS:
            raise ValueError(f"unknown step {self.step!r}; steps are {', '.join(STEP_KINDS)}")
        choices = self.values if self.values is not None else self.alternatives
        if choices is not None and len(choices) < 1:
            raise ValueError("at least one alternative is needed")
        if self.weights_noise is not None and any(not 0 <= v < 1 for v in self.weights_noise.values()):
            raise ValueError("weights_noise fractions must be in [0, 1)")
        return self

    @property
    def n_choices(self) -> int:
        if self.values is not None:
            return len(self.values)
        if self.alternatives is not None:
            return len(self.alternatives)
        return self.sets


class UncertaintySpec(_Frozen):
    """Monte Carlo settings: the uncertain ``factors``, the ``target`` aggregate, ``runs`` and ``seed``."""

    target: str | None = None
    runs: int = Field(default=100, ge=3)
    seed: int = 1
    bootstrap: int = Field(default=100, ge=0)
    factors: list[FactorSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        names = [f.name for f in self.factors]
        if len(set(names)) != len(names):
            raise ValueError("factor names must be unique")
        return self


class PublishedSpec(_Frozen):
    """The published index a rebuild is compared with (``published: {indicator: EGDI, tolerance: 0.001}``).

    ``code`` is the aggregate compared (default: the index), ``source`` the publisher's source in the
    store (default: the indicator's own) and ``tolerance`` the largest difference that agrees (default:
    the rounding of the printed figure).

    >>> PublishedSpec(indicator="EGDI", tolerance=0.001).code is None
    True
    """

    indicator: str = Field(min_length=1)
    code: str | None = None
    source: str | None = None
    tolerance: float | None = Field(default=None, ge=0)


class IndexSpec(_Frozen):
    """A complete index specification (see the module docstring)."""

    name: str = ""
    description: str = ""
    data: DataSpec
    structure: StructureSpec
    steps: list[Step] = Field(default_factory=list)
    uncertainty: UncertaintySpec | None = None
    published: PublishedSpec | None = None
    base_dir: Path = Field(default=Path("."), exclude=True)
    source: str = Field(default="", exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _tag_steps(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("steps"), list):
            data = dict(data)
            data["steps"] = [_tag(item) for item in data["steps"]]
        return data

    @model_validator(mode="after")
    def _step_order(self) -> Self:
        kinds: list[str] = [s.kind for s in self.steps]
        if kinds.count("aggregate") != 1:
            raise ValueError("steps: exactly one 'aggregate' step is needed")
        if kinds[-1] != "aggregate":
            raise ValueError("steps: 'aggregate' must be the last step")
        for k in STEP_KINDS:
            if kinds.count(k) > 1:
                raise ValueError(f"steps: {k!r} appears {kinds.count(k)} times")
        return self

    def path(self, relative: str) -> Path:
        """A path of the specification resolved against its folder."""
        p = Path(relative)
        return p if p.is_absolute() else self.base_dir / p

    def step(self, kind: str) -> StepBase | None:
        """The step of that kind, or None."""
        for s in self.steps:
            if s.kind == kind:
                return s
        return None

    def with_step_param(self, kind: str, **params: Any) -> IndexSpec:
        """A copy with parameters of the step ``kind`` changed (the step is added if absent).

        >>> spec = IndexSpec(data={"file": "d.csv"}, structure={"indicators": [{"code": "a"}]},
        ...                  steps=[{"treat": {}}, {"aggregate": {}}])
        >>> spec.with_step_param("treat", winmax=2).step("treat").winmax
        2
        """
        steps = list(self.steps)
        for i, s in enumerate(steps):
            if s.kind == kind:
                try:
                    steps[i] = s.with_params(**params)
                except ValidationError as exc:
                    raise _error(exc, self.source, "invalid step parameters", ("steps", i, kind)) from None
                break
        else:
            if kind not in STEP_KINDS:
                raise SpecError(f"unknown step {kind!r}", [Problem(self.source, f"steps are {', '.join(STEP_KINDS)}")])
            new = _validate_step(kind, params, self.source)
            order = {k: i for i, k in enumerate(STEP_KINDS)}
            pos = next((i for i, s in enumerate(steps) if order[s.kind] > order[kind]), len(steps))
            steps.insert(pos, new)  # type: ignore[arg-type]
        return self.model_copy(update={"steps": steps})

    def without_step(self, kind: str) -> IndexSpec:
        """A copy without the step ``kind`` (``aggregate`` cannot be removed)."""
        if kind == "aggregate":
            raise SpecError("the aggregate step cannot be removed", [Problem(self.source, "steps")])
        return self.model_copy(update={"steps": [s for s in self.steps if s.kind != kind]})

    def to_dict(self) -> dict[str, Any]:
        """The specification in its YAML form (steps as one-key mappings)."""
        data = self.model_dump(by_alias=True, exclude_none=True, exclude_defaults=False)
        data["steps"] = [{s.kind: s.params()} for s in self.steps]
        return data

    def to_yaml(self) -> str:
        return yaml.safe_dump(_plain(self.to_dict()), sort_keys=False, allow_unicode=True)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _tag(item: Any) -> Any:
    """``{treat: {...}}`` → ``{kind: treat, ...}`` so that pydantic can pick the model."""
    if isinstance(item, dict) and len(item) == 1:
        ((kind, params),) = item.items()
        if params is None:
            params = {}
        if isinstance(params, dict):
            return {"kind": kind, **params}
    return item


def _validate_step(kind: str, params: dict[str, Any], source: str) -> StepBase:
    try:
        spec = IndexSpec.model_validate(
            {
                "data": {"file": "-"},
                "structure": {"indicators": [{"code": "-"}]},
                "steps": [{kind: params}] + ([] if kind == "aggregate" else [{"aggregate": {}}]),
            }
        )
    except ValidationError as exc:
        raise _error(exc, source, "invalid step parameters") from None
    return spec.steps[0]


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif str(p).startswith(("function-", "literal[", "TreatOverride", "NormaliseOverride")) or p in (
            "str",
            "int",
            "float",
            "list[any]",
            "dict[str,any]",
        ):
            continue
        else:
            out += f".{p}" if out else str(p)
    return out


def _error(exc: ValidationError, source: str, summary: str, prefix: tuple[Any, ...] = ()) -> SpecError:
    problems = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        if err["type"] == "union_tag_invalid":
            msg = f"unknown step; steps are {', '.join(STEP_KINDS)}"
        elif err["type"] == "model_attributes_type" and len(loc) >= 2 and loc[0] == "steps":
            msg = f"each step must be a mapping with one key, the step name ({', '.join(STEP_KINDS)})"
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
        path = _loc(loc)
        if not path and msg.startswith("steps: "):
            path, msg = "steps", msg.removeprefix("steps: ")
        problems.append(Problem(source, msg, path=path or None))
    return SpecError(summary, problems)


def spec_from_dict(data: Any, source: str = "", base_dir: Path | None = None) -> IndexSpec:
    """Validate a parsed specification; errors become a :class:`~sandyq.errors.SpecError` naming each field."""
    if not isinstance(data, dict):
        raise SpecError("invalid index specification", [Problem(source, "the file must contain a mapping")])
    steps = data.get("steps")
    if isinstance(steps, list):
        bad = [
            Problem(
                source,
                f"each step must be a mapping with one key, the step name ({', '.join(STEP_KINDS)})",
                path=f"steps[{i}]",
            )
            for i, item in enumerate(steps)
            if not (isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item.values())), dict | None))
        ]
        if bad:
            raise SpecError("invalid index specification", bad)
    payload = {**data, "base_dir": base_dir or Path("."), "source": source}
    try:
        return IndexSpec.model_validate(payload)
    except ValidationError as exc:
        raise _error(exc, source, "invalid index specification") from None


def read_spec(path: str | Path) -> IndexSpec:
    """Read and validate a YAML specification file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError("cannot read the index specification", [Problem(str(p), exc.strerror or str(exc))]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise SpecError("the index specification is not valid YAML", [Problem(str(p), str(exc), row=row)]) from None
    return spec_from_dict(data, source=str(p), base_dir=p.parent)
