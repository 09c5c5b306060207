"""Words and number formats people read, defined once.

Every page, chart, printed page and command names weekdays and responders and writes dollars
the same way; a council member comparing step 02's table with step 03's figures should never
wonder whether "Non-sworn staff" and "Community service officers" are two different services.
"""

from __future__ import annotations


def money(amount: float) -> str:
    """Whole dollars with the sign in front: -$1,234."""
    return f"{'-' if amount < 0 else ''}${abs(amount):,.0f}"
