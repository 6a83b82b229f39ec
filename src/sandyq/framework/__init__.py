"""The framework: programmes, targets, indicators, glossary, terminology, units, geography, the observation key.

Declared validation rules (:class:`Rule`, in ``rules/*.yaml``) and their expression language
(:func:`parse_expression`).  Also how sandyq reads YAML (:func:`read_yaml`): bounded, without aliases or repeated keys.
"""

from ._calendar import Lag, due_date, lag_for, next_period, parse_lag, period_end
from ._expression import (
    AGGREGATES,
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
from ._geography import Geography, load_geography
from ._geounit import BoundaryChange, BoundarySet, GeoUnit
from ._keys import as_of_bound, dims_key, parse_dims, parse_period, parse_vintage
from ._loader import Framework, default_framework_path, load_framework
from ._models import (
    Baseline,
    Citation,
    Direction,
    Discontinued,
    Event,
    Fact,
    Formula,
    GlossaryTerm,
    Indicator,
    Milestone,
    Programme,
    Risk,
    Source,
    Target,
    Task,
    Text,
)
from ._rules import OPERATORS, Rule, RuleOrigin, RuleScope, Tolerance, check_rules, read_rules
from ._terms import Term, terms
from ._units import MAX_MAGNITUDE, UNITS, Unit
from ._yaml import MAX_YAML_BYTES, MAX_YAML_DEPTH, parse_yaml, read_yaml

__all__ = [
    "AGGREGATES",
    "MAX_MAGNITUDE",
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "OPERATORS",
    "UNITS",
    "Baseline",
    "Binary",
    "BoundaryChange",
    "BoundarySet",
    "Call",
    "Citation",
    "Direction",
    "Discontinued",
    "Event",
    "Expression",
    "ExpressionError",
    "Fact",
    "Formula",
    "Framework",
    "GeoUnit",
    "Geography",
    "GlossaryTerm",
    "Indicator",
    "Lag",
    "Milestone",
    "Negate",
    "Number",
    "Over",
    "Programme",
    "Ref",
    "Risk",
    "Rule",
    "RuleOrigin",
    "RuleScope",
    "Source",
    "Target",
    "Task",
    "Term",
    "Text",
    "Tolerance",
    "Unit",
    "Weighted",
    "as_of_bound",
    "check_rules",
    "default_framework_path",
    "dims_key",
    "due_date",
    "lag_for",
    "load_framework",
    "load_geography",
    "next_period",
    "parse_dims",
    "parse_expression",
    "parse_lag",
    "parse_period",
    "parse_vintage",
    "parse_yaml",
    "period_end",
    "read_rules",
    "read_yaml",
    "references",
    "terms",
]
