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
    whole = number(amount)
    return f"-${whole[1:]}" if whole.startswith("-") else f"${whole}"


#: The calls' fields as the app's column mapping names them, in plain words (the import's
#: roles: the canonical columns of kit.data.schema and the few that feed them).
FIELD_LABELS: Final[dict[str, str]] = {
    "received_at": "When the call was received",
    "call_type": "What the call was about (code)",
    "call_type_desc": "What the call was about (in words)",
    "area": "Area (district, beat or neighbourhood)",
    "call_id": "Call or incident number",
    "priority": "Priority",
    "block": "Address or block",
    "dispatched_at": "When the first unit was sent",
    "arrived_at": "When the first unit arrived",
    "cleared_at": "When the call was closed",
    "units": "How many units went",
    "disposition": "How the call ended",
    "disposition_code": "How the call ended (code)",
    "initiated_by": "How the call came in (911, officer, alarm)",
    "self_initiated": "Started by an officer (yes or no)",
    "unit_id": "Which unit went (call sign)",
    "location": "Map point (coordinates)",
    "lat": "Latitude",
    "lon": "Longitude",
    "travel_minutes": "Minutes travelling to the call",
    "on_scene_minutes": "Minutes at the scene",
}


def field_label(role: str) -> str:
    """A call field's plain-language name; an unknown field is shown as it is."""
    return FIELD_LABELS.get(role, role)


def number(value: float, digits: int = 0) -> str:
    """A number with thousands separators, never "-0" (a tiny negative rounds to plain 0)."""
    text = f"{float(value):,.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def plural(count: float, word: str, many: str = "") -> str:
    """A count with its word, singular for exactly one: "1 position", "2.5 positions"."""
    return f"{number(count, 0 if float(count).is_integer() else 1)} " + (
        word if float(count) == 1 else many or f"{word}s"
    )


def scaled_note(years: float | None) -> str:
    """What a yearly figure worked out from less than a year of calls must say ("" otherwise)."""
    if years is None or not 0 < float(years) < 1:
        return ""
    days = max(1, round(float(years) * 365.25))
    return (
        f"Yearly figures are scaled up from {plural(days, 'day')} of calls, so seasons the data "
        "does not cover are not in them."
    )
