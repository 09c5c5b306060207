"""Responders, their assumptions, and the ``role_assignments`` decision document.

A plan says, for each call type, what share of its calls each responder should take
(most types: one responder). Three assumptions per responder then separate the calls
a plan *routes* from those a responder really *handles without police*, the distinction
public figures often blur: screening (calls with a weapon or violence in progress stay with
police), take-up (the share of routed calls the responder actually reaches) and back-up
(calls handed back to police). Defaults cite their source; where no published figure
exists the default says it is a planning assumption, to be replaced by local figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from kit.decisions import check_schema
from kit.equity import DEFAULT_THRESHOLD_PP, check_threshold
from kit.errors import KitError
from kit.labels import RESPONDER_LABELS
from kit.roles.durations import check_minutes
from kit.roles.weapons import check_confirmed
from kit.taxonomy import validate_overrides

RESPONDERS: Final[tuple[str, ...]] = (
    "police",
    "co_response",
    "crisis_team",
    "cso",
    "online",
    "other_agency",
    "no_dispatch",
)
ALTERNATIVES: Final[tuple[str, ...]] = RESPONDERS[1:]


ASSUMPTION_FIELDS: Final[tuple[str, ...]] = ("screening", "take_up", "back_up")

DECISION_NAME: Final = "role_assignments"
SCHEMA_VERSION: Final = 1

# One worked example of shift relief: Minnesota Chiefs of Police Association (1998), 1,849
# on-duty hours per officer a year. The workload-based method: Wilson and Weiss, "A
# Performance-Based Approach to Police Staffing and Allocation" (COPS Office, 2012).
PRODUCTIVE_HOURS_PER_OFFICER: Final = 1849.0
PRODUCTIVE_HOURS_SOURCE: Final = (
    "Minnesota Chiefs of Police Association (1998) worked example: 1,849 on-duty hours per "
    "officer a year; method in Wilson and Weiss, A Performance-Based Approach to Police "
    "Staffing and Allocation (COPS Office, 2012)."
)

_ASSUMED: Final = "Planning assumption (no published figure): replace it with your own."

DEFAULT_ASSUMPTIONS: Final[dict[str, dict[str, float]]] = {
    "co_response": {"screening": 0.0, "take_up": 1.0, "back_up": 0.0},
    "crisis_team": {"screening": 0.10, "take_up": 0.45, "back_up": 0.01},
    "cso": {"screening": 0.05, "take_up": 0.80, "back_up": 0.02},
    "online": {"screening": 0.0, "take_up": 0.50, "back_up": 0.0},
    "other_agency": {"screening": 0.05, "take_up": 0.80, "back_up": 0.05},
    "no_dispatch": {"screening": 0.0, "take_up": 0.90, "back_up": 0.0},
}

ASSUMPTION_SOURCES: Final[dict[str, dict[str, str]]] = {
    "co_response": {
        "screening": "Police attend every co-response call, so none is screened out.",
        "take_up": _ASSUMED + " Clinicians are assumed available within their coverage hours.",
        "back_up": "Police are already there: no call is handed back.",
    },
    "crisis_team": {
        "screening": _ASSUMED + " Share of these calls with a weapon or violence in progress.",
        "take_up": (
            "Denver STAR reached 44% (2022) and 46% (2023) of its eligible calls (Denver "
            "Department of Public Health and Environment, STAR programme reports; see also "
            "Dee and Pyne, Science Advances 8(23) eabm2106, 2022)."
        ),
        "back_up": (
            "CAHOOTS requested police back-up in roughly 1% of its calls (National League of "
            "Cities, Reimagining Public Safety Impact Updates: Eugene)."
        ),
    },
    "cso": {
        "screening": _ASSUMED,
        "take_up": _ASSUMED,
        "back_up": _ASSUMED,
    },
    "online": {
        "screening": "Reports filed online involve no one on scene, so none is screened out.",
        "take_up": _ASSUMED + " Share of eligible callers who accept filing online.",
        "back_up": "An online report sends no one, so no call is handed back.",
    },
    "other_agency": {"screening": _ASSUMED, "take_up": _ASSUMED, "back_up": _ASSUMED},
    "no_dispatch": {
        "screening": "Alarm verification happens before anyone is sent.",
        "take_up": _ASSUMED + " Share of alarms closed by verification without a dispatch.",
        "back_up": "A verified alarm that needs police is counted as not taken up.",
    },
}


def _share(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise KitError(f"{where} must be a number between 0 and 1 (it is {value!r}).")
    number = float(value)
    if not math.isfinite(number) or number < 0 or number > 1:
        raise KitError(f"{where} must be between 0 and 1 (it is {value!r}). Use 0.25 for 25%.")
    return number


def check_responder(name: object) -> str:
    """Return ``name`` if it is a responder id, else raise a KitError listing them."""
    if name not in RESPONDERS:
        raise KitError(f"'{name}' is not a responder. Use one of: {', '.join(RESPONDERS)}.")
    return str(name)


def check_assumptions(
    assumptions: Mapping[str, Mapping[str, object]] | None,
) -> dict[str, dict[str, float]]:
    """Every alternative responder's screening, take-up and back-up (defaults filled in)."""
    result = {name: dict(values) for name, values in DEFAULT_ASSUMPTIONS.items()}
    for responder, values in (assumptions or {}).items():
        check_responder(responder)
        if responder == "police":
            raise KitError("Police need no screening, take-up or back-up: remove 'police'.")
        if not isinstance(values, Mapping):
            raise KitError(f"The assumptions for {responder} must be screening, take_up, back_up.")
        for key, value in values.items():
            if key not in ASSUMPTION_FIELDS:
                raise KitError(
                    f"'{key}' is not an assumption for {responder}: "
                    "use screening, take_up or back_up."
                )
            result[responder][key] = _share(value, f"{RESPONDER_LABELS[responder]}: {key}")
    return result


def check_split(split: Mapping[str, object], call_type: str) -> dict[str, float]:
    """A call type's split across responders, with police taking whatever is left.

    Shares of the alternative responders may add up to at most 100%; when police are
    given explicitly, all shares must add up to 100%.
    """
    if not isinstance(split, Mapping):
        raise KitError(f"The split for '{call_type}' must map responders to shares.")
    shares = {
        check_responder(r): _share(v, f"The share of '{call_type}' for {r}")
        for r, v in split.items()
    }
    others = sum(v for r, v in shares.items() if r != "police")
    if others > 1 + 1e-9:
        raise KitError(
            f"The shares of '{call_type}' add up to {others:.0%}: they must not exceed 100%."
        )
    if "police" in shares and abs(others + shares["police"] - 1) > 1e-6:
        raise KitError(
            f"The shares of '{call_type}' add up to {others + shares['police']:.0%}: "
            "make them add up to 100%."
        )
    shares["police"] = max(0.0, 1.0 - others)
    return {r: shares[r] for r in RESPONDERS if shares.get(r, 0.0) > 0}


def check_assignments(
    assignments: Mapping[str, Mapping[str, object]] | None,
) -> dict[str, dict[str, float]]:
    """Validate ``{call_type: {responder: share}}``; police get each type's remainder."""
    if not assignments:
        return {}
    if not isinstance(assignments, Mapping):
        raise KitError("Assignments must map call types to responder shares.")
    return {str(t): check_split(split, str(t)) for t, split in assignments.items()}


def new_document(preset: str = "none") -> dict[str, Any]:
    """An empty plan: every call type stays with police, default assumptions."""
    return {
        "schema_version": SCHEMA_VERSION,
        "preset": preset,
        "officers_per_unit": 1.0,
        "productive_hours_per_officer": PRODUCTIVE_HOURS_PER_OFFICER,
        "assumptions": check_assumptions(None),
        "coverage": {},
        "assignments": {},
        "family_overrides": {},
        "minutes_per_call": {},
        "weapon_confirmed": [],
        "charter": {},
        "equity_threshold_pp": DEFAULT_THRESHOLD_PP,
    }


def check_coverage(coverage: Mapping[str, object] | None) -> dict[str, list[int] | None]:
    """Covered hours of week (0-167, Monday 00:00 = 0) per responder; None means 24/7."""
    result: dict[str, list[int] | None] = {}
    for responder, hours in (coverage or {}).items():
        check_responder(responder)
        if hours is None:
            result[responder] = None
            continue
        if isinstance(hours, str | bytes) or not hasattr(hours, "__iter__"):
            raise KitError(f"The coverage of {responder} must be a list of hours of the week.")
        clean = sorted(
            {int(h) for h in hours if isinstance(h, int | float) and not isinstance(h, bool)}
        )
        if len(clean) != len(list(hours)) or any(h < 0 or h > 167 for h in clean):
            raise KitError(
                f"The coverage of {responder} must list distinct whole hours from 0 (Monday "
                "00:00) to 167 (Sunday 23:00)."
            )
        result[responder] = clean
    return result


def check_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a ``role_assignments`` document and return it normalised."""
    document = check_schema(document, SCHEMA_VERSION, "the role assignments", "02")
    doc = new_document(str(document.get("preset", "none")))
    per_unit = document.get("officers_per_unit", 1.0)
    if (
        isinstance(per_unit, bool)
        or not isinstance(per_unit, int | float)
        or not 0 < per_unit <= 10
    ):
        raise KitError("Officers per unit must be a number above 0 and at most 10 (often 1 or 2).")
    hours = document.get("productive_hours_per_officer", PRODUCTIVE_HOURS_PER_OFFICER)
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 100 <= hours <= 8760:
        raise KitError("Productive hours per officer must be between 100 and 8,760 a year.")
    doc["officers_per_unit"] = float(per_unit)
    doc["productive_hours_per_officer"] = float(hours)
    doc["assumptions"] = check_assumptions(document.get("assumptions"))
    doc["coverage"] = check_coverage(document.get("coverage"))
    doc["assignments"] = check_assignments(document.get("assignments"))
    doc["family_overrides"] = validate_overrides(document.get("family_overrides"))
    # Only the families a person changed are kept; the others follow the published defaults.
    minutes = document.get("minutes_per_call") or {}
    check_minutes(minutes)
    doc["minutes_per_call"] = {str(k): float(v) for k, v in minutes.items()}
    doc["weapon_confirmed"] = check_confirmed(document.get("weapon_confirmed"))
    doc["equity_threshold_pp"] = check_threshold(
        document.get("equity_threshold_pp", DEFAULT_THRESHOLD_PP)
    )
    charter = document.get("charter") or {}
    if not isinstance(charter, Mapping):
        raise KitError("The role charter must be a JSON object.")
    doc["charter"] = dict(charter)
    return doc
