"""The code list of units of measure, with the bounds each unit allows.

Unit codes follow SDMX conventions where one exists (``PT`` for percent,
``TH_UNITS`` for thousands, as in Kazakhstan's SDG data).  The bounds are used
by importers (a percent of 140 is refused) and by the consistency audit.

>>> UNITS["PT"].allows(101.0)
False
>>> UNITS["PER_100"].allows(145.4)
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_MAGNITUDE", "UNITS", "Unit"]

#: The largest magnitude of a value in any unit whose bounds do not reach further: 10^15.  Larger
#: figures (1e308, a misplaced exponent) are refused: stated in a larger unit (BN_KZT, not KZT), every
#: real statistic fits; beyond it, sums and ratios lose the precision of a double.
MAX_MAGNITUDE = 1e15


@dataclass(frozen=True)
class Unit:
    """A unit of measure: code, names in kk/ru/en, and the values it allows."""

    code: str
    en: str
    ru: str
    kk: str
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False

    def allows(self, value: float) -> bool:
        """Whether ``value`` lies within this unit's bounds."""
        if self.minimum is not None and value < self.minimum:
            return False
        return not (self.maximum is not None and value > self.maximum)

    def magnitude(self) -> float:
        """The largest magnitude a value may have: :data:`MAX_MAGNITUDE`, or the unit's bounds if they reach further.

        >>> UNITS["KZT"].magnitude()
        1000000000000000.0
        """
        bounds = [abs(b) for b in (self.minimum, self.maximum) if b is not None]
        return max([MAX_MAGNITUDE, *bounds])

    def bounds_text(self) -> str:
        lo = "−∞" if self.minimum is None else f"{self.minimum:g}"
        hi = "∞" if self.maximum is None else f"{self.maximum:g}"
        return f"[{lo}, {hi}]"

    def name(self, language: str = "en") -> str:
        return str(getattr(self, language, self.en) or self.en)


_LIST = (
    Unit("PT", "percent", "процент", "пайыз", 0.0, 100.0),
    Unit(
        "PT_GROSS",
        "percent, gross ratio (may exceed 100)",
        "процент, валовой коэффициент (может превышать 100)",
        "пайыз, жалпы коэффициент (100-ден асуы мүмкін)",
        0.0,
    ),
    Unit("PER_100", "per 100 people", "на 100 человек", "100 адамға", 0.0),
    Unit("PER_1M", "per million people", "на 1 млн человек", "1 млн адамға", 0.0),
    Unit("NUMBER", "count", "единиц", "бірлік", 0.0),
    Unit("PERSONS", "persons", "человек", "адам", 0.0),
    Unit("TH_UNITS", "thousands", "тыс. единиц", "мың бірлік", 0.0),
    Unit("TH_PERSONS", "thousand persons", "тыс. человек", "мың адам", 0.0),
    Unit("MN_KZT", "million tenge", "млн тенге", "млн теңге"),
    Unit("BN_KZT", "billion tenge", "млрд тенге", "млрд теңге"),
    Unit("TN_KZT", "trillion tenge", "трлн тенге", "трлн теңге"),
    Unit("KZT", "tenge", "тенге", "теңге"),
    Unit("TH_KZT", "thousand tenge", "тыс. тенге", "мың теңге"),
    Unit("USD", "US dollars", "доллары США", "АҚШ доллары"),
    Unit("MN_USD", "million US dollars", "млн долларов США", "млн АҚШ доллары"),
    Unit("INTL_USD", "international dollars (PPP)", "международные доллары (ППС)", "халықаралық доллар (СҚП)"),
    Unit(
        "BIT_S_PER_USER",
        "bit/s per Internet user",
        "бит/с на пользователя Интернета",
        "Интернет пайдаланушысына бит/с",
        0.0,
    ),
    Unit("RANK", "rank", "место", "орын", 1.0, None, True),
    Unit("INDEX", "index score", "индекс", "индекс"),
    Unit("INDEX_0_1", "index score (0–1)", "индекс (0–1)", "индекс (0–1)", 0.0, 1.0),
    Unit("INDEX_0_100", "index score (0–100)", "индекс (0–100)", "индекс (0–100)", 0.0, 100.0),
    Unit(
        "GROWTH_INDEX_PT",
        "growth index, % of previous level",
        "индекс роста, % к предыдущему уровню",
        "өсу индексі, алдыңғы деңгейге %",
        0.0,
    ),
    Unit("RATE_PT", "rate of change, %", "темп прироста, %", "өсу қарқыны, %", -100.0),
    Unit("YEARS", "years", "лет", "жыл", 0.0),
)

#: All units by code.
UNITS: dict[str, Unit] = {u.code: u for u in _LIST}
