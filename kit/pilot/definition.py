"""The pilot: which calls a new responder takes, where, when and for how long.

A pilot tries one piece of step 02's plan on the street before the whole plan is funded:
some of the call types the plan moves off police, answered by the responder the plan gives
them to, in a few areas, at some hours, for some weeks. Everything here defaults from what
the workspace already holds (step 02's saved plan, the profile's areas, the end of the
calls), so a first design needs no typing, and every choice is checked against the
workspace: an area the profile does not have or a call type the calls never show is refused
in plain words. A start before the calls end is allowed: a pilot is planned against
history, and the same design is checked on past weeks before it is run on future ones.

Saved as the ``pilot_design`` decision (step 04), with what it was based on.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Final

import pandas as pd

from kit.decisions import check_schema
from kit.errors import KitError
from kit.labels import RESPONDER_LABELS
from kit.pilot.designs import DESIGNS, Constraints, Recommendation, assess, recommend
from kit.pilot.practices import practice_ids
from kit.roles import ALTERNATIVES
from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.roles import check_document as check_plan
from kit.roles.presets import apply_preset
from kit.roles.rules import workspace_rules
from kit.steps import BASIS_KEY, basis
from kit.taxonomy import classify_types
from kit.workspace import Workspace

DECISION_NAME: Final = "pilot_design"
#: Where the saved design keeps its power figures (the object ``kit pilot --json`` prints).
POWER_KEY: Final = "power"
SCHEMA_VERSION: Final = 1
STEP: Final = "04"

#: Six months: long enough for a new service to settle in (Denver's STAR pilot ran six
#: months before its evaluation window closed; Dee and Pyne, Science Advances 8(23), 2022).
DEFAULT_WEEKS: Final = 26
#: Two years: longer pilots are programmes, and their history would no longer be comparable.
MAX_WEEKS: Final = 104
ALL_HOURS: Final = tuple(range(24))


@dataclass(frozen=True)
class Pilot:
    """One pilot, as people describe it: what, who, where, when and how long.

    ``call_types`` are CAD call-type codes as the calls hold them; ``hours`` are hours of the
    day (0-23) the responder answers; ``practice`` is the id of the catalog programme the
    pilot starts from, if any. ``design`` is the evaluation design chosen for it (None: the
    one the kit recommends) and ``constraints`` what limits that choice (see
    :mod:`kit.pilot.designs`).
    """

    call_types: tuple[str, ...]
    responder: str
    areas: tuple[str, ...]
    hours: tuple[int, ...] = ALL_HOURS
    start: date = field(default_factory=date.today)
    weeks: int = DEFAULT_WEEKS
    practice: str | None = None
    design: str | None = None
    constraints: Mapping[str, Any] = field(default_factory=dict)

    @property
    def end(self) -> date:
        """The last day of the pilot."""
        return self.start + timedelta(weeks=self.weeks) - timedelta(days=1)

    def to_document(self) -> dict[str, Any]:
        """The ``pilot_design`` document (JSON-ready)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "call_types": list(self.call_types),
            "responder": self.responder,
            "areas": list(self.areas),
            "hours": list(self.hours),
            "start": self.start.isoformat(),
            "weeks": self.weeks,
            "practice": self.practice,
            "design": self.design,
            "constraints": dict(self.constraints),
        }

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Pilot:
        """Read a saved ``pilot_design`` (its shape checked, not yet against a workspace)."""
        document = check_schema(document, SCHEMA_VERSION, "the pilot design", STEP)
        try:
            start = date.fromisoformat(str(document.get("start")))
        except ValueError as exc:
            raise KitError(
                f"The pilot's start date {document.get('start')!r} is not a date: write it "
                "as YYYY-MM-DD."
            ) from exc
        constraints = document.get("constraints") or {}
        if not isinstance(constraints, Mapping):
            raise KitError("The pilot's constraints must be a JSON object.")
        return check_shape(
            cls(
                call_types=_strings(document.get("call_types"), "call types"),
                responder=str(document.get("responder", "")),
                areas=_strings(document.get("areas"), "areas"),
                hours=_hours(document.get("hours", ALL_HOURS)),
                start=start,
                weeks=_weeks(document.get("weeks", DEFAULT_WEEKS)),
                practice=_optional(document.get("practice")),
                design=_optional(document.get("design")),
                constraints=dict(constraints),
            )
        )


def _strings(values: object, what: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise KitError(f"The pilot's {what} must be a list.")
    return tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))


def _optional(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _hours(values: object) -> tuple[int, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise KitError("The pilot's hours must be a list of hours of the day, 0 to 23.")
    found = set()
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 23:
            raise KitError(
                f"{value!r} is not an hour of the day: use whole hours from 0 (midnight to "
                "1 am) to 23 (11 pm to midnight)."
            )
        found.add(value)
    if not found:
        raise KitError("The pilot needs at least one hour of the day when the responder works.")
    return tuple(sorted(found))


def _weeks(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WEEKS:
        raise KitError(
            f"The pilot's duration must be a whole number of weeks from 1 to {MAX_WEEKS} "
            f"(it is {value!r})."
        )
    return value


def check_shape(pilot: Pilot) -> Pilot:
    """Refuse a pilot that could not run anywhere: no call type, no area, police as responder."""
    if not pilot.call_types:
        raise KitError("Choose at least one call type for the pilot's responder to answer.")
    if pilot.responder not in ALTERNATIVES:
        choices = ", ".join(f"{r} ({RESPONDER_LABELS[r]})" for r in ALTERNATIVES)
        raise KitError(
            f"'{pilot.responder}' cannot answer a pilot's calls: a pilot tries a responder other "
            f"than police. Choose one of: {choices}."
        )
    if not pilot.areas:
        raise KitError("Choose at least one area for the pilot.")
    if pilot.design is not None and pilot.design not in DESIGNS:
        raise KitError(f"'{pilot.design}' is not a design. Choose one of: {', '.join(DESIGNS)}.")
    _hours(pilot.hours)
    _weeks(pilot.weeks)
    return pilot


def design_for(pilot: Pilot, areas_available: int) -> Recommendation:
    """The pilot's design judged on its constraints: the one chosen, else the recommended."""
    constraints = Constraints.from_document(
        pilot.constraints,
        areas_available=areas_available,
        pilot_areas=len(pilot.areas),
        weeks=pilot.weeks,
    )
    return assess(pilot.design, constraints) if pilot.design else recommend(constraints)


def _no_such(what: str, name: str, known: Sequence[str], how: str) -> KitError:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return KitError(f"'{name}' is not {what}.{hint} {how}")


def check_areas(names: Iterable[str], profile_areas: Sequence[str]) -> tuple[str, ...]:
    """The names as the profile spells them; any name the profile lacks is refused."""
    by_key = {a.casefold(): a for a in profile_areas}
    if not by_key:
        raise KitError("The profile has no areas: add them in step 00 before planning a pilot.")
    found = []
    for name in names:
        area = by_key.get(str(name).strip().casefold())
        if area is None:
            raise _no_such(
                "an area of the profile",
                str(name),
                list(profile_areas),
                f"Use one of: {', '.join(profile_areas)}.",
            )
        found.append(area)
    return tuple(dict.fromkeys(found))


def type_names(calls: pd.DataFrame) -> dict[str, str]:
    """Each call type's code with the description the calls give it most often."""
    codes = calls["call_type"].astype("string").fillna("")
    if "call_type_desc" not in calls:
        return {code: code for code in codes.unique() if code}
    descs = calls["call_type_desc"].astype("string").fillna("")
    pairs = pd.DataFrame({"code": codes, "desc": descs})
    pairs = pairs[pairs["code"] != ""]
    common = pairs.groupby("code")["desc"].agg(lambda s: s.value_counts().index[0])
    return {str(code): str(desc) for code, desc in common.items()}


def resolve_call_types(names: Iterable[str], known: Mapping[str, str]) -> tuple[str, ...]:
    """Call-type codes for names given by code or by description (``known``: code -> desc).

    Real call types contain commas and slashes, so each name is matched whole, ignoring
    case and surrounding spaces; a name matching no code and no description is refused.
    """
    by_code = {code.strip().casefold(): code for code in known}
    by_desc = {desc.strip().casefold(): code for code, desc in known.items() if desc}
    found = []
    for name in names:
        key = str(name).strip().casefold()
        code = by_code.get(key) or by_desc.get(key)
        if code is None:
            raise _no_such(
                "a call type in the calls",
                str(name),
                [*known, *known.values()],
                "Name a call type by its code or its description as the calls write it "
                "(kit inventory lists them).",
            )
        found.append(code)
    return tuple(dict.fromkeys(found))


def check_pilot(
    pilot: Pilot, profile_areas: Sequence[str], known_types: Mapping[str, str]
) -> Pilot:
    """The pilot checked against a workspace: its areas and call types, spelled as held."""
    check_shape(pilot)
    if pilot.practice is not None and pilot.practice not in practice_ids():
        raise KitError(
            f"'{pilot.practice}' is not in the practices catalog (kit practices lists them): "
            f"use one of {', '.join(practice_ids())}, or none."
        )
    return replace(
        pilot,
        areas=check_areas(pilot.areas, profile_areas),
        call_types=resolve_call_types(pilot.call_types, known_types),
    )


def moved_off_police(plan: Mapping[str, Any], counts: Mapping[str, float]) -> dict[str, float]:
    """Calls each alternative responder takes under a plan, of ``counts`` (calls by type)."""
    moved = dict.fromkeys(ALTERNATIVES, 0.0)
    for call_type, split in plan.get("assignments", {}).items():
        for responder, share in split.items():
            if responder in moved:
                moved[responder] += share * float(counts.get(call_type, 0.0))
    return moved


def _hours_of_day(coverage: Collection[int] | None) -> tuple[int, ...]:
    """Hours of the day a responder's hours of the week touch (None: around the clock)."""
    return ALL_HOURS if coverage is None else tuple(sorted({h % 24 for h in coverage}))


def hours_text(hours: Sequence[int]) -> str:
    """Hours of the day as ranges: 10:00-18:00, or around the clock."""
    if len(hours) == 24:
        return "around the clock"
    spans, start = [], hours[0]
    for before, hour in zip(hours, [*hours[1:], None], strict=True):
        if hour != before + 1:
            spans.append(f"{start:02d}:00-{(before + 1) % 24:02d}:00")
            start = hour
    return ", ".join(spans)


#: The preset (templates/presets/) a pilot starts from while no saved plan moves calls: a
#: civilian crisis team is the pilot most places start with (the preset cites CAHOOTS, STAR).
EXAMPLE: Final = "crisis_response"


def _next_monday(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def proposed_pilot(
    plan: Mapping[str, Any] | None,
    calls: pd.DataFrame,
    profile_areas: Sequence[str],
) -> Pilot:
    """A first pilot from step 02's plan: the responder taking the most calls off police,
    the call types the plan gives it, the quarter of the areas where those calls are most
    common (at least one), that responder's hours, starting the Monday after the calls end.

    Without a plan, or with one that moves nothing, there is nothing to try: the message
    says to save step 02 first (:func:`workspace_pilot` starts from :data:`EXAMPLE` instead).
    """
    plan = check_plan(plan or {})
    counts = calls["call_type"].astype("string").value_counts()
    moved = moved_off_police(plan, counts.to_dict())
    responder, most = max(moved.items(), key=lambda item: item[1])
    if most <= 0:
        raise KitError(
            "Step 02's saved plan moves no calls off police, so there is no pilot to propose: "
            "give some call types to another responder in step 02 and save, or choose the "
            "pilot's call types and responder yourself."
        )
    types = tuple(
        sorted(
            (t for t, split in plan["assignments"].items() if split.get(responder, 0) > 0),
            key=lambda t: -float(counts.get(t, 0)),
        )
    )
    if not profile_areas:
        raise KitError("The profile has no areas: add them in step 00 before planning a pilot.")
    chosen = calls[calls["call_type"].astype("string").isin(types)]
    busy = chosen["area"].astype("string").value_counts() if "area" in chosen else pd.Series()
    ranked = sorted(profile_areas, key=lambda a: (-int(busy.get(a, 0)), profile_areas.index(a)))
    areas = tuple(ranked[: max(1, len(profile_areas) // 4)])
    last = calls["received_at"].max() if len(calls) else pd.NaT
    start = _next_monday(last.date() if not pd.isna(last) else date.today())
    return Pilot(
        call_types=types,
        responder=responder,
        areas=areas,
        hours=_hours_of_day(plan["coverage"].get(responder)),
        start=start,
    )


def read_pilot_calls(ws: Workspace) -> pd.DataFrame:
    """The calls' columns a pilot is planned from."""
    if not ws.has_table("calls"):
        raise KitError("No calls have been imported yet: import them in step 00 first.")
    held = ws.columns("calls")
    wanted = [c for c in ("received_at", "call_type", "call_type_desc", "area") if c in held]
    return ws.read_table("calls", columns=wanted)


def saved_pilot(ws: Workspace) -> Pilot | None:
    """The saved ``pilot_design`` (None before the first save)."""
    latest = ws.decisions.latest(DECISION_NAME)
    return None if latest is None else Pilot.from_document(latest.document)


def pilot_origin(ws: Workspace) -> str:
    """Where :func:`workspace_pilot` takes the pilot from: ``saved`` (step 04's saved design),
    ``plan`` (proposed from step 02's saved plan) or ``example`` (step 02 has no saved plan
    that moves calls off police, so the pilot starts from the shipped :data:`EXAMPLE`)."""
    if saved_pilot(ws) is not None:
        return "saved"
    plan = ws.decisions.latest(ROLES_DECISION)
    calls = read_pilot_calls(ws)
    counts = calls["call_type"].astype("string").value_counts().to_dict()
    moved = moved_off_police(check_plan(plan.document if plan else {}), counts)
    return "plan" if max(moved.values()) > 0 else "example"


def example_plan(ws: Workspace) -> dict[str, Any]:
    """Step 02's plan as the shipped :data:`EXAMPLE` preset would make it for these calls."""
    calls = read_pilot_calls(ws)
    types = classify_types(calls, rules=workspace_rules(ws))
    return {"assignments": apply_preset(EXAMPLE, types)}


def workspace_pilot(ws: Workspace) -> Pilot:
    """The pilot step 04 opens with: the saved one, else one proposed from step 02's plan,
    else (no saved plan moves calls) one proposed from the shipped example, so a first visit
    can still try a design; :func:`pilot_origin` says which."""
    found = saved_pilot(ws)
    if found is not None:
        return found
    origin = pilot_origin(ws)
    if origin == "example":
        plan: Mapping[str, Any] | None = example_plan(ws)
    else:
        saved = ws.decisions.latest(ROLES_DECISION)
        plan = saved.document if saved else None
    return proposed_pilot(plan, read_pilot_calls(ws), ws.profile.area_names)


def save_pilot(
    ws: Workspace,
    pilot: Pilot,
    *,
    power: Mapping[str, Any] | None = None,
    user: str | None = None,
) -> int:
    """Check the pilot against the workspace and save it as a new version; returns it.

    The document records what it was based on (the calls' version, step 02's plan and
    step 01's definition), so a later change there marks it out of date. ``power``, the
    design's figures as ``kit pilot --json`` prints them, is kept under ``power`` when it
    was worked out, so the brief and batch summaries show the detectable effect saved.
    """
    pilot = check_pilot(pilot, ws.profile.area_names, type_names(read_pilot_calls(ws)))
    document = pilot.to_document() | {BASIS_KEY: basis(ws, DECISION_NAME)}
    if power is not None:
        document[POWER_KEY] = dict(power)
    latest = ws.decisions.latest(DECISION_NAME)
    return ws.decisions.save(
        DECISION_NAME,
        document,
        base_version=latest.version if latest is not None else None,
        step=STEP,
        user=user,
    )
