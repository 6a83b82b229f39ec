"""Policy evaluation: what an indicator would have been without a programme, and how sure that is.

Estimators on a balanced panel with one treated unit (or block) from a given period — difference-in-differences
with unit and time fixed effects, synthetic control (Abadie, Diamond & Hainmueller 2010, and the synthdid paper's
variant), synthetic difference-in-differences (Arkhangelsky et al. 2021, as the ``synthdid`` R package computes
it) — with the gap per period, in-space and in-time placebos, the permutation p-value, the post/pre RMSPE
ratio, leave-one-out donors and the placebo, jackknife and bootstrap standard errors of the synthdid paper.
"""

from ._donors import donor_pool, peer_group_members
from ._estimate import METHODS, Estimate, Settings, estimate
from ._evaluation import evaluate, evaluate_frame, evaluate_panel
from ._inference import (
    Placebos,
    bootstrap_se,
    in_time_placebo,
    jackknife_se,
    leave_one_out,
    placebo_se,
    placebos,
)
from ._panel import Panel, panel_from_frame
from ._result import Evaluation
from ._weights import frank_wolfe, simplex_least_squares

__all__ = [
    "METHODS",
    "Estimate",
    "Evaluation",
    "Panel",
    "Placebos",
    "Settings",
    "bootstrap_se",
    "donor_pool",
    "estimate",
    "evaluate",
    "evaluate_frame",
    "evaluate_panel",
    "frank_wolfe",
    "in_time_placebo",
    "jackknife_se",
    "leave_one_out",
    "panel_from_frame",
    "peer_group_members",
    "placebo_se",
    "placebos",
    "simplex_least_squares",
]
