"""How sure are the probabilities? A backtest of threshold events: Brier score, skill and reliability.

sandyq says "the probability of reaching 80 % by 2030 is 35 %".  Such a
sentence is checked the way weather forecasts are (Murphy 1973; Wilks,
*Statistical Methods in the Atmospheric Sciences*, ch. 9): replay the
rolling-origin backtests (:mod:`._backtest`) and, for every forecast, set
targets the way programmes set them: from the value at the origin, at ``c``
times the series' typical annual change (on the model scale) per year ahead,
for ``c`` from −1 (a fall) through 0 (stay at least level) to 2 (twice the
past pace) — so the levels the series actually reached lie among them, some
targets above and some below.  Targets are deliberately *not* placed relative
to the level later reached: a threshold that depends on the outcome makes the
reliability check invalid (on sandyq's backtests five targets at the reached
level ± one and half a typical change per year gave bins off by up to 0.24
even for well-calibrated intervals, because whether such an event is met is
fixed by its offset).  An event is *met* when the value reached
the target.  Each event gets

* sandyq's probability, from a calibration fitted on the *other* half of the
  series (two-fold cross-validation by series, so no series is judged by a
  calibration that has seen it), and
* the naive benchmark: a random walk with drift with normal errors;

and the Brier score (mean squared difference between probability and outcome,
0 best) is compared with always saying the base rate and with the naive
benchmark: skill = 1 − Brier / Brier of the benchmark (> 0: better).
Reliability bins the probabilities by tenths: within each bin the share of
events met should equal the mean probability.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..results import to_records
from ._calibration import Calibration
from ._distribution import GRID
from ._series import SERIES_KEYS

__all__ = ["OFFSETS", "EventScores", "brier", "evaluate", "reliability", "score_events"]

#: Targets relative to the value at the origin: multiples of the series' typical annual change times the horizon.
OFFSETS: tuple[float, ...] = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0)


def brier(p: Sequence[float] | np.ndarray, outcome: Sequence[float] | np.ndarray) -> float:
    """Mean squared difference between probabilities and outcomes (0 or 1); 0 is perfect, 0.25 a coin.

    >>> brier([0.8, 0.3], [1, 0])
    0.065
    """
    pp, oo = np.asarray(p, dtype=float), np.asarray(outcome, dtype=float)
    return round(float(np.mean((pp - oo) ** 2)), 12)


def reliability(p: Sequence[float] | np.ndarray, outcome: Sequence[float] | np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Per probability bin (tenths): events, mean probability, share met and their difference.

    >>> r = reliability([0.05, 0.15, 0.12, 0.95], [0, 0, 1, 1])
    >>> r[["bin", "events", "observed"]].values.tolist()
    [['0.0–0.1', 1, 0.0], ['0.1–0.2', 2, 0.5], ['0.9–1.0', 1, 1.0]]
    """
    pp, oo = np.asarray(p, dtype=float), np.asarray(outcome, dtype=float)
    idx = np.minimum((pp * bins).astype(int), bins - 1)
    rows = []
    for b in np.unique(idx):
        sel = idx == b
        mean_p, obs = float(pp[sel].mean()), float(oo[sel].mean())
        label = f"{b / bins:.1f}–{(b + 1) / bins:.1f}"
        rows.append(
            {"bin": label, "events": int(sel.sum()), "probability": mean_p, "observed": obs, "gap": obs - mean_p}
        )
    return pd.DataFrame(rows, columns=["bin", "events", "probability", "observed", "gap"])


def _sandyq_probability(records: pd.DataFrame, threshold: np.ndarray, cal: Calibration) -> np.ndarray:
    """P(value ≥ threshold) on the model scale under ``cal``'s predictive distribution, per record."""
    levels = np.asarray(GRID)
    x = (threshold - records["loc"].to_numpy(dtype=float)) / records["sd"].to_numpy(dtype=float)
    n, h = records["n_train"].to_numpy(dtype=int), records["h"].to_numpy(dtype=int)
    out = np.full(x.size, np.nan)
    for a, b in {(int(u), int(v)) for u, v in zip(n, h, strict=True)}:
        sel = (n == a) & (h == b)
        q = cal.quantiles([b], a)[0]
        qs, inv = np.unique(q, return_inverse=True)
        lv = np.bincount(inv, weights=levels) / np.bincount(inv)
        out[sel] = 1.0 - np.interp(x[sel], qs, lv)
    return out


def score_events(records: pd.DataFrame, cal: Calibration, offsets: Sequence[float] = OFFSETS) -> pd.DataFrame:
    """Every threshold event of the backtest ``records``: sandyq's and the naive probability, and the outcome.

    Records whose spread cannot be estimated by sandyq or by the drift model are left out.
    """
    from scipy import special

    need = ["loc", "sd", "drift_loc", "drift_sd", "dz", "z", "last"]
    rec = records[np.isfinite(records[need].to_numpy(dtype=float)).all(axis=1)]
    rec = rec[(rec["sd"] > 0) & (rec["drift_sd"] > 0) & (rec["dz"] > 0)]
    reached = rec["loc"].to_numpy(dtype=float) + rec["z"].to_numpy(dtype=float) * rec["sd"].to_numpy(dtype=float)
    step = rec["dz"].to_numpy(dtype=float) * rec["h"].to_numpy(dtype=float)
    parts = []
    for c in offsets:
        threshold = rec["last"].to_numpy(dtype=float) + c * step
        frame = rec[[*SERIES_KEYS, "origin", "h", "n_train"]].copy()
        frame["offset"] = c
        frame["p"] = _sandyq_probability(rec, threshold, cal)
        x = (rec["drift_loc"].to_numpy(dtype=float) - threshold) / rec["drift_sd"].to_numpy(dtype=float)
        frame["p_drift"] = special.ndtr(x)
        frame["met"] = (reached >= threshold).astype(float)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


@dataclass(frozen=True)
class EventScores:
    """Brier scores of sandyq's probabilities, of the base rate and of the naive drift model, and reliability.

    >>> e = EventScores.of(pd.DataFrame({"p": [0.9, 0.2], "p_drift": [0.5, 0.5], "met": [1.0, 0.0]}))
    >>> e.brier, e.brier_base, e.skill_base, e.skill_drift
    (0.025, 0.25, 0.9, 0.9)
    """

    events: int
    base_rate: float
    brier: float
    brier_base: float
    brier_drift: float
    reliability: pd.DataFrame = field(compare=False)

    @classmethod
    def of(cls, events: pd.DataFrame) -> EventScores:
        p, met = events["p"].to_numpy(dtype=float), events["met"].to_numpy(dtype=float)
        base = float(met.mean()) if met.size else float("nan")
        return cls(
            events=int(met.size),
            base_rate=base,
            brier=brier(p, met),
            brier_base=brier(np.full(met.size, base), met),
            brier_drift=brier(events["p_drift"].to_numpy(dtype=float), met),
            reliability=reliability(p, met),
        )

    @property
    def skill_base(self) -> float:
        """Brier skill against always saying the base rate (> 0: sandyq is better)."""
        return round(1.0 - self.brier / self.brier_base, 12) if self.brier_base > 0 else float("nan")

    @property
    def skill_drift(self) -> float:
        """Brier skill against the naive drift model's probability."""
        return round(1.0 - self.brier / self.brier_drift, 12) if self.brier_drift > 0 else float("nan")

    @property
    def max_gap(self) -> float:
        """The largest |share met − mean probability| over the reliability bins."""
        return float(self.reliability["gap"].abs().max()) if not self.reliability.empty else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "base_rate": self.base_rate,
            "brier": self.brier,
            "brier_base_rate": self.brier_base,
            "brier_drift": self.brier_drift,
            "skill_vs_base_rate": self.skill_base,
            "skill_vs_drift": self.skill_drift,
            "reliability": to_records(self.reliability),
        }

    def to_text(self) -> str:
        """The reliability table and the Brier scores, for ``sandyq backtest``."""
        table = self.reliability.copy()
        for col, fmt in (("probability", "{:.3f}"), ("observed", "{:.3f}"), ("gap", "{:+.3f}")):
            table[col] = table[col].map(fmt.format)
        return "\n".join(
            [
                f"Probabilities of reaching a target ({self.events:,} backtest events, cross-validated by series):",
                table.to_string(index=False),
                f"Brier score {self.brier:.3f}; always the base rate ({self.base_rate:.2f}) {self.brier_base:.3f}; "
                f"naive drift {self.brier_drift:.3f}. Skill vs base rate {self.skill_base:+.2f}, "
                f"vs drift {self.skill_drift:+.2f}.",
            ]
        )


def evaluate(
    records: pd.DataFrame, fit: Callable[[pd.DataFrame], Calibration], offsets: Sequence[float] = OFFSETS
) -> tuple[EventScores | None, pd.DataFrame]:
    """Score the events of each half of the series with the calibration ``fit`` on the other half (None: no events)."""
    ok = records[np.isfinite(records["z"].to_numpy(dtype=float))]
    fold = ok.groupby(list(SERIES_KEYS), sort=False).ngroup().to_numpy() % 2
    parts = [
        score_events(ok[fold == f], fit(ok[fold != f]), offsets)
        for f in (0, 1)
        if (fold == f).any() and (fold != f).any()
    ]
    events = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["p", "p_drift", "met"])
    return (EventScores.of(events) if len(events) else None), events
