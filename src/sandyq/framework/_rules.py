"""Declared validation rules: ``left OPERATOR right`` over indicators, read from YAML and checked as a whole.

A statistician declares what must hold between published figures (DHIS2's
validation rules are the model), in ``rules/*.yaml`` of a framework folder (the
bundled one, or a user's)::

    - id: egdi-mean-of-components
      left: EGDI
      operator: "=="
      right: mean(EGDI.OSI, EGDI.HCI, EGDI.TII)
      tolerance: {absolute: 0.001}
      severity: error
      scope: {first_year: 2014}
      text: {kk: …, ru: …, en: …}

The expressions use the language of :mod:`._expression`.  The tolerance is the
largest of an ``absolute`` gap, a ``relative`` one (of the larger side) and, with
``printed: true`` (the default when none is given), half a unit of the last
decimal printed on either side.  With ``not_assessed: true`` a figure that breaks the
rule is a source's placeholder for a unit it did not assess (``EGDI > 0``: an EGDI of 0
means "not assessed"), reported as such.  The ``scope`` limits the rule to geographies,
years and disaggregations (``dims``: ``total``, the default, or ``all``).

:func:`check_rules` refuses what cannot be evaluated, naming the file and line:
an unknown indicator, an expression that does not parse, a type error (a sum
of shares over regions, sides in different units) and definitions that form a
cycle (``A == mean(B, C)`` with ``B == A - C``: a composite defined from itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import Problem
from ._expression import (
    Binary,
    Call,
    Expression,
    ExpressionError,
    Negate,
    Number,
    Over,
    Ref,
    Weighted,
    parse_expression,
    references,
)
from ._models import Indicator, Text
from ._yaml import read_yaml

__all__ = ["OPERATORS", "Rule", "RuleOrigin", "RuleScope", "Tolerance", "check_rules", "read_rules"]

#: Comparison operators and what they mean.
OPERATORS = {"==": "equals", "<=": "at most", ">=": "at least", "<": "below", ">": "above"}

#: Units whose values may be summed over regions or categories (counts and money).
_SUMMABLE_PREFIXES = ("NUMBER", "PERSONS", "TH_", "MN_", "BN_", "TN_", "KZT", "USD")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Tolerance(_Model):
    """How far apart the two sides may be: the largest of the gaps given.

    >>> Tolerance(absolute=0.001).allowed(0.5, 0.5, 4)
    0.001
    >>> Tolerance().allowed(0.5, 0.4999, 4)  # none given: the rounding of the printed figures
    5e-05
    """

    absolute: float | None = Field(default=None, ge=0)
    relative: float | None = Field(default=None, ge=0)
    printed: bool = False

    def rounding(self) -> bool:
        """Whether the rounding of the printed figures is allowed (asked for, or no other tolerance given)."""
        return self.printed or (self.absolute is None and self.relative is None)

    def allowed(self, left: float, right: float, decimals: int) -> float:
        """The largest gap allowed between ``left`` and ``right`` printed with ``decimals`` decimals."""
        gaps = [self.absolute or 0.0, (self.relative or 0.0) * max(abs(left), abs(right))]
        if self.rounding():
            gaps.append(0.5 * 10.0 ** (-decimals))
        return max(gaps)

    def describe(self) -> str:
        """The tolerance in words (for findings)."""
        parts = []
        if self.absolute is not None:
            parts.append(f"±{self.absolute:g}")
        if self.relative is not None:
            parts.append(f"±{self.relative:.4g} relative")
        if self.rounding():
            parts.append("the rounding of the printed figures")
        return "largest of " + ", ".join(parts) if len(parts) > 1 else parts[0]


class RuleScope(_Model):
    """Where a rule applies: geographies (codes; empty: all), years (inclusive), disaggregations."""

    geos: list[str] = Field(default_factory=list)
    first_year: int | None = None
    last_year: int | None = None
    dims: Literal["total", "all"] = "total"
    source: str | None = None  # the figures of this source only (default: every source, each on its own)


@dataclass(frozen=True)
class RuleOrigin:
    """Where a rule was declared: file and line (of the rule, and of each of its fields)."""

    file: str
    line: int | None = None
    fields: tuple[tuple[str, int], ...] = ()

    def line_of(self, field: str) -> int | None:
        """The line of ``field`` (its top-level key: ``scope.geos`` → ``scope``), else of the rule."""
        return dict(self.fields).get(field.split(".")[0], self.line)

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}, line {self.line}"


class Rule(_Model):
    """A declared validation rule (see the module)."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    left: str
    operator: Literal["==", "<=", ">=", "<", ">"] = "=="
    right: str
    tolerance: Tolerance = Field(default_factory=Tolerance)
    severity: Literal["error", "warning", "info"] = "error"
    scope: RuleScope = Field(default_factory=RuleScope)
    text: Text
    note: str | None = None
    not_assessed: bool = False  # a figure breaking the rule is a placeholder for "not assessed", not a score

    @field_validator("left", "right", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    def left_expression(self) -> Expression:
        return parse_expression(self.left)

    def right_expression(self) -> Expression:
        return parse_expression(self.right)

    def indicators(self) -> list[str]:
        """Every indicator the rule reads, left side first."""
        return list(dict.fromkeys([*references(self.left_expression()), *references(self.right_expression())]))

    def statement(self) -> str:
        """The rule as one line: ``EGDI == mean(EGDI.OSI, EGDI.HCI, EGDI.TII)``."""
        return f"{self.left} {self.operator} {self.right}"


def _lines(path: Path) -> dict[tuple[int, str | None], int]:
    """The line of each entry of a top-level list and of each of its keys (the file already read safely)."""
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    out: dict[tuple[int, str | None], int] = {}
    if not isinstance(node, yaml.SequenceNode):
        return out
    for i, item in enumerate(node.value):
        out[(i, None)] = item.start_mark.line + 1
        if isinstance(item, yaml.MappingNode):
            for key, _ in item.value:
                out[(i, str(key.value))] = key.start_mark.line + 1
    return out


def read_rules(path: Path, problems: list[Problem]) -> list[tuple[Rule, RuleOrigin]]:
    """The rules of one YAML file (a list), each with its origin; problems name the file and line."""
    data = read_yaml(path, problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(str(path), "expected a list of rules at the top level"))
        return []
    lines = _lines(path)
    out = []
    for i, item in enumerate(data):
        try:
            rule = Rule.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else None
                row = lines.get((i, key), lines.get((i, None)))
                where = ".".join(str(p) for p in err["loc"])
                problems.append(Problem(str(path), err["msg"], row=row, path=f"[{i}].{where}" if where else f"[{i}]"))
            continue
        fields = tuple((str(k), n) for (j, k), n in lines.items() if j == i and k is not None)
        out.append((rule, RuleOrigin(str(path), lines.get((i, None)), fields)))
    return out


def check_rules(
    rules: Mapping[str, Rule],
    origins: Mapping[str, RuleOrigin],
    indicators: Mapping[str, Indicator],
) -> list[Problem]:
    """Every reason the rules cannot be evaluated: unreadable expressions, unknown indicators or geographies,
    type errors and cycles of definitions, each naming the rule's file and line."""
    problems: list[Problem] = []
    for rule_id, rule in rules.items():
        origin = origins[rule_id]

        def add(message: str, field: str, origin: RuleOrigin = origin, rule_id: str = rule_id) -> None:
            row = origin.line_of(field)
            problems.append(Problem(origin.file, f"rule {rule_id!r}: {message}", row=row, path=field))

        sides: dict[str, Expression] = {}
        for field in ("left", "right"):
            try:
                sides[field] = parse_expression(getattr(rule, field))
            except ExpressionError as exc:
                add(exc.summary, field)
        for field, node in sides.items():
            for ref in references(node):
                if ref not in indicators:
                    add(f"unknown indicator {ref!r}", field)
        if len(sides) == 2 and all(r in indicators for n in sides.values() for r in references(n)):
            for message in _type_errors(sides["left"], sides["right"], indicators):
                add(message, "right")
    problems += _cycles(rules, origins, indicators)
    return problems


def _unit(node: Expression, indicators: Mapping[str, Indicator], errors: list[str]) -> str | None:
    """The unit of ``node`` (None: a pure number or a product/quotient, which fits any), collecting type errors."""
    if isinstance(node, Number):
        return None
    if isinstance(node, Ref):
        return indicators[node.indicator].unit
    if isinstance(node, Over):
        code = indicators[node.indicator].unit
        if node.function == "sum" and not code.startswith(_SUMMABLE_PREFIXES):
            errors.append(
                f"sum({node.indicator} over {node.dimension}) adds values in unit {code}, which do not add up "
                "(use mean, min or max)"
            )
        return code
    if isinstance(node, Negate):
        return _unit(node.operand, indicators, errors)
    if isinstance(node, Binary):
        left, right = _unit(node.left, indicators, errors), _unit(node.right, indicators, errors)
        if node.op in "*/":
            return None
        return _same(left, right, node.op, errors)
    parts = node.args if isinstance(node, Call) else tuple(t for t, _ in node.terms)
    unit: str | None = None
    for part in parts:
        unit = _same(unit, _unit(part, indicators, errors), getattr(node, "function", "weighted"), errors)
    if isinstance(node, Weighted) and sum(w for _, w in node.terms) == 0:
        errors.append("weighted(…) needs weights that do not add up to 0")
    return unit


def _same(a: str | None, b: str | None, where: str, errors: list[str]) -> str | None:
    if a is not None and b is not None and a != b:
        errors.append(f"{where} combines values in different units ({a} and {b})")
    return a if a is not None else b


def _type_errors(left: Expression, right: Expression, indicators: Mapping[str, Indicator]) -> list[str]:
    """Type errors of one rule: inside each side, and between the two sides' units.

    >>> from sandyq import load_framework
    >>> inds = load_framework().indicators
    >>> _type_errors(Ref("EGDI"), parse_expression("mean(EGDI.OSI, EGDI.RANK)"), inds)
    ['mean combines values in different units (INDEX_0_1 and RANK)']
    """
    errors: list[str] = []
    a, b = _unit(left, indicators, errors), _unit(right, indicators, errors)
    if a is not None and b is not None and a != b:
        errors.append(f"the left side is in {a} and the right side in {b}: they cannot be compared")
    if not references(left) and not references(right):
        errors.append("neither side reads an indicator")
    return list(dict.fromkeys(errors))


def _cycles(
    rules: Mapping[str, Rule], origins: Mapping[str, RuleOrigin], indicators: Mapping[str, Indicator]
) -> list[Problem]:
    """Definitions (``X == f(…)``, and indicator formulas) that lead back to what they define."""
    edges: dict[str, set[str]] = {}
    by: dict[str, str] = {}
    for i, ind in indicators.items():
        if ind.formula is not None:
            edges.setdefault(i, set()).update((ind.formula.numerator, ind.formula.denominator))
    for rule_id, rule in rules.items():
        if rule.operator != "==":
            continue
        try:
            left, right = rule.left_expression(), rule.right_expression()
        except ExpressionError:
            continue
        if isinstance(left, Ref):  # an aggregate over regions or categories reads other keys: not a definition
            edges.setdefault(left.indicator, set()).update(references(right, dimensions=False))
            by[left.indicator] = rule_id
    order = {rule_id: i for i, rule_id in enumerate(rules)}
    problems = []
    reported: set[frozenset[str]] = set()
    for start in sorted(by):
        path = _path_back(start, edges)
        if path is None or frozenset(path) in reported:
            continue
        reported.add(frozenset(path))
        rule_id = max((by[i] for i in path if i in by), key=order.__getitem__)  # the last declared closes it
        origin = origins[rule_id]
        k = (
            path.index(rules[rule_id].left.strip().strip("[]"))
            if rules[rule_id].left.strip().strip("[]") in path
            else 0
        )
        path = path[k:] + path[:k]
        chain = " → ".join((*path, path[0]))
        problems.append(
            Problem(
                origin.file,
                f"rule {rule_id!r}: definitions form a cycle ({chain}): an indicator would be defined from itself",
                row=origin.line_of("right"),
                path="right",
            )
        )
    return problems


def _path_back(start: str, edges: Mapping[str, set[str]]) -> list[str] | None:
    """A path from ``start`` back to itself through ``edges`` (depth first), or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                return path
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None
