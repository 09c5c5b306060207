"""The definition of safety: goals in plain words, each measured on the jurisdiction's own data.

A goal that cannot be measured cannot be held to, so every goal names one metric from a menu
the kit computes from the calls, step 02's saved plan and the survey, with its baseline now
(citywide and by area) and a target. The goals are saved as the ``safety_definition``
decision; step 02 shows them beside the plan and later steps propose the same metrics for
evaluating a pilot. A metric the data cannot give (no priority column, no dispositions, no
survey) stays on the menu with no baseline and a note saying what is missing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from kit.community.summary import survey_summary
from kit.data.survey import SCORE_PREFIX
from kit.errors import KitError
from kit.roles import DECISION_NAME as ROLES_DECISION
from kit.roles import Cube, build_cube, check_document, flow, new_document
from kit.roles.rules import workspace_rules
from kit.suppression import DEFAULT_SMALL_COUNT, is_small
from kit.taxonomy import classify_dispositions
from kit.workspace import Workspace

DECISION_NAME: Final = "safety_definition"
SCHEMA_VERSION: Final = 1

# Calls whose family records no crime: the officer time a city may answer otherwise.
NO_CRIME_FAMILIES: Final = ("behavioral_health", "medical", "alarm", "administrative")
# Low-level calls: where an arrest is the outcome a community most often questions.
LOW_LEVEL_FAMILIES: Final = ("disorder", "behavioral_health", "alarm", "administrative")
# Responders that bring care (a clinician or a crisis worker) to a behavioural-health call.
CARE_RESPONDERS: Final = ("crisis_team", "co_response")
REPEAT_WINDOW: Final = pd.Timedelta(days=30)
# Arrivals more than a day after the call are data errors, not response times.
LONGEST_RESPONSE: Final = pd.Timedelta(hours=24)


@dataclass(frozen=True)
class Metric:
    """One entry of the menu: what it measures, in which unit and which way is better."""

    key: str
    label: str
    unit: Literal["share", "minutes", "hours a year", "score 0-10"]
    better: Literal["higher", "lower"]
    how: str


CALL_METRICS: Final = (
    Metric(
        "care_share",
        "Behavioural-health calls answered by a care responder",
        "share",
        "higher",
        "Share of behavioural-health calls a crisis team or co-responder answers under step "
        "02's saved plan.",
    ),
    Metric(
        "urgent_response",
        "Response time to the most urgent calls",
        "minutes",
        "lower",
        "Median minutes from the call received to the first unit's arrival, for calls of the "
        "most urgent priority in the data.",
    ),
    Metric(
        "no_crime_hours",
        "Officer hours on calls with no crime",
        "hours a year",
        "lower",
        "Officer hours a year on behavioural-health, medical, alarm and administrative calls.",
    ),
    Metric(
        "repeat_calls",
        "Repeat calls to the same block",
        "share",
        "lower",
        "Share of calls to a block that had another call in the 30 days before.",
    ),
    Metric(
        "low_level_arrests",
        "Arrests on low-level calls",
        "share",
        "lower",
        "Share of disorder, behavioural-health, alarm and administrative calls ending in an "
        "arrest, among those whose disposition is recorded.",
    ),
)


def survey_metric(score: str) -> Metric:
    """The menu entry for one of the survey's 0-10 scores (its weighted mean)."""
    return Metric(
        f"survey_{score}",
        f"Survey: {score.replace('_', ' ')}",
        "score 0-10",
        "higher",
        f"The survey's {SCORE_PREFIX}{score} item, 0-10, weighted to the residents.",
    )


@dataclass(frozen=True)
class Baseline:
    """A metric's value now, citywide and by area, with how many calls or people it rests on."""

    value: float | None
    count: int
    by_area: dict[str, dict[str, Any]]
    note: str = ""
    detail: dict[str, float] | None = None

    def to_document(self, small_count: int = DEFAULT_SMALL_COUNT) -> dict[str, Any]:
        """JSON-ready, counts exact, each with a ``suppressed`` flag where it is below the
        workspace's ``small_count`` (kept in the document, so a page prints the same rule)."""
        found: dict[str, Any] = {
            "value": _round(self.value),
            "count": self.count,
            "suppressed": is_small(self.count, small_count),
            "by_area": {
                area: cell | {"suppressed": is_small(cell["count"], small_count)}
                for area, cell in self.by_area.items()
            },
            "note": self.note,
            "small_count": small_count,
        }
        if self.detail is not None:
            found["by_family"] = {k: _round(v) for k, v in self.detail.items()}
        return found


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 4)


def _cell(value: float | None, count: int) -> dict[str, Any]:
    return {"value": _round(value), "count": count}


def _unavailable(note: str) -> Baseline:
    return Baseline(None, 0, {}, note)


@dataclass(frozen=True)
class Sources:
    """What the baselines are computed from, read once from a workspace."""

    calls: pd.DataFrame  # the calls, with ``family`` added from the cube's classification
    cube: Cube
    plan: Mapping[str, Any]  # step 02's checked plan (the police-only default when none saved)
    plan_saved: bool
    survey: dict[str, Any] | None  # the survey document (kit community), None when no survey
    small_count: int = DEFAULT_SMALL_COUNT  # the workspace's threshold for published counts


def _by_area(
    frame: pd.DataFrame, value: Callable[[pd.DataFrame], float | None]
) -> dict[str, dict[str, Any]]:
    return {
        str(area): _cell(value(part), len(part))
        for area, part in frame.groupby("area", sort=True, observed=True)
    }


def _share(mask: pd.Series) -> float | None:
    return float(mask.mean()) if len(mask) else None


def care_share(sources: Sources) -> Baseline:
    """Share of behavioural-health calls a care responder answers under the saved plan."""
    plan = sources.plan
    frame = flow(
        sources.cube,
        plan["assignments"],
        plan["assumptions"],
        coverage=plan["coverage"],
        by=("family", "area"),
    )
    frame = frame[frame["family"].astype(str) == "behavioral_health"]
    police = frame[frame["responder"].astype(str) == "police"]
    care = frame[frame["responder"].astype(str).isin(CARE_RESPONDERS)]
    calls = police.groupby("area", observed=True)["eligible"].sum()
    answered = care.groupby("area", observed=True)["handled"].sum().reindex(calls.index)
    counts = sources.calls.loc[sources.calls["family"] == "behavioral_health", "area"]
    counts = counts.value_counts()
    total = float(calls.sum())
    if total <= 0:
        return _unavailable("No behavioural-health calls in the data.")
    by_area = {
        str(area): _cell(
            float(answered[area] / calls[area]) if calls[area] > 0 else None,
            int(counts.get(area, 0)),
        )
        for area in calls.index
        if calls[area] > 0
    }
    note = "" if sources.plan_saved else "No plan saved in step 02: calls as dispatched today."
    return Baseline(float(answered.sum()) / total, int(counts.sum()), by_area, note)


def _priority_order(value: str) -> tuple[int, float, str]:
    """Numbers first, lowest first (1 is the most urgent); then text, A before B."""
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)


def urgent_response(sources: Sources) -> Baseline:
    """Median minutes from received to arrival for the most urgent priority's calls."""
    calls = sources.calls
    if "priority" not in calls or "arrived_at" not in calls:
        return _unavailable("The calls have no priority or arrival times.")
    priority = calls["priority"].astype("string").str.strip()
    minutes = (pd.to_datetime(calls["arrived_at"]) - pd.to_datetime(calls["received_at"])).where(
        lambda d: (d >= pd.Timedelta(0)) & (d <= LONGEST_RESPONSE)
    )
    known = priority.notna() & (priority != "") & minutes.notna()
    if not known.any():
        return _unavailable("No call has both a priority and an arrival time.")
    urgent = min(priority[known].unique(), key=_priority_order)
    frame = calls.loc[known & (priority == urgent), ["area"]].assign(
        minutes=minutes[known & (priority == urgent)].dt.total_seconds() / 60
    )

    def median(part: pd.DataFrame) -> float:
        return float(part["minutes"].median())

    return Baseline(median(frame), len(frame), _by_area(frame, median), f"Priority {urgent} calls.")


def no_crime_hours(sources: Sources) -> Baseline:
    """Officer hours a year on calls of the families that record no crime, by family too."""
    cube = sources.cube
    years = cube.years or 1.0
    family = cube.types["family"].astype(str).to_numpy()[cube.type_code]
    keep = np.isin(family, NO_CRIME_FAMILIES)
    areas = np.asarray(cube.areas or ("",), dtype=object)[cube.area_code]
    hours = pd.DataFrame(
        {"area": areas[keep], "family": family[keep], "hours": cube.officer_hours[keep]}
    )
    calls = sources.calls[sources.calls["family"].isin(NO_CRIME_FAMILIES)]
    counts = calls["area"].value_counts()
    by_area = {
        str(area): _cell(float(part.sum()) / years, int(counts.get(area, 0)))
        for area, part in hours.groupby("area", sort=True)["hours"]
    }
    per_family = hours.groupby("family")["hours"].sum() / years
    detail = {name: float(per_family.get(name, 0.0)) for name in NO_CRIME_FAMILIES}
    return Baseline(float(hours["hours"].sum()) / years, len(calls), by_area, "", detail)


def repeat_calls(sources: Sources) -> Baseline:
    """Share of calls to a block with another call there in the 30 days before."""
    calls = sources.calls
    if "block" not in calls:
        return _unavailable("The calls have no block.")
    frame = calls.loc[calls["block"].notna() & (calls["block"].astype(str) != ""), ["area"]]
    if frame.empty:
        return _unavailable("No call has a block.")
    frame = frame.assign(
        block=calls["block"].astype(str), received=pd.to_datetime(calls["received_at"])
    ).sort_values(["block", "received"], kind="stable")
    gap = frame.groupby("block", sort=False)["received"].diff()
    frame["repeat"] = gap.notna() & (gap <= REPEAT_WINDOW)

    def share(part: pd.DataFrame) -> float | None:
        return _share(part["repeat"])

    return Baseline(share(frame), len(frame), _by_area(frame, share))


def low_level_arrests(sources: Sources) -> Baseline:
    """Share of low-level calls with a recorded disposition that ended in an arrest."""
    calls = sources.calls
    if "disposition" not in calls:
        return _unavailable("The calls have no disposition.")
    low = calls[calls["family"].isin(LOW_LEVEL_FAMILIES)]
    outcome = classify_dispositions(low["disposition"]).astype(str)
    recorded = outcome != "other"
    if not recorded.any():
        return _unavailable("No low-level call has a disposition the rules recognise.")
    frame = low.loc[recorded, ["area"]].assign(arrest=outcome[recorded] == "arrest")

    def share(part: pd.DataFrame) -> float | None:
        return _share(part["arrest"])

    return Baseline(share(frame), len(frame), _by_area(frame, share))


def survey_score(sources: Sources, score: str) -> Baseline:
    """The survey score's weighted mean, citywide and by area."""
    if sources.survey is None:
        return _unavailable("No survey imported.")
    overall = next((s for s in sources.survey["scores"] if s["score"] == score), None)
    if overall is None:
        return _unavailable(f"The survey has no {SCORE_PREFIX}{score} column.")
    by_area = {}
    for row in sources.survey["by_area"]:
        found = next((s for s in row["scores"] if s["score"] == score), None)
        if row["respondents"] and found is not None:
            by_area[row["area"]] = _cell(found["mean"], row["respondents"])
    return Baseline(overall["mean"], sources.survey["respondents"], by_area, "Weighted mean.")


_CALL_BASELINES: Final[dict[str, Callable[[Sources], Baseline]]] = {
    "care_share": care_share,
    "urgent_response": urgent_response,
    "no_crime_hours": no_crime_hours,
    "repeat_calls": repeat_calls,
    "low_level_arrests": low_level_arrests,
}


def menu(sources: Sources) -> dict[str, Metric]:
    """Every metric this workspace can be given goals on: the calls' and the survey's scores."""
    found = {metric.key: metric for metric in CALL_METRICS}
    for item in (sources.survey or {}).get("scores", []):
        metric = survey_metric(item["score"])
        found[metric.key] = metric
    return found


def baseline(sources: Sources, key: str) -> Baseline:
    """The baseline of the metric ``key`` (a key of :func:`menu`)."""
    if key in _CALL_BASELINES:
        return _CALL_BASELINES[key](sources)
    if key.startswith("survey_"):
        return survey_score(sources, key.removeprefix("survey_"))
    raise KitError(f"'{key}' is not a metric the kit computes.")


def read_sources(ws: Workspace) -> Sources:
    """Read the calls (into step 02's cube), step 02's saved plan and the survey once."""
    calls = ws.calls()
    if calls.empty:
        raise KitError("No calls have been imported yet: import them in step 00 first.")
    saved = ws.decisions.latest(ROLES_DECISION)
    plan = check_document(saved.document if saved is not None else new_document())
    cube = build_cube(
        calls,
        officers_per_unit=plan["officers_per_unit"],
        families=plan["family_overrides"],
        rules=workspace_rules(ws),
    )
    types = cube.types
    families = dict(zip(types["call_type"].astype(str), types["family"].astype(str), strict=True))
    calls = calls.assign(
        family=calls["call_type"].astype("string").fillna("").astype(str).map(families),
        area=calls["area"].astype("string").fillna("") if "area" in calls else "",
    )
    survey = (
        survey_summary(ws.read_table("survey"), ws.profile, ws.small_count)
        if ws.has_table("survey")
        else None
    )
    return Sources(calls, cube, plan, saved is not None, survey, ws.small_count)


def check_goals(goals: object, metrics: Mapping[str, Metric]) -> list[dict[str, Any]]:
    """Goals as ``{"text", "metric", "target"}``, checked; each fault refused in plain words."""
    if not isinstance(goals, Sequence) or isinstance(goals, str):
        raise KitError("Goals must be a list, each with its text, metric and target.")
    checked = []
    for number, goal in enumerate(goals, start=1):
        if not isinstance(goal, Mapping):
            raise KitError(f"Goal {number} must have a text, a metric and a target.")
        text = str(goal.get("text") or "").strip()
        if not text:
            raise KitError(f"Goal {number} has no text: say in plain words what it aims at.")
        key = str(goal.get("metric") or "")
        if key not in metrics:
            raise KitError(
                f"Goal {number} ('{text}') names the metric '{key}', which is not on the menu. "
                f"Choose one of: {', '.join(metrics)}."
            )
        try:
            target = float(goal.get("target"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            target = math.nan
        if not math.isfinite(target) or target < 0:
            raise KitError(f"Goal {number} ('{text}') needs a target: a number of 0 or more.")
        if metrics[key].unit == "share" and target > 1:
            raise KitError(
                f"Goal {number} ('{text}'): the target is a share, so write it between 0 and 1 "
                f"(0.25 for 25%), not {target}."
            )
        checked.append({"text": text, "metric": key, "target": target})
    return checked


def definition(sources: Sources, goals: object) -> dict[str, Any]:
    """The ``safety_definition`` document: each goal with its metric's baseline now."""
    metrics = menu(sources)
    found = []
    for goal in check_goals(goals, metrics):
        metric = metrics[goal["metric"]]
        found.append(
            goal
            | {
                "label": metric.label,
                "unit": metric.unit,
                "better": metric.better,
                "baseline": baseline(sources, metric.key).to_document(sources.small_count),
            }
        )
    return {"schema_version": SCHEMA_VERSION, "goals": found}


def saved_goals(ws: Workspace) -> list[dict[str, Any]]:
    """The goals of the saved ``safety_definition`` (none when nothing is saved)."""
    saved = ws.decisions.latest(DECISION_NAME)
    return list(saved.document.get("goals", [])) if saved is not None else []


def save_definition(ws: Workspace, goals: object, *, user: str | None = None) -> int:
    """Work out the baselines now and save the goals as a new version; returns the version."""
    document = definition(read_sources(ws), goals)
    latest = ws.decisions.latest(DECISION_NAME)
    return ws.decisions.save(
        DECISION_NAME,
        document,
        base_version=latest.version if latest is not None else None,
        step="01",
        user=user,
    )


def menu_document(sources: Sources) -> list[dict[str, Any]]:
    """The menu with every metric's baseline now, JSON-ready."""
    return [
        {
            "metric": metric.key,
            "label": metric.label,
            "unit": metric.unit,
            "better": metric.better,
            "how": metric.how,
            "baseline": baseline(sources, metric.key).to_document(sources.small_count),
        }
        for metric in menu(sources).values()
    ]


def format_value(value: float | None, unit: str) -> str:
    """A metric's value as a page or the command line prints it."""
    if value is None:
        return "-"
    if unit == "share":
        return f"{value:.0%}"
    if unit == "minutes":
        return f"{value:.1f} min"
    if unit == "hours a year":
        return f"{value:,.0f} h/yr"
    return f"{value:.1f}/10"


def definition_lines(goals: Sequence[Mapping[str, Any]]) -> list[str]:
    """The saved goals as plain lines: baseline citywide and by area (small counts hidden)."""
    if not goals:
        return ["No definition of safety saved yet: write goals in step 01 (kit safety --help)."]
    lines = []
    for goal in goals:
        base = goal["baseline"]
        unit = goal["unit"]
        lines += [
            f"{goal['text']}",
            f"  {goal['label']}: now {format_value(base['value'], unit)}, "
            f"target {format_value(goal['target'], unit)} ({goal['better']} is better)",
        ]
        if base.get("note"):
            lines.append(f"  {base['note']}")
        for area, cell in base["by_area"].items():
            shown = (
                f"fewer than {base.get('small_count', DEFAULT_SMALL_COUNT)} cases"
                if cell["suppressed"]
                else format_value(cell["value"], unit)
            )
            lines.append(f"    {area or 'no area':<24}{shown}")
    return lines
