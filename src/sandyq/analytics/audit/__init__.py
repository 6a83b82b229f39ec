"""The consistency audit: does every number match its inputs, its parts, its other sources and its unit?

Generic rules over the whole store, each finding with a severity, the figures
involved, the rule and the tolerance it used (:class:`Finding`):

* ``derived``: published ratios, growth rates and average annual growth that do
  not follow from their inputs, allowing for the rounding of the printed
  precision (formula and naming conventions from framework metadata);
* ``totals``: regions that do not add up to their country, categories that do
  not add up to the total (additive units only);
* ``ranges``: a national share or mean outside the range of its regions, a
  total outside the categories of a partition (women and men, urban and rural);
* ``duplicates``: one key with two values, the same statistic from two sources
  that disagree beyond a tolerance;
* ``breaks``: boundary changes inside a region's series, values for units that
  did not exist, gaps, jumps far outside the series' own variation;
* ``bounds``: values outside what the unit allows (stored or set aside at load);
* ``declared``: the validation rules declared in the framework (``rules/*.yaml``, e.g. EGDI =
  mean(OSI, HCI, TII)) and values a source marks as not assessed;
* ``targets``: a programme target whose outcome is in the store but is not
  judged on it.

Figures proposed for publication (a submission) are checked as the store would be after it:
:func:`proposed_flags` (declared rules broken, outliers against the series).

>>> sorted(FAMILIES)
['bounds', 'breaks', 'declared', 'derived', 'duplicates', 'ranges', 'targets', 'totals']
"""

from ._data import AuditOptions
from ._derived import GROWTH_SUFFIXES, growth_links
from ._finding import RULES, SEVERITIES, Finding, findings_frame, summarise
from ._proposed import OUTLIER_SCALES, outlier, proposed_flags
from ._ranges import MEAN_UNITS, PARTITIONS, Partition
from ._run import FAMILIES, audit
from ._sentences import RULE_NAMES, finding_names, said_finding
from ._totals import ADDITIVE_UNITS

__all__ = [
    "ADDITIVE_UNITS",
    "FAMILIES",
    "GROWTH_SUFFIXES",
    "MEAN_UNITS",
    "OUTLIER_SCALES",
    "PARTITIONS",
    "RULES",
    "RULE_NAMES",
    "SEVERITIES",
    "AuditOptions",
    "Finding",
    "Partition",
    "audit",
    "finding_names",
    "findings_frame",
    "growth_links",
    "outlier",
    "proposed_flags",
    "said_finding",
    "summarise",
]
