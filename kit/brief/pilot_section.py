"""Step 04's part of the brief: the pilot, its design and why, and how it will be judged.

Read from the saved ``pilot_design`` through step 04's own evaluation plan
(:func:`kit.pilot.plan.workspace_plan`), so the brief states the same design, reason and
decision rule as ``kit pilot-plan``; the detectable effect is the one saved with the design
(``kit pilot --save``), and after the pilot the plain reading ``kit evaluate`` saved in
``pilot_results``, with its interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from kit.brief.parts import Section, Table
from kit.brief.step_sections import PILOT, not_done
from kit.labels import RESPONDER_LABELS
from kit.pilot.definition import DECISION_NAME as DESIGN_DECISION
from kit.pilot.definition import (
    check_pilot,
    hours_text,
    read_pilot_calls,
    type_names,
    workspace_pilot,
)
from kit.pilot.plan import workspace_plan
from kit.pilot.results import DECISION_NAME as RESULTS_DECISION

if TYPE_CHECKING:
    from kit.workspace import Workspace

TITLE: Final = "Design the pilot's evaluation"


def _detectable(power: Mapping[str, Any] | None) -> str:
    """The saved design's smallest detectable reduction, in words."""
    mde = power.get("mde") if power else None
    if not isinstance(mde, int | float) or isinstance(mde, bool):
        return "not worked out yet (`kit pilot ... --save` keeps it with the design)"
    return f"{mde:.0%} fewer police-handled calls of its types (80% power, two-sided 5% level)"


def _results_table(doc: Mapping[str, Any]) -> Table:
    """The saved results' estimate: effect, interval, p-value and weeks, as numbers."""
    rows = [
        {"what": "Effect on police-handled calls", "value": doc.get("effect")},
        {"what": "95% interval, low", "value": doc.get("low")},
        {"what": "95% interval, high", "value": doc.get("high")},
    ]
    return Table(
        "pilot_results",
        f"Results: {doc.get('method_name', doc.get('method', ''))}",
        (("what", "", "text"), ("value", "Change", "pct")),
        rows,
        note=f"Intervals: {doc.get('inference', '')}; {doc.get('weeks_before')} weeks before "
        f"the start, {doc.get('weeks_after')} after.",
    )


def pilot_section(ws: Workspace) -> Section:
    """Step 04: the pilot, its design and why, the detectable effect, the decision rule, and
    the results in plain words once saved.

    Raises :class:`~kit.errors.KitError` when the saved design no longer fits the workspace.
    """
    if ws.decisions.latest(DESIGN_DECISION) is None:
        return not_done("04", TITLE, "step 04 has no pilot design saved.", (PILOT,))
    known = type_names(read_pilot_calls(ws))
    check_pilot(workspace_pilot(ws), ws.profile.area_names, known)
    plan = workspace_plan(ws)
    pilot, design = plan["pilot"], plan["design"]
    title = plan["registry"]["fields"]["title"]
    detectable = _detectable(plan["power"])
    rows = [
        ("Call types", ", ".join(plan["call_types"])),
        ("Responder", RESPONDER_LABELS.get(pilot["responder"], pilot["responder"])),
        ("Areas", ", ".join(pilot["areas"])),
        ("Hours", hours_text(pilot["hours"])),
        ("Start", pilot["start"]),
        ("Weeks", str(pilot["weeks"])),
        ("Design", design["name"]),
        ("Why this design", design["why"]),
        ("Intervals", design["inference_label"]),
        ("Detectable effect", detectable),
        ("Decision rule", plan["decision_rule"]),
    ]
    tables = [
        Table(
            "pilot_design",
            "The pilot and its evaluation design",
            (("field", "", "text"), ("value", "", "text")),
            [{"field": f, "value": v} for f, v in rows],
        )
    ]
    lines = [
        f"{title}: {pilot['weeks']} weeks from {pilot['start']}.",
        f"Design: {design['name']}. {design['why']}",
        f"Detectable effect: {detectable}.",
        f"Decision rule: {plan['decision_rule']}",
    ]
    said = f"{title}, judged by {design['name'].lower()}; detectable effect: {detectable}."
    results = ws.decisions.latest(RESULTS_DECISION)
    if results is None:
        said += " No results saved yet."
    else:
        reading = str(results.document.get("reading", ""))
        lines.append(f"Results: {reading}")
        tables.append(_results_table(results.document))
        said += f" Results: {reading}"
    return Section("04", TITLE, True, lines, tables, summary=[(PILOT, said)])
