"""A jurisdiction's own pilot as a row of the practices catalog.

The catalog (:mod:`kit.pilot.practices`) lists what others ran; a city that runs a pilot
adds to that knowledge by exporting its own in the same shape, with its design's strength of
evidence and, once results are saved, what it found, so a central repository could collect
pilots from many places.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from kit.errors import KitError
from kit.labels import RESPONDER_LABELS
from kit.pilot.definition import Pilot, design_for, hours_text, read_pilot_calls, saved_pilot
from kit.pilot.designs import design_texts
from kit.pilot.practices import NOT_FOUND, Fact, Practice, check_practice
from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.roles import check_document as check_plan
from kit.roles.rules import workspace_rules
from kit.taxonomy import classify_types
from kit.workspace import Workspace

#: The decision step 04 keeps a pilot's results under (saved by ``kit evaluate``).
RESULTS_DECISION: Final = "pilot_results"


def _result(results: Mapping[str, Any] | None, sms: str, source: str) -> Fact:
    """The pilot's own result as a catalog fact (none saved yet: "not found")."""
    effect = (results or {}).get("effect")
    if not isinstance(effect, int | float) or isinstance(effect, bool):
        return Fact("result", NOT_FOUND)
    low, high = results.get("low"), results.get("high")  # type: ignore[union-attr]
    text = f"Police-handled calls of the pilot's types changed by {effect:+.0%}"
    if isinstance(low, int | float) and isinstance(high, int | float):
        text += f" (95% interval {low:+.0%} to {high:+.0%})"
    method = results.get("method")  # type: ignore[union-attr]
    text += f", estimated by {method}." if method else "."
    return Fact("result", text, sms, source)


def pilot_practice(
    pilot: Pilot,
    *,
    jurisdiction: str,
    families: Sequence[str],
    design: str,
    results: Mapping[str, Any] | None = None,
    published: date | None = None,
) -> Practice:
    """A jurisdiction's pilot (and its results, once saved) as a catalog row.

    The rating is "not rated" (no portal has rated a local pilot) and each fact's source is
    the jurisdiction's own evaluation plan; its address is left for whoever publishes it.
    """
    day = (published or date.today()).isoformat()
    source = f"{jurisdiction}: pilot evaluation plan and results ({day})"
    responder = RESPONDER_LABELS[pilot.responder]
    when, start = hours_text(pilot.hours), pilot.start.isoformat()
    practice = Practice(
        id=f"pilot_{pilot.responder}_{start}",
        name=f"{jurisdiction} pilot: {responder}",
        place=f"{jurisdiction} ({', '.join(pilot.areas)})",
        families=tuple(dict.fromkeys(families)) or ("other",),
        responder=pilot.responder,
        crimesolutions="not rated",
        crimesolutions_url="",
        emmie="no summary",
        emmie_url="",
        facts=(
            Fact("staffing", NOT_FOUND),
            Fact("hours", f"{when.capitalize()}, {pilot.weeks} weeks from {start}.", "", source),
            Fact("costs", NOT_FOUND),
            _result(results, str(design_texts()[design].sms_level), source),
        ),
    )
    return check_practice(practice, published=False)


def workspace_practice(ws: Workspace) -> Practice:
    """The workspace's saved pilot (with its saved results, when there are any) as a row."""
    pilot = saved_pilot(ws)
    if pilot is None:
        raise KitError("No pilot is saved yet: save one in step 04 before exporting it.")
    calls = read_pilot_calls(ws)
    chosen = calls[calls["call_type"].astype("string").isin(pilot.call_types)]
    plan = ws.decisions.latest(ROLES_DECISION)
    overrides = check_plan(plan.document if plan else {})["family_overrides"]
    types = classify_types(chosen, overrides=overrides, rules=workspace_rules(ws))
    results = ws.decisions.latest(RESULTS_DECISION)
    return pilot_practice(
        pilot,
        jurisdiction=ws.profile.name,
        families=list(types["family"].astype(str)),
        design=design_for(pilot, len(ws.profile.areas)).design,
        results=results.document if results is not None else None,
    )
