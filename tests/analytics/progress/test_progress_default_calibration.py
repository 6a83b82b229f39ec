"""The built-in calibration is not a magic constant: the bundled WDI series reproduce it."""

from __future__ import annotations

import pytest

import sandyq
from sandyq.analytics.progress import DEFAULT_CALIBRATION, backtest

WDI = [
    "IT.CEL.SETS.P2",
    "IT.NET.BBND.P2",
    "IT.NET.SECR.P6",
    "IT.MLT.MAIN.P2",
    "TX.VAL.TECH.MF.ZS",
    "GB.XPD.RSDV.GD.ZS",
    "SP.POP.SCIE.RD.P6",
    "SE.TER.ENRR",
    "EG.ELC.ACCS.ZS",
    "NY.GDP.PCAP.CD",
    "NY.GDP.PCAP.PP.CD",
    "SP.POP.TOTL",
]


@pytest.mark.slow
def test_default_calibration_is_reproduced_by_backtesting_the_bundled_wdi_series(
    default_monitor: sandyq.Monitor,
) -> None:
    obs = default_monitor.store.observations(WDI, dims="", source="wdi")
    result = backtest(obs, default_monitor.framework.indicators)
    fitted, default = result.calibration, DEFAULT_CALIBRATION
    # the fitted factors are points of a 0.005 grid: they must be the same points
    assert (fitted.factor, fitted.factor_short, fitted.tail_df) == (
        default.factor,
        default.factor_short,
        default.tail_df,
    )
    assert fitted.by_horizon == default.by_horizon and fitted.by_horizon_short == default.by_horizon_short
    assert (fitted.n_series, fitted.n_forecasts) == (default.n_series, default.n_forecasts)
    for scale, sigma in default.typical_sigma.items():
        assert fitted.typical_sigma[scale] == pytest.approx(sigma, abs=5e-5)
    # the empirical error quantiles of every (series-length band, horizon) cell (kept to 5 decimals)
    assert fitted.distribution == default.distribution
    assert len(default.distribution.table) == 24  # 4 bands × 6 horizons, each from at least 200 series
    # and it does what it is for: calibrated coverage at the nominal levels, cross-validated by series ...
    assert fitted.coverage["cross_validated"]["95"] == pytest.approx(0.95, abs=0.01)
    assert fitted.coverage["cross_validated"]["80"] == pytest.approx(0.80, abs=0.01)
    # ... and probabilities of reaching a target that beat the base rate and the naive drift model,
    # reliable within 0.03 in every tenth (the figures kept with the default calibration)
    events = result.events
    assert events is not None
    for name in ("events", "brier", "brier_base_rate", "brier_drift"):
        assert events.to_dict()[name] == pytest.approx(default.events[name], rel=1e-9)
    assert events.skill_base > 0.4 and events.skill_drift > 0.05
    assert events.max_gap < 0.03
