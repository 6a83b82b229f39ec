"""Analytics: statistics and composite indices computed from the indicator store."""

__all__: list[str] = []
