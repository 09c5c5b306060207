"""Step 04's results: the pilot's effect on police-handled calls, with the planned design.

After the pilot its weeks are added to the history (``kit import calls --append``). Here the
area-by-week panel is built once (:mod:`kit.pilot.panel`), the planned design's estimator runs
on it (:mod:`kit.pilot.estimators`) and the result is read in one plain sentence
(:mod:`kit.pilot.reading`). Beside the effect over all pilot areas come the equity checks the
evaluation plan names: each pilot area's own effect with the area's demographics, and the
share of the pilot's calls the new responder answered in each area.

Calls the new responder answered are told apart in the CAD data by their disposition (the
canonical calls keep no unit or responder column; see docs/pilot.md): those dispositions are
named, such calls are taken out of the police-handled count, and they are what the
responder's share is counted from.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from kit.equity import compare_areas
from kit.errors import KitError
from kit.pilot.estimators import Estimate, Grid, did, grid, its, stepped, synthetic
from kit.pilot.panel import calls_panel, police_handled, resolve_types
from kit.pilot.randomised import randomised, read_draw, shift_counts
from kit.pilot.reading import Effect, places, reading
from kit.steps import BASIS_KEY, basis

if TYPE_CHECKING:
    from kit.workspace import Workspace

DECISION_NAME: Final = "pilot_results"
DESIGN_DECISION: Final = "pilot_design"
SCHEMA_VERSION: Final = 1
STEP: Final = "04"

METHODS: Final[dict[str, str]] = {
    "did": "difference-in-differences across areas",
    "stepped": "staggered rollout (each area from its own start)",
    "synthetic": "synthetic control",
    "its": "interrupted time series",
    "randomised": "randomisation by shift or day (from the sealed draw)",
}


@dataclass(frozen=True)
class Pilot:
    """What was piloted: its call types (codes or descriptions), each pilot area with its
    first day, the last day to count (None: every call held) and the dispositions that mark
    a call the new responder answered."""

    call_types: tuple[str, ...]
    starts: Mapping[str, date]
    end: date | None = None
    responder_dispositions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.call_types:
            raise KitError("Name at least one call type of the pilot (--call-type).")
        if not self.starts:
            raise KitError("Name at least one pilot area (--area) and its start (--start).")
        if self.end is not None and self.end <= max(self.starts.values()):
            raise KitError(
                f"The end ({self.end}) must come after the pilot's start "
                f"({max(self.starts.values())})."
            )

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(self.starts)

    @property
    def staggered(self) -> bool:
        """True when the pilot areas did not all start on the same day."""
        return len(set(self.starts.values())) > 1


def parse_date(text: str, what: str) -> date:
    """A YYYY-MM-DD date, or a plain error naming the option it came from."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise KitError(f"{what} {text!r}: write the date as YYYY-MM-DD, e.g. 2026-03-02.") from None


def parse_starts(texts: Sequence[str], areas: Sequence[str]) -> dict[str, date]:
    """Each pilot area's start from ``--start`` values: one date for every area, or
    AREA=YYYY-MM-DD for each area of a staggered rollout."""
    if not texts:
        raise KitError("Give the pilot's start with --start YYYY-MM-DD.")
    if not areas:
        raise KitError("Name the pilot areas with --area NAME (repeatable).")
    named = [t for t in texts if "=" in t]
    if not named:
        if len(texts) > 1:
            raise KitError(
                "Give one --start for the whole pilot, or one --start AREA=YYYY-MM-DD per area."
            )
        start = parse_date(texts[0], "--start")
        return dict.fromkeys(areas, start)
    if len(named) != len(texts):
        raise KitError(
            "Give either one --start date for every area or AREA=YYYY-MM-DD for each, not both."
        )
    starts: dict[str, date] = {}
    for text in texts:
        area, _, when = text.rpartition("=")
        area = area.strip()
        if area not in areas:
            raise KitError(
                f"--start {text!r}: {area!r} is not one of the pilot areas "
                f"({', '.join(areas)}); name it with --area too."
            )
        starts[area] = parse_date(when, f"--start {area}=")
    if missing := [a for a in areas if a not in starts]:
        raise KitError(f"No --start for {', '.join(missing)}: give AREA=YYYY-MM-DD for each area.")
    return {a: starts[a] for a in areas}


def planned_method(workspace: Workspace) -> str | None:
    """The evaluation design of the saved pilot design, if one is saved with a design."""
    saved = workspace.decisions.latest(DESIGN_DECISION)
    design = saved.document.get("design") if saved is not None else None
    return design if isinstance(design, str) and design else None


def choose_method(
    requested: str | None, planned: str | None, staggered: bool, *, drawn: bool = False
) -> str:
    """The method asked for, else the planned design's, else the one the starts imply: one
    start for every area, difference-in-differences; several, the staggered one. A pilot
    randomised by shift or day is analysed only with its sealed draw (``drawn``)."""
    method = requested or (planned if planned in METHODS else None)
    method = method or ("stepped" if staggered else "did")
    if method not in METHODS:
        raise KitError(f"Unknown method {method!r}: choose one of {', '.join(METHODS)}.")
    if method == "randomised" and not drawn:
        raise KitError(
            "The pilot was randomised by shift or day: its effect is estimated from the "
            "sealed draw, the record of which shifts or days had the responder.",
            cli="Give it with --draw FILE (date, shift and responder per row), or choose "
            "another --method.",
            app="Load the sealed draw below (a CSV file with the date, the shift and whether "
            "the responder was on, one row per shift or day) to estimate the effect.",
        )
    if staggered and method not in ("stepped", "randomised"):
        raise KitError(
            f"The pilot areas start on different days, which {METHODS[method]} cannot use: "
            "evaluate with --method stepped, or give one --start for every area."
        )
    return method


def responder_answered(calls: pd.DataFrame, dispositions: Sequence[str]) -> pd.Series:
    """True for the calls whose disposition marks the new responder (case and spaces aside)."""
    if not dispositions or "disposition" not in calls:
        return pd.Series(False, index=calls.index)
    wanted = {" ".join(d.upper().split()) for d in dispositions}
    text = calls["disposition"].astype("string").str.upper().str.split().str.join(" ")
    return text.isin(wanted).fillna(False).astype(bool)


def _estimate(
    method: str, g: Grid, starts: Mapping[str, date], seed: int, *, event_study: bool = False
) -> Estimate:
    """The chosen design's estimator on the grid."""
    areas = list(starts)
    start = pd.Timestamp(min(starts.values()))
    if method == "did":
        return did(g, areas, start, event_study=event_study, seed=seed)
    if method == "stepped":
        return stepped(g, {a: pd.Timestamp(s) for a, s in starts.items()}, seed=seed)
    if method == "synthetic":
        return synthetic(g, areas, start, seed=seed)
    return its(g, areas, start)


def _without(g: Grid, areas: Sequence[str]) -> Grid:
    """The grid without ``areas`` (other pilot areas, when one area is estimated alone)."""
    keep = [i for i, a in enumerate(g.areas) if a not in set(areas)]
    return Grid(tuple(g.areas[i] for i in keep), g.weeks, g.counts[keep])


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _people(workspace: Workspace) -> dict[str, dict[str, float | None]]:
    """Each profile area's residents, share of residents of colour and median income."""
    return {
        a.name: {
            "population": float(a.population),
            "share_residents_of_color": a.share_residents_of_color,
            "median_household_income": a.median_household_income,
        }
        for a in workspace.profile.areas
    }


def _by_area(
    estimate_one: Callable[[str], Estimate],
    areas: Sequence[str],
    what: str,
    people: Mapping[str, Mapping[str, float | None]],
) -> list[dict[str, Any]]:
    """Each pilot area's own effect (``estimate_one``), beside its demographics."""
    unknown = dict.fromkeys(("population", "share_residents_of_color", "median_household_income"))
    rows = []
    for area in areas:
        try:
            est = estimate_one(area)
        except KitError as exc:
            found: dict[str, Any] = dict.fromkeys(("effect", "low", "high", "p_value"))
            found["reading"] = str(exc)
        else:
            found = {
                "effect": est.effect,
                "low": _finite(est.low),
                "high": _finite(est.high),
                "p_value": est.p_value,
                "reading": _reading(est, what, area, advice=False),
            }
        rows.append({"area": area, **found, **(people.get(area) or unknown)})
    return rows


def _against_comparison(method: str, g: Grid, pilot: Pilot, seed: int) -> Callable[[str], Estimate]:
    """One pilot area's estimate against the comparison areas, the other pilot areas left out."""
    single = "did" if method == "stepped" else method

    def one(area: str) -> Estimate:
        others = [a for a in pilot.areas if a != area]
        return _estimate(single, _without(g, others), {area: pilot.starts[area]}, seed)

    return one


def _by_shift(
    calls: pd.DataFrame, codes: Sequence[str], pilot: Pilot, draw: pd.DataFrame, seed: int
) -> tuple[Estimate, Callable[[str], Estimate]]:
    """A pilot randomised by shift or day: the estimate over its areas from the draw's
    shifts in the pilot's weeks, and the same for one area."""
    window = draw[draw["date"] >= pd.Timestamp(min(pilot.starts.values()))]
    if pilot.end is not None:
        window = window[window["date"] <= pd.Timestamp(pilot.end)]
    if window.empty:
        raise KitError("The draw has no shifts from the pilot's start on: check its dates.")
    chosen = calls[calls["call_type"].isin(codes) & calls["area"].isin(pilot.areas)]
    units = shift_counts(chosen[police_handled(chosen).to_numpy()], pilot.areas, window)

    def one(area: str) -> Estimate:
        return randomised(units[units["area"] == area], seed=seed)

    return randomised(units, seed=seed), one


def _reading(est: Estimate, what: str, where: str, *, advice: bool = True) -> str:
    """The estimate in words; an interval that cannot be made (no placebos) is open-ended."""
    low = est.low if math.isfinite(est.low) else -1.0
    high = est.high if math.isfinite(est.high) else math.inf
    effect = Effect(
        est.effect,
        min(low, est.effect),
        max(high, est.effect),
        est.confident,
        est.advice if advice else "",
    )
    return reading(effect, what, where)


def _responder_shares(
    calls: pd.DataFrame, answered: pd.Series, pilot: Pilot, areas: Sequence[Any]
) -> dict[str, Any]:
    """Per pilot area: of the pilot's calls since the area's start, the share the new
    responder answered, against the share over all pilot areas, with demographics."""
    start = calls["area"].map({a: pd.Timestamp(s) for a, s in pilot.starts.items()})
    local = calls["received_at"].dt.tz_localize(None)
    after = calls["area"].isin(pilot.areas) & (local >= start)
    numerator = calls.loc[after & answered, "area"].value_counts()
    denominator = calls.loc[after, "area"].value_counts()
    comparison = compare_areas(
        numerator.reindex(pilot.areas, fill_value=0),
        denominator.reindex(pilot.areas, fill_value=0),
        areas,
    )
    return comparison.to_dict()


@dataclass(frozen=True)
class Results:
    """The evaluation of a pilot: the estimate, its reading and the equity checks."""

    pilot: Pilot
    estimate: Estimate
    reading: str
    what: str
    planned_method: str | None
    by_area: tuple[dict[str, Any], ...]
    responder: dict[str, Any] | None
    call_types: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: what ``kit evaluate --json`` prints and the saved decision holds."""
        out: dict[str, Any] = dict(self.estimate.as_dict())
        for key in ("low", "high"):
            out[key] = _finite(out[key])
        out.update(
            method_name=METHODS[self.estimate.method],
            planned_method=self.planned_method,
            reading=self.reading,
            outcome=self.what,
            call_types=list(self.call_types),
            areas=list(self.pilot.areas),
            starts={a: s.isoformat() for a, s in self.pilot.starts.items()},
            end=self.pilot.end.isoformat() if self.pilot.end else None,
            responder_dispositions=list(self.pilot.responder_dispositions),
            by_area=list(self.by_area),
            responder=self.responder,
        )
        return out


def _outcome(calls: pd.DataFrame, codes: Sequence[str]) -> str:
    """The outcome in words: "police-handled calls of WELFARE CHECK", from the descriptions."""
    names = []
    for code in codes:
        descs = calls.loc[calls["call_type"] == code, "call_type_desc"].dropna()
        names.append(str(descs.iloc[0]) if len(descs) else code)
    return f"calls of {places(names) if len(names) <= 3 else f'{len(names)} types'}"


def _calls(workspace: Workspace, end: date | None) -> pd.DataFrame:
    calls = workspace.read_table("calls") if workspace.has_table("calls") else None
    if calls is None or calls.empty:
        raise KitError(
            "This workspace holds no calls yet. Import the calls, then add the pilot's weeks "
            "with `kit import calls WORKSPACE FILE --append`."
        )
    if end is not None:
        local = calls["received_at"].dt.tz_localize(None)
        calls = calls[local < pd.Timestamp(end) + pd.Timedelta(days=1)]
    return calls


def evaluate(
    workspace: Workspace,
    pilot: Pilot,
    *,
    method: str | None = None,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    draw: pd.DataFrame | None = None,
) -> Results:
    """Estimate the pilot's effect on the calls held, with ``method`` or the planned design.

    The outcome is police-handled calls of the pilot's types per area and week (per shift or
    day for a pilot randomised by shift, from its ``draw``: :mod:`kit.pilot.randomised`):
    calls with a responder disposition are left out of it. The event study (effects by
    period around the start) comes with difference-in-differences.
    """
    say = progress or (lambda _message: None)
    planned = planned_method(workspace)
    chosen = choose_method(method, planned, pilot.staggered, drawn=draw is not None)
    calls = _calls(workspace, pilot.end)
    codes = resolve_types(calls, pilot.call_types)
    answered = responder_answered(calls, pilot.responder_dispositions)
    what = _outcome(calls, codes)
    where = places(list(pilot.areas))
    people = _people(workspace)
    police = calls[~answered.to_numpy()]
    if chosen == "randomised" and draw is not None:
        say("counting calls by shift and estimating from the draw")
        estimate, one = _by_shift(police, codes, pilot, draw, seed)
    else:
        say("counting calls by area and week")
        g = grid(calls_panel(police, codes), "calls")
        say(f"estimating with {METHODS[chosen]}")
        estimate = _estimate(chosen, g, pilot.starts, seed, event_study=True)
        one = _against_comparison(chosen, g, pilot, seed)
    say("estimating each pilot area's own effect")
    by_area = _by_area(one, pilot.areas, what, people)
    responder = None
    if pilot.responder_dispositions:
        chosen_calls = calls["call_type"].isin(codes).to_numpy()
        responder = _responder_shares(
            calls[chosen_calls], answered[chosen_calls], pilot, workspace.profile.areas
        )
    return Results(
        pilot=pilot,
        estimate=estimate,
        reading=_reading(estimate, what, where),
        what=what,
        planned_method=planned,
        by_area=tuple(by_area),
        responder=responder,
        call_types=tuple(codes),
    )


#: Where the app keeps the sealed draw of a pilot randomised by shift or day (uploads/).
DRAW_UPLOAD: Final = "pilot_draw.csv"


def held_draw(workspace: Workspace) -> pd.DataFrame | None:
    """The sealed draw loaded in the app and kept in the workspace, or None."""
    from kit.workspace import UPLOADS_DIR

    path = workspace.safe_path(UPLOADS_DIR, DRAW_UPLOAD)
    return read_draw(path, "the draw kept in the workspace") if path.is_file() else None


def keep_draw(workspace: Workspace, content: bytes, name: str = "the draw") -> pd.DataFrame:
    """Check an uploaded draw, then keep it in the workspace for later estimates; a draw that
    cannot be read is refused before anything kept is replaced."""
    draw = read_draw(content, name)
    workspace.save_upload(DRAW_UPLOAD, content)
    return draw


def saved_for_evaluation(
    workspace: Workspace, dispositions: Sequence[str] = (), *, drawn: bool = False
) -> Pilot:
    """The saved pilot design as a pilot to evaluate, once the calls held reach past its start.

    Refused in plain words until then, saying what is needed: a saved design, and a week or
    more of calls after its start (added to the history after the pilot has run).
    """
    from kit.pilot.definition import saved_pilot

    saved = saved_pilot(workspace)
    if saved is None:
        raise KitError(
            "No pilot design is saved yet: the results are estimated with the saved design.",
            cli="Save it with `kit pilot WORKSPACE ... --save` first.",
            app="Save the pilot above first.",
        )
    if saved.design == "randomised":
        choose_method(None, saved.design, staggered=False, drawn=drawn)  # the draw is needed
    if not workspace.has_table("calls"):
        raise KitError("This workspace holds no calls yet.", app="Import them in step 00.")
    received = workspace.read_table("calls", ["received_at"])["received_at"]
    last = received.max().date() if len(received) else None
    first_full_week = saved.start + timedelta(days=7)
    if last is None or last < first_full_week:
        held = "no calls" if last is None else f"calls up to {last:%d %B %Y}"
        raise KitError(
            f"The pilot starts on {saved.start:%d %B %Y} and the workspace holds {held}: "
            "its effect can be estimated once calls from at least a week after the start "
            "are added.",
            cli="After the pilot, add its weeks with `kit import calls WORKSPACE FILE --append`.",
            app=(
                "After the pilot has run, ask for the calls received since its start in the "
                "same export as before, then load them in step 00 with “Add to the calls "
                "already imported” ticked; the results then appear here."
            ),
        )
    return Pilot(
        call_types=saved.call_types,
        starts=dict.fromkeys(saved.areas, saved.start),
        responder_dispositions=tuple(dispositions),
    )


def disposition_choices(workspace: Workspace, pilot: Pilot, limit: int = 30) -> list[str]:
    """The dispositions of the pilot's calls in its areas since its start, most used first:
    the ones to choose from when naming those that mark the new responder's calls."""
    if "disposition" not in workspace.columns("calls"):
        return []
    calls = workspace.read_table(
        "calls", ["received_at", "call_type", "call_type_desc", "area", "disposition"]
    )
    codes = resolve_types(calls, pilot.call_types)
    local = calls["received_at"].dt.tz_localize(None)
    since = local >= pd.Timestamp(min(pilot.starts.values()))
    chosen = calls["call_type"].isin(codes) & calls["area"].isin(pilot.areas) & since
    counts = calls.loc[chosen, "disposition"].dropna().astype(str).value_counts()
    return [str(d) for d in counts.index[:limit]]


def save_results(workspace: Workspace, results: Results, *, user: str | None = None) -> int:
    """Save the evaluation as a new version of ``pilot_results``; returns the version."""
    document = {
        "schema_version": SCHEMA_VERSION,
        **results.to_dict(),
        BASIS_KEY: basis(workspace, DECISION_NAME),
    }
    latest = workspace.decisions.latest(DECISION_NAME)
    return workspace.decisions.save(
        DECISION_NAME,
        _json_ready(document),
        base_version=latest.version if latest is not None else None,
        step=STEP,
        user=user,
    )


def _json_ready(value: Any) -> Any:
    """Numbers from numpy as plain floats and ints; not-a-number as null."""
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return _finite(float(value))
    return value
