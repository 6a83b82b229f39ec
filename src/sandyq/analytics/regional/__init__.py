"""Regional differentiation: dispersion, inequality, convergence, ranking and peers.

For any indicator across regions (or countries) in a year: coefficient of
variation, Gini, Theil, max/min ratio, population-weighted where a weight column
exists (:func:`dispersion`); over years: sigma convergence (the trend of
dispersion) and beta convergence (growth on the initial level), each with
confidence intervals; ranks and peer groups.

Boundary changes are handled explicitly.  Pass a geography object
(``geography=``) or two callables, ``existence(geo, year) -> bool`` and
``boundary_note(geo, year0, year1) -> str | None``.  A unit that does not exist in
a year is absent (left out and listed), never zero; comparisons across a change
say which units changed, and convergence can exclude them (``boundary=``).

Kazakhstan's regional population is bundled (:func:`region_population`,
:func:`population_weights`), so statistics can be population-weighted and say
whether they are; :func:`cautions` says when a statistic misleads (a share near
its ceiling, raw counts), in kk, ru and en.

>>> import pandas as pd
>>> d = pd.DataFrame({"geo": ["KZ-YUZ", "KZ-61", "KZ-79", "KZ-11"], "year": 2018, "value": [50.0, 60.0, 80.0, 70.0]})
>>> t = dispersion(d, existence=lambda geo, year: not (geo == "KZ-YUZ" and year >= 2018))
>>> int(t.loc[0, "n"]), t.loc[0, "excluded"]
(3, 'KZ-YUZ (does not exist in this year)')
"""

from __future__ import annotations

from ._convergence import TOO_FEW, BetaConvergence, SigmaConvergence, beta_convergence, sigma_convergence
from ._dispersion import dispersion
from ._inequality import coefficient_of_variation, gini, max_min_ratio, theil
from ._population import (
    CEILING_SHARE,
    COUNT_UNITS,
    UNWEIGHTED,
    WEIGHTED,
    WEIGHTS_NOTE,
    Caution,
    cautions,
    population_weights,
    region_population,
)
from ._ranking import Peers, peer_groups, peers, peers_many, rank
from ._territory import BoundaryNote, Existence, Territory

__all__ = [
    "CEILING_SHARE",
    "COUNT_UNITS",
    "TOO_FEW",
    "UNWEIGHTED",
    "WEIGHTED",
    "WEIGHTS_NOTE",
    "BetaConvergence",
    "BoundaryNote",
    "Caution",
    "Existence",
    "Peers",
    "SigmaConvergence",
    "Territory",
    "beta_convergence",
    "cautions",
    "coefficient_of_variation",
    "dispersion",
    "gini",
    "max_min_ratio",
    "peer_groups",
    "peers",
    "peers_many",
    "population_weights",
    "rank",
    "region_population",
    "sigma_convergence",
    "theil",
]
