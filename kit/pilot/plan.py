"""The evaluation plan: what the pilot tests, how, and what would count as success, written
before it starts so the result cannot be argued into shape afterwards.

One document holds it all (hypotheses, metrics, design, analysis, decision rule, equity
checks, data to collect, stopping rules) and the fields a registry asks for: the AEA RCT
Registry's for a randomised design, OSF's preregistration template for the others. The same
document is exported as JSON and, through ``kit.pages.pilot``, as a page to print.

The minimum detectable effect is not worked out here: it comes in as ``power`` (the object
``kit pilot --json`` prints), and the plan says how to get it when it is missing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

import pandas as pd

from kit.community.definition import CALL_METRICS, saved_goals
from kit.errors import KitError
from kit.labels import RESPONDER_LABELS
from kit.pilot.definition import DECISION_NAME as DESIGN_DECISION
from kit.pilot.definition import (
    POWER_KEY,
    Pilot,
    design_for,
    hours_text,
    read_pilot_calls,
    type_names,
    workspace_pilot,
)
from kit.pilot.designs import (
    AREA_DESIGNS,
    INFERENCE_LABELS,
    MIN_CLUSTERS,
    MIN_CORRELATION,
    Recommendation,
    choose_comparisons,
    comparison_areas,
    design_texts,
    weekly_counts,
)
from kit.profile import Profile
from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.roles import DEFAULT_ASSUMPTIONS
from kit.roles import check_document as check_plan
from kit.suppression import DEFAULT_SMALL_COUNT, is_small
from kit.workspace import Workspace

SCHEMA_VERSION: Final = 1
PRIMARY: Final = "police_calls"

#: The metrics every pilot is judged on, whatever step 01 chose (the issue's defaults).
DEFAULT_METRICS: Final = (
    {
        "metric": PRIMARY,
        "label": "Police-handled calls of the pilot's types",
        "unit": "calls a week",
        "better": "lower",
        "how": "Calls of the pilot's types in the pilot areas and hours that police answered, "
        "counted per area and week.",
    },
    {
        "metric": "response_time",
        "label": "Response time to the pilot's calls",
        "unit": "minutes",
        "better": "lower",
        "how": "Median minutes from the call received to the first unit's arrival (police or "
        "the new responder), for calls of the pilot's types.",
    },
    {
        "metric": "repeat_calls",
        "label": "Repeat calls to the same block",
        "unit": "share",
        "better": "lower",
        "how": next(m.how for m in CALL_METRICS if m.key == "repeat_calls"),
    },
)

_ANALYSIS: Final[dict[str, str]] = {
    "randomised": "Counts of the pilot's calls per shift (or day) and area, modelled with a "
    "Poisson regression on whether the shift had the responder, with area and week effects.",
    "stepped": "Counts per area and week, modelled with an estimator made for staggered starts "
    "(each area compared with areas not yet started in the same weeks), Poisson for counts.",
    "did": "Counts per area and week, modelled with a Poisson regression with area and week "
    "fixed effects and a pilot-period indicator for the pilot areas; an event-study chart "
    "shows the weeks before (which should be flat) and after the start.",
    "synthetic": "The pilot area's weekly counts against a synthetic control: a weighted blend "
    "of the comparison areas matched on the weeks before; placebo runs on every other area.",
    "its": "The pilot areas' weekly counts in a segmented Poisson regression with trend and "
    "season, and a change in level at the start.",
}


def _metrics(goals: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The default metrics, then each of step 01's goals (a goal on a default metric marks it)."""
    found = [dict(m, primary=m["metric"] == PRIMARY, goal=None) for m in DEFAULT_METRICS]
    for goal in goals:
        same = next((m for m in found if m["metric"] == goal.get("metric")), None)
        target = {"text": goal.get("text"), "target": goal.get("target")}
        if same is not None:
            same["goal"] = target
            continue
        found.append(
            {
                "metric": goal.get("metric"),
                "label": goal.get("label", goal.get("metric")),
                "unit": goal.get("unit", ""),
                "better": goal.get("better", ""),
                "how": "Step 01's measure of this goal, in the pilot areas against the comparison.",
                "primary": False,
                "goal": target,
            }
        )
    return found


def _hypotheses(pilot: Pilot, metrics: Sequence[Mapping[str, Any]], who: str) -> list[str]:
    found = [
        f"H1 (primary): with the {who} answering them, police handle fewer calls of the pilot's "
        "types in the pilot areas and hours than they would have without the pilot.",
        "H2: response time to these calls does not rise.",
        "H3: repeat calls to the same block do not rise.",
    ]
    for number, metric in enumerate((m for m in metrics if m["goal"]), start=4):
        found.append(
            f"H{number} (step 01's goal '{metric['goal']['text']}'): {metric['label'].lower()} "
            f"moves toward its target ({metric['better']} is better)."
        )
    return found


def _power_text(power: Mapping[str, Any] | None) -> str:
    if not power:
        return (
            "Not yet worked out: run `kit pilot WORKSPACE ... --json > power.json` with the "
            "pilot's call types, areas and weeks, and give the file to `kit pilot-plan --power`."
        )
    mde = power.get("mde")
    if not isinstance(mde, int | float) or isinstance(mde, bool) or not math.isfinite(mde):
        raise KitError(
            "The power figures have no minimum detectable effect ('mde'): give the file "
            "`kit pilot --json` writes."
        )
    text = (
        f"The smallest reduction in police-handled calls this design can detect with 80% power "
        f"at a two-sided 5% level is {mde:.0%}, from placebo pilots simulated on the "
        "jurisdiction's own history"
    )
    analytic = power.get("mde_analytic")
    if isinstance(analytic, int | float) and not isinstance(analytic, bool):
        text += f" (the analytic formula gives {analytic:.0%})"
    return text + "."


def _equity(pilot: Pilot, profile: Profile, comparisons: Sequence[str], who: str) -> list[str]:
    by_name = {a.name: a for a in profile.areas}

    def colour(names: Sequence[str]) -> str:
        people = sum(by_name[n].population for n in names if n in by_name)
        if not people:
            return "unknown"
        share = sum(by_name[n].population * by_name[n].share_residents_of_color for n in names)
        return f"{share / people:.0%}"

    return [
        "The effect in each pilot area on its own, beside the pooled effect, so that one area "
        "does not hide another.",
        f"Residents of colour are {colour(pilot.areas)} of the pilot areas' residents and "
        f"{colour(comparisons)} of the comparison areas'; effects are reported for areas above "
        "and below the jurisdiction's median share of residents of colour and of poverty.",
        f"For the {who}: the calls it answers and those it hands back to police, by area and by "
        "the areas' demographics, and any call where it was not sent though eligible.",
        "Every published count below the workspace's small-count threshold is shown as "
        "'fewer than N' (docs/publishing.md).",
    ]


def _data_to_collect(who: str, design: str) -> list[str]:
    found = [
        f"A field in the CAD export that tells calls answered by the {who} apart: its own unit "
        "call signs (for example a prefix no police unit uses) recorded as the responding "
        "unit, or a disposition code used only when it handled the call without police.",
        "For each call it answers: dispatch, arrival and clear times of its units, and whether "
        "police were asked to back it up (with the time).",
        "Calls of the pilot's types outside the pilot areas and hours, exported the same way, "
        "so the comparison is counted exactly like the pilot.",
        "Any change to dispatch rules, call types or area boundaries during the pilot, with "
        "its date.",
    ]
    if design == "randomised":
        found.insert(
            1,
            "The sealed draw: which shifts or days had the responder, kept before the pilot "
            "starts, and a log of shifts it could not staff.",
        )
    return found


def _stopping_rules(back_up: float) -> list[str]:
    return [
        "The effect is estimated once, at the planned end: no early stop because the figures "
        "look good or bad (looking often makes chance look like an effect).",
        "Safety is watched every week: a serious injury to a responder or a member of the "
        "public on a pilot call pauses the pilot for review before it continues.",
        f"If police are asked to back the responder up on more than twice the planned share of "
        f"its calls ({2 * back_up:.0%}), the call types sent to it are reviewed.",
        "If the responder cannot staff its hours for two weeks running, the pilot's dates and "
        "the plan's sample are revised and the change is registered.",
    ]


def _decision_rule(rec: Recommendation) -> str:
    rule = (
        "Continue and extend the pilot if the 95% interval for police-handled calls lies wholly "
        "below no change and response time has not risen beyond its goal; stop or redesign if "
        "it lies wholly above; otherwise the result is inconclusive and the pilot is extended "
        "or widened before any decision."
    )
    if not rec.confident:
        rule += (
            " This design cannot support a confident conclusion, so its result will be "
            "reported as descriptive only, whatever the interval says."
        )
    return rule


def _planned_sample(
    pilot: Pilot, rec: Recommendation, comparisons: Sequence[str], weekly_pilot: float, small: int
) -> str:
    expected = weekly_pilot * pilot.weeks
    calls = f"fewer than {small}" if is_small(expected, small) else f"about {expected:,.0f}"
    if rec.design == "randomised":
        units = (
            f"{pilot.weeks * 7} days (or their shifts) drawn half with, half without the responder"
        )
    else:
        units = f"{len(pilot.areas)} pilot area(s) and {len(comparisons)} comparison area(s)"
    return (
        f"{units}, over {pilot.weeks} weeks; {calls} calls of the pilot's types expected in "
        "the pilot areas and hours, going by the weeks before."
    )


def build_plan(
    pilot: Pilot,
    *,
    calls: pd.DataFrame,
    profile: Profile,
    goals: Sequence[Mapping[str, Any]] = (),
    power: Mapping[str, Any] | None = None,
    small_count: int = DEFAULT_SMALL_COUNT,
    back_up: float | None = None,
    prepared: date | None = None,
) -> dict[str, Any]:
    """The evaluation plan of ``pilot`` as one JSON-ready document.

    ``back_up`` is the share of its calls the responder is expected to hand back to police
    (step 02's assumption; the kit's default when None), which a stopping rule watches.
    """
    names = type_names(calls)
    rec = design_for(pilot, len(profile.areas))
    text = design_texts()[rec.design]
    weekly = weekly_counts(calls, pilot.call_types, pilot.start, pilot.hours)
    matches = comparison_areas(weekly, pilot.areas)
    comparisons = (
        choose_comparisons(
            matches, needed=MIN_CLUSTERS if rec.inference == "wild_cluster_bootstrap" else 1
        )
        if rec.design in AREA_DESIGNS
        else []
    )
    warnings = list(rec.warnings) + _tracking_warning(matches, comparisons)
    pilot_weekly = float(weekly.reindex(columns=list(pilot.areas), fill_value=0).sum(axis=1).mean())
    who = RESPONDER_LABELS[pilot.responder].lower()
    metrics = _metrics(goals)
    types = [f"{code} ({names.get(code, code)})" for code in pilot.call_types]
    end = pilot.end
    title = f"{RESPONDER_LABELS[pilot.responder]} pilot in {', '.join(pilot.areas)}, {profile.name}"
    intervention = (
        f"The {who} answers calls of these types in place of police: {', '.join(types)}; in "
        f"{', '.join(pilot.areas)}; at hours {hours_text(pilot.hours)}; for {pilot.weeks} "
        f"weeks from {pilot.start.isoformat()}."
    )
    if pilot.practice:
        intervention += f" It follows the programme '{pilot.practice}' in the practices catalog."
    history = weekly.index
    fields = {
        "title": title,
        "dates": f"Intervention {pilot.start.isoformat()} to {end.isoformat()}; outcomes "
        f"measured over the same weeks against the weeks from {history.min().date()} to "
        f"{(history.max() + pd.Timedelta(days=6)).date()}.",
        "intervention": intervention,
        "primary_outcomes": DEFAULT_METRICS[0]["label"] + ": " + DEFAULT_METRICS[0]["how"],
        "unit_of_assignment": text.unit_of_assignment,
        "planned_sample": _planned_sample(pilot, rec, comparisons, pilot_weekly, small_count),
        "power_calculation": _power_text(power),
        "ethics_review": "To be obtained before the pilot starts: name the review board and the "
        "approval number here (the kit cannot know them).",
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "jurisdiction": profile.name,
        "prepared": (prepared or date.today()).isoformat(),
        "pilot": pilot.to_document(),
        "call_types": types,
        "hypotheses": _hypotheses(pilot, metrics, who),
        "metrics": metrics,
        "design": rec.to_document()
        | {
            "warnings": warnings,
            "explanation": text.explanation,
            "strengths": text.strengths,
            "weaknesses": text.weaknesses,
            "sms_level": text.sms_level,
            "comparison": comparisons,
            "tracking": matches.round(3).to_dict("records"),
        },
        "analysis": {
            "model": _ANALYSIS[rec.design],
            "inference": INFERENCE_LABELS[rec.inference],
            "scale": "Effects as proportional changes, exp(b) - 1: -0.3 means 30% fewer; "
            "two-sided tests at the 5% level with 95% intervals.",
        },
        "decision_rule": _decision_rule(rec),
        "equity_checks": _equity(pilot, profile, comparisons, who),
        "data_to_collect": _data_to_collect(who, rec.design),
        "stopping_rules": _stopping_rules(
            DEFAULT_ASSUMPTIONS[pilot.responder]["back_up"] if back_up is None else back_up
        ),
        "registry": {"name": rec.registry, "fields": fields},
        "power": dict(power) if power else None,
    }


def _tracking_warning(matches: pd.DataFrame, chosen: Sequence[str]) -> list[str]:
    """A warning when a chosen comparison area did not track the pilot areas before it."""
    weak = matches[matches["area"].isin(chosen) & ~(matches["correlation"] >= MIN_CORRELATION)]
    if weak.empty:
        return []
    named = ", ".join(
        f"{row.area} (correlation {row.correlation:.2f})"
        if math.isfinite(row.correlation)
        else f"{row.area} (no correlation: too few calls)"
        for row in weak.itertuples()
    )
    return [
        f"Before the pilot, these comparison areas' weekly calls did not rise and fall with the "
        f"pilot areas' (a correlation of {MIN_CORRELATION} or more): {named}. They are the "
        "closest there are; the comparison is weaker for it."
    ]


def workspace_plan(
    ws: Workspace, *, power: Mapping[str, Any] | None = None, prepared: date | None = None
) -> dict[str, Any]:
    """The plan of the workspace's pilot (saved, else proposed from step 02's plan); without
    ``power``, the power figures saved with the design, if any."""
    pilot = workspace_pilot(ws)
    if power is None:
        saved = ws.decisions.latest(DESIGN_DECISION)
        power = saved.document.get(POWER_KEY) if saved is not None else None
    plan = ws.decisions.latest(ROLES_DECISION)
    assumptions = check_plan(plan.document if plan else {})["assumptions"]
    return build_plan(
        pilot,
        calls=read_pilot_calls(ws),
        profile=ws.profile,
        goals=saved_goals(ws),
        power=power,
        small_count=ws.small_count,
        back_up=assumptions.get(pilot.responder, {}).get("back_up"),
        prepared=prepared,
    )
