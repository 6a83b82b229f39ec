"""The framework: programmes, targets, indicators, glossary, units and geography."""

from ._geography import Geography, load_geography
from ._geounit import BoundaryChange, BoundarySet, GeoUnit
from ._loader import Framework, default_framework_path, load_framework
from ._models import (
    Baseline,
    Citation,
    Direction,
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
from ._units import UNITS, Unit

__all__ = [
    "UNITS",
    "Baseline",
    "BoundaryChange",
    "BoundarySet",
    "Citation",
    "Direction",
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
    "Text",
    "Unit",
    "default_framework_path",
    "load_framework",
    "load_geography",
]
