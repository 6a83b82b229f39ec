"""The built-in calibration is not a magic constant: the bundled WDI series reproduce it."""

from __future__ import annotations

import pytest

import sandyq
from sandyq.analytics.progress import DEFAULT_CALIBRATION, backtest

WDI = ["IT.CEL.SETS.P2", "IT.NET.BBND.P2", "IT.NET.SECR.P6", "IT.MLT.MAIN.P2", "TX.VAL.TECH.MF.ZS",
       "GB.XPD.RSDV.GD.ZS", "SP.POP.SCIE.RD.P6", "SE.TER.ENRR", "EG.ELC.ACCS.ZS", "NY.GDP.PCAP.CD",
       "NY.GDP.PCAP.PP.CD", "SP.POP.TOTL"]


@pytest.mark.slow
def test_default_calibration_is_reproduced_by_backtesting_the_bundled_wdi_series(
        default_monitor: sandyq.Monitor) -> None:
    obs = default_monitor.store.observations(WDI, dims="", source="wdi")
    fitted = backtest(obs, default_monitor.framework.indicators).calibration
    assert fitted.factor == pytest.approx(DEFAULT_CALIBRATION.factor, abs=0.02)
    assert fitted.factor_short == pytest.approx(DEFAULT_CALIBRATION.factor_short, abs=0.05)
    assert fitted.tail_df == DEFAULT_CALIBRATION.tail_df
    for h, k in DEFAULT_CALIBRATION.by_horizon.items():
        assert fitted.by_horizon[h] == pytest.approx(k, abs=0.02)
    # and it does what it is for: calibrated coverage at the nominal levels
    assert fitted.coverage["cross_validated"]["95"] == pytest.approx(0.95, abs=0.01)
    assert fitted.coverage["cross_validated"]["80"] == pytest.approx(0.80, abs=0.01)
