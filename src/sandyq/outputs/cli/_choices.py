"""The choices the command line names in its help texts, without importing the implementation.

``sandyq --help`` must not import pandas or the analytics to print a list of
names, so the signatures take them from here.  ``tests/test_startup.py`` checks
that each equals the implementation's own list.
"""

from __future__ import annotations

__all__ = ["LAYOUTS", "SEED_TABLES"]

#: The file layouts of :data:`sandyq.ingest.FORMATS`.
LAYOUTS: tuple[str, ...] = ("tidy", "wide-years", "panel")

#: The seed tables of :func:`sandyq.analytics.tables.table_names`.
SEED_TABLES: tuple[str, ...] = ("table2", "table3", "table4", "table5")
