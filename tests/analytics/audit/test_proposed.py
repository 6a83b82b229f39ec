"""Figures proposed for publication, checked as the store would be after it (``proposed_flags``).

Real published figures: fixed broadband subscriptions (17-6-2, SDG database, thousands) of the series
``_L_KZ_170602_1B`` in 2022 add up exactly over the 20 regions to Kazakhstan's 802.9 (Almaty: 83.1).  A rule that
says so, declared as a user would in ``rules/*.yaml``, is broken by a region's figure as much as by the country's,
and each submitted row that breaks it is flagged; a row of another key is not (series ``_L_KZ_170602_1A`` has
no national figure; Almaty's was 371.0 in 2022).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

import sandyq
from sandyq.analytics.audit import outlier, proposed_flags
from sandyq.framework import Rule

SERIES = "series=_L_KZ_170602_1B"
RULE = Rule.model_validate(
    {
        "id": "broadband-regions-add-up",
        "left": "[17-6-2]",
        "operator": "==",
        "right": "sum([17-6-2] over regions)",
        "tolerance": {"absolute": 0.15},
        "scope": {"source": "kz-sdg", "dims": "all"},
        "text": {
            "kk": "Өңірлердің тіркелген кең жолақты жазылымдары ел бойынша жиынтыққа тең.",
            "ru": "Сумма фиксированных широкополосных подписок регионов равна итогу по стране.",
            "en": "The regions' fixed broadband subscriptions add up to the country's.",
        },
    }
)


def rows(*figures: tuple[str, str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"indicator": "17-6-2", "geo": geo, "period": period, "dims": dims, "source": "kz-sdg", "value": value}
            | {"unit": "TH_UNITS", "status": None, "note": None}
            for geo, period, dims, value in figures
        ]
    )


def test_a_sum_over_regions_broken_by_a_region_or_the_country_flags_the_rows_that_break_it(
    default_monitor: sandyq.Monitor,
) -> None:
    framework = dataclasses.replace(default_monitor.framework, rules={RULE.id: RULE})
    store = default_monitor.store
    assert proposed_flags(store, framework, rows(("KZ-75", "2022", SERIES, 83.1))) == [[]]  # as published: holds

    almaty, other_series = proposed_flags(
        store, framework, rows(("KZ-75", "2022", SERIES, 183.1), ("KZ-75", "2022", "series=_L_KZ_170602_1A", 380.0))
    )
    assert almaty[0] == (
        "rule broadband-regions-add-up: [17-6-2] == sum([17-6-2] over regions) does not hold with 802.9 against 902.9 "
        "(The regions' fixed broadband subscriptions add up to the country's.)"
    )
    assert almaty[1].startswith("outlier: 97.6 in 2021 → 183.1 in 2022 (+85.5) is 7.0 robust scales")
    assert other_series == []  # series 1A has no country figure to add up to: a gap is not a departure

    [country] = proposed_flags(store, framework, rows(("KAZ", "2022", SERIES, 900.0)))
    assert country[0].startswith("rule broadband-regions-add-up: ") and "with 900 against 802.9" in country[0]


def test_outlier_is_measured_against_the_other_changes_with_a_floor_of_the_level() -> None:
    others = [2.1, 2.7, 3.0, 2.4, 2.9, 2.5]
    assert outlier(others, 3.4, 90.0) is None
    z, median, scale = outlier(others, -34.7, 90.0) or (0.0, 0.0, 0.0)
    assert median == 2.6 and scale == 1.8 and round(z, 1) == 20.7  # the floor: 2 % of the level 90
    assert outlier(others[:4], -34.7, 90.0) is None  # too few changes to say
