"""Words and number formats people read, defined once.

Every page, chart, printed page and command names weekdays and responders and writes dollars
the same way; a council member comparing step 02's table with step 03's figures should never
wonder whether "Non-sworn staff" and "Community service officers" are two different services.
"""

from __future__ import annotations

from typing import Final

#: Day names in hour-of-week order (hour 0 is Monday 00:00).
WEEKDAYS: Final[tuple[str, ...]] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
#: Three-letter day names, for tables on a terminal.
WEEKDAY_ABBREVIATIONS: Final[tuple[str, ...]] = tuple(day[:3] for day in WEEKDAYS)

#: What each responder is, in full (choices, charters and help).
RESPONDER_LABELS: Final[dict[str, str]] = {
    "police": "Police",
    "co_response": "Police with a clinician (co-response)",
    "crisis_team": "Civilian crisis team",
    "cso": "Civilian non-sworn staff (community service officers)",
    "online": "Online or telephone reporting",
    "other_agency": "Another agency (fire/EMS, public works, 311, animal control)",
    "no_dispatch": "No dispatch (e.g. alarm verification first)",
}

#: The same responders in a few words (table headings, chart legends, figures).
RESPONDER_SHORT_LABELS: Final[dict[str, str]] = {
    "police": "Police",
    "co_response": "Co-response",
    "crisis_team": "Crisis team",
    "cso": "Community service officers",
    "online": "Online reporting",
    "other_agency": "Another agency",
    "no_dispatch": "No dispatch",
}

#: Lines of a service budget that are not responders.
BUDGET_LINE_LABELS: Final[dict[str, str]] = {
    **RESPONDER_SHORT_LABELS,
    "dispatch": "Call-taking and dispatch",
}


def short_label(name: str) -> str:
    """A responder's (or budget line's) short label; an unknown name is shown as it is."""
    return BUDGET_LINE_LABELS.get(name, name)


def money(amount: float) -> str:
    """Whole dollars with the sign in front: -$1,234."""
    return f"{'-' if amount < 0 else ''}${abs(amount):,.0f}"
