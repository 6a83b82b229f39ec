"""Target tracking: are we on track, and how sure are we?

* :func:`assess_status` — the Eurostat / Statistics Canada ratio of observed to
  required growth and its categories (and the no-target variant), with the
  Open SDG −5…+5 score;
* :func:`project` / :func:`forecast_many` — a combination of Theta, damped-trend
  exponential smoothing and random walk with drift, on a bounds-respecting
  scale, blended with peer paths (:class:`PeerPanel`: how series of the same
  indicator at the same level moved next), with prediction intervals and the
  probability of reaching the target;
* :func:`backtest` / :class:`Calibration` — sandyq's rolling-origin backtests,
  MASE against naive and drift, interval coverage, the empirical error
  distribution per series length and horizon (:class:`ZDistribution`) and the
  widening factor behind it;
* :class:`EventScores` / :func:`score_events` / :func:`reliability` — how sure
  the probabilities are: Brier score and skill against the base rate and a
  naive drift model, and the reliability table, on backtested target events;
* :func:`assess` — ad-hoc assessment of ``{year: value}`` against a target;
* :func:`progress` — the programme roll-up with counts, execution rate (of the
  targets that can be judged) and risk warnings; every target with its other
  sources, required path, needed growth and, where status and probability seem
  to disagree, the sentence that reconciles them (:func:`reconcile`).
"""

from __future__ import annotations

from ._assess import Assessment, MilestoneCheck, assess, assess_series, parse_values, reconcile, required_path
from ._backtest import METHOD as BACKTEST_METHOD
from ._backtest import BacktestResult, backtest, calibrate, fit_calibration
from ._calibration import DEFAULT_CALIBRATION, LEVELS, Calibration, fit_factor, fit_tail
from ._distribution import ZDistribution, fit_quantiles
from ._events import EventScores, brier, reliability, score_events
from ._peers import PEER_WEIGHTS, PeerPanel, panel_from_annual, panel_from_observations, peer_weight
from ._projection import Forecast, Projection, ProjectionInput, forecast_many, project
from ._report import (
    NOT_JUDGED,
    OtherSource,
    ProgressReport,
    RiskWarning,
    TargetProgress,
    probability_sentence,
    with_unit,
)
from ._rollup import progress, required_trajectory
from ._status import (
    DEFAULT_THRESHOLDS,
    STATUSES,
    TargetStatus,
    Thresholds,
    assess_status,
    cagr,
    classify_rate,
    classify_ratio,
    open_sdg_score,
    progress_ratio,
)
from ._transform import Transform, choose_transform

__all__ = [
    "BACKTEST_METHOD",
    "DEFAULT_CALIBRATION",
    "DEFAULT_THRESHOLDS",
    "LEVELS",
    "NOT_JUDGED",
    "STATUSES",
    "Assessment",
    "BacktestResult",
    "Calibration",
    "EventScores",
    "Forecast",
    "MilestoneCheck",
    "OtherSource",
    "PEER_WEIGHTS",
    "PeerPanel",
    "ProgressReport",
    "Projection",
    "ProjectionInput",
    "RiskWarning",
    "TargetProgress",
    "TargetStatus",
    "Thresholds",
    "Transform",
    "ZDistribution",
    "assess",
    "assess_series",
    "assess_status",
    "backtest",
    "brier",
    "cagr",
    "calibrate",
    "choose_transform",
    "classify_rate",
    "classify_ratio",
    "fit_calibration",
    "fit_factor",
    "fit_quantiles",
    "fit_tail",
    "forecast_many",
    "open_sdg_score",
    "panel_from_annual",
    "panel_from_observations",
    "parse_values",
    "peer_weight",
    "probability_sentence",
    "progress",
    "progress_ratio",
    "project",
    "reconcile",
    "reliability",
    "required_path",
    "required_trajectory",
    "score_events",
    "with_unit",
]
