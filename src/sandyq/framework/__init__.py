"""The framework: programmes, targets, indicators, glossary, terminology, units, geography, the observation key.

Also how sandyq reads YAML (:func:`read_yaml`): bounded, without aliases or repeated keys.
"""

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
from ._terms import Term, terms
from ._units import MAX_MAGNITUDE, UNITS, Unit
from ._yaml import MAX_YAML_BYTES, MAX_YAML_DEPTH, parse_yaml, read_yaml

__all__ = [
    "MAX_MAGNITUDE",
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "UNITS",
    "Baseline",
    "BoundaryChange",
    "BoundarySet",
    "Citation",
    "Direction",
    "Discontinued",
    "Event",
    "Fact",
    "Formula",
    "Framework",
    "GeoUnit",
    "Geography",
    "GlossaryTerm",
    "Indicator",
    "Milestone",
    "Programme",
    "Risk",
    "Source",
    "Target",
    "Task",
    "Term",
    "Text",
    "Unit",
    "as_of_bound",
    "default_framework_path",
    "dims_key",
    "load_framework",
    "load_geography",
    "parse_dims",
    "parse_period",
    "parse_vintage",
    "parse_yaml",
    "read_yaml",
    "terms",
]
