"""Relations between two indicators: correlation and elasticity across years, countries or a panel."""

from ._relate import Relation, relate

__all__ = ["Relation", "relate"]
