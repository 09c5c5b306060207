"""A section of the brief per step, from what that step saved in the workspace.

Each builder reads the step's saved decision and works its figures out through the same
domain functions the step's page and its command use, so the brief never disagrees with
them. A step with nothing saved gives a section that says so and what to do, never an error.
Each section also carries the one-page summary's sentences it answers for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from kit import funding
from kit.brief.parts import Section, Table, suppressed_words, yearly
from kit.community.definition import DECISION_NAME as SAFETY_DECISION
from kit.community.definition import format_value
from kit.funding_figures import area_rows, default_years, gap_rows
from kit.labels import RESPONDER_LABELS, RESPONDER_SHORT_LABELS, money
from kit.roles.charter import build_charter
from kit.roles.figures import PlanFigures, plan_figures

if TYPE_CHECKING:
    from kit.workspace import Workspace

SAFETY: Final = "What safety means here"
MOVES: Final = "What moves off police, and to whom"
MONEY: Final = "Hours and money"
STAFFING: Final = "Staffing for around-the-clock cover"
PILOT: Final = "The pilot and how it will be judged"

#: Step 04's decisions, read by name: the pilot's design before it starts, its results after.
PILOT_DECISIONS: Final = ("pilot_design", "pilot_results")


def not_done(step: str, title: str, what: str, headings: tuple[str, ...] = ()) -> Section:
    """A step with nothing saved yet: listed, with what to do, in its section and the summary."""
    line = f"Not done yet: {what}"
    return Section(step, title, False, [line], summary=[(h, line) for h in headings])


def setup_section(ws: Workspace) -> Section:
    """Step 00: the jurisdiction, its areas and the calls the figures rest on."""
    profile = ws.profile
    report = ws.read_json("import_report") or {}
    held = int(report.get("calls_held", 0))
    lines = [
        f"{profile.name}: {profile.population:,} residents in {len(profile.areas)} areas.",
        f"{held:,} calls for service are held from the export."
        if held
        else "No calls have been imported yet.",
    ]
    areas = Table(
        "areas",
        "Areas and who lives there",
        (
            ("area", "Area", "text"),
            ("population", "Residents", "count"),
            ("residents_of_colour", "Residents of colour", "pct"),
            ("median_household_income", "Median household income", "money"),
        ),
        [
            {
                "area": a.name,
                "population": a.population,
                "residents_of_colour": None if a.share_white_nh is None else 1 - a.share_white_nh,
                "median_household_income": a.median_household_income,
            }
            for a in profile.areas
        ],
    )
    return Section("00", "Set up", bool(held), lines, [areas])


def community_section(ws: Workspace, small_count: int) -> Section:
    """Step 01: the goals the community set, each with its metric, baseline now and target."""
    saved = ws.decisions.latest(SAFETY_DECISION)
    goals = list(saved.document.get("goals", [])) if saved else []
    if not goals:
        return not_done(
            "01", "Define safety with the community", "step 01 has no goals saved.", (SAFETY,)
        )
    rows, by_area = [], []
    for number, goal in enumerate(goals, start=1):
        base, unit = goal["baseline"], goal["unit"]
        rows.append(
            {
                "number": number,
                "goal": goal["text"],
                "metric": goal["label"],
                "now": format_value(base["value"], unit),
                "target": format_value(goal["target"], unit),
                "better": goal["better"],
            }
        )
        for area, cell in base["by_area"].items():
            shown = (
                suppressed_words(small_count)
                if 0 < cell["count"] < small_count
                else format_value(cell["value"], unit)
            )
            by_area.append({"number": number, "area": area or "no area", "now": shown})
    goals_table = Table(
        "goals",
        "The community's goals",
        (
            ("number", "Goal", "text"),
            ("goal", "In the community's words", "text"),
            ("metric", "Measured by", "text"),
            ("now", "Now", "text"),
            ("target", "Target", "text"),
            ("better", "Better is", "text"),
        ),
        rows,
    )
    area_table = Table(
        "goals_by_area",
        "Each goal's measure now, by area",
        (("number", "Goal", "text"), ("area", "Area", "text"), ("now", "Now", "text")),
        by_area,
    )
    said = "; ".join(
        f"{r['goal']} ({r['metric']}: now {r['now']}, target {r['target']})" for r in rows
    )
    return Section(
        "01",
        "Define safety with the community",
        True,
        [f"The community set {len(rows)} goal{'s' if len(rows) != 1 else ''}."],
        [goals_table, area_table],
        summary=[(SAFETY, said)],
    )


def roles_section(
    inputs: funding.Inputs, ws: Workspace, small_count: int
) -> tuple[Section, PlanFigures | None]:
    """Step 02: what moves off police and to whom, the path of a call, what police keep."""
    if not inputs.roles_saved:
        section = not_done(
            "02", "Delineate police roles", "step 02 has no role assignments saved.", (MOVES,)
        )
        return section, None
    doc = inputs.roles
    cube = inputs.cube
    figures = plan_figures(cube, doc, ws.profile.areas, threshold_pp=doc["equity_threshold_pp"])
    s = figures.summary
    years = s["years"]
    charter = build_charter(cube, doc, small_count)

    def calls(per_year: float) -> float | str:
        return yearly(per_year, years, small_count)

    path = Table(
        "path_of_a_call",
        "The path of a call, a year",
        (("stage", "Stage", "text"), ("calls", "Calls a year", "count")),
        [
            {"stage": "All calls", "calls": calls(s["calls_per_year"])},
            {"stage": "Eligible for another responder", "calls": calls(s["eligible_per_year"])},
            {"stage": "Routed to it", "calls": calls(s["routed_per_year"])},
            {"stage": "Handled by it", "calls": calls(s["handled_per_year"])},
            {"stage": "Handled without police", "calls": calls(s["without_police_per_year"])},
        ],
        "Eligible, routed and handled are kept apart: public figures often mix them up.",
    )
    moves = Table(
        "moves",
        "What moves, to whom",
        (
            ("responder", "Responder", "text"),
            ("call_types", "Call types", "text"),
            ("routed", "Routed a year", "count"),
            ("handled", "Handled a year", "count"),
            ("hours_freed", "Officer hours freed a year", "count"),
        ),
        [
            {
                "responder": m["label"],
                "call_types": ", ".join(c["name"] for c in m["call_types"][:6])
                + (f" and {len(m['call_types']) - 6} more" if len(m["call_types"]) > 6 else ""),
                "routed": calls(m["routed_per_year"]),
                "handled": calls(m["handled_per_year"]),
                "hours_freed": round(m["officer_hours_freed_per_year"]),
            }
            for m in charter["moves"]
        ],
    )
    families = Table(
        "police_keep",
        "What police keep, by kind of call",
        (
            ("family", "Kind of call", "text"),
            ("officer_hours", "Officer hours a year", "count"),
            ("hours_freed", "Hours freed a year", "count"),
            ("share_kept", "Share of the hours police keep", "pct"),
        ),
        [
            {
                "family": f["label"],
                "officer_hours": round(f["officer_hours_per_year"]),
                "hours_freed": round(f["freed_hours_per_year"]),
                "share_kept": round(f["share_of_police_hours"], 4),
            }
            for f in figures.families
        ],
    )
    without = calls(s["without_police_per_year"])
    to_whom = ", ".join(
        f"{RESPONDER_SHORT_LABELS[r['responder']].lower()} {_words(calls(r['without_police']))}"
        for r in s["responders"]
    )
    said = (
        f"{_words(without)} calls a year would be handled without police "
        f"(freeing {s['freed_share']:.0%} of officer hours, "
        f"{s['officers_freed']:.1f} officers' worth)" + (f": {to_whom}." if to_whom else ".")
    )
    lines = [
        said,
        f"Figures are yearly averages over {years:.1f} years of calls.",
    ]
    if s["hours_estimated"]:
        lines.append(
            "The export had no durations: officer hours are estimated from minutes per call."
        )
    chart = [{"stage": r["stage"], "calls": r["calls"]} for r in path.rows]
    return (
        Section(
            "02",
            "Delineate police roles",
            True,
            lines,
            [path, moves, families],
            {"path": chart},
            summary=[(MOVES, said)],
        ),
        figures,
    )


def _words(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:,.0f}"


def funding_section(
    inputs: funding.Inputs, ws: Workspace, small_count: int
) -> tuple[Section, list[dict[str, Any]]]:
    """Step 03: hours and money freed, the staffing around the clock, costs and who pays.

    Also gives the hours freed by area for the equity section (empty when not done).
    """
    saved = ws.decisions.latest(funding.DECISION_NAME)
    if saved is None:
        section = not_done(
            "03", "Identify funding", "step 03 has no funding scenario saved.", (MONEY, STAFFING)
        )
        return section, []
    doc = funding.check_document(saved.document)
    settings = funding.settings_from_document(doc, inputs)
    result = funding.evaluate_scenario(inputs, doc, settings)
    s = result.summary()
    by_area = area_rows(result, ws.profile.areas, threshold_pp=doc["equity_threshold_pp"])
    years = doc["years"] or default_years(inputs.fiscal_year_start)
    gap = gap_rows(inputs, s, doc["funding_sources"], years)
    money_table = Table(
        "hours_and_money",
        f"Hours and money a year: scenario {s['scenario']}",
        (("what", "", "text"), ("value", "A year", "text")),
        [
            {"what": "Officer hours freed", "value": f"{s['hours_freed']:,.0f}"},
            {"what": "Officers' worth", "value": f"{s['fte_freed']:.1f}"},
            {"what": "Value of the hours if redeployed", "value": money(s["value_of_hours"])},
            {"what": "The new service's cost", "value": money(s["service_cost"])},
            {"what": "Start-up cost (once)", "value": money(s["start_up_cost"])},
            {"what": "Net if the hours are redeployed", "value": money(s["net_if_redeployed"])},
            {"what": "Net if positions are not refilled", "value": money(s["net_if_not_refilled"])},
        ],
    )
    staffing = Table(
        "staffing",
        "Staffing for around-the-clock cover",
        (
            ("responder", "Responder", "text"),
            ("calls", "Calls a year", "count"),
            ("teams_at_peak", "Teams at peak", "count"),
            ("shifts", "Shifts a week", "count"),
            ("headcount", "People", "number"),
            ("cost", "Cost a year", "money"),
        ),
        [
            {
                "responder": RESPONDER_LABELS.get(name, name),
                "calls": yearly(r["calls_per_year"], s["years"], small_count),
                "teams_at_peak": r["teams_at_peak"],
                "shifts": r["shifts_per_week"],
                "headcount": round(r["headcount"], 1),
                "cost": round(r["cost_per_year"]),
            }
            for name, r in s["responders"].items()
        ],
        f"Target: {doc['target']['share']:.0%} of calls reached within "
        f"{doc['target']['minutes']:g} minutes, "
        f"{doc['target']['travel_minutes']:g} of them travel. "
        f"{s['people_per_post_around_the_clock']:.1f} people per post staffed around the clock.",
    )
    gap_table = Table(
        "funding_gap",
        "Cost against money secured, by fiscal year",
        (
            ("year", "Fiscal year", "text"),
            ("cost", "Cost", "money"),
            ("secured", "Secured", "money"),
            ("pending", "Applied for or hoped", "money"),
            ("gap", "Gap", "money"),
        ),
        [
            {
                "year": row["year"],
                **{k: round(row[k]) for k in ("cost", "secured", "pending", "gap")},
            }
            for row in gap
        ],
    )
    said_money = (
        f"Scenario {s['scenario']}: {s['hours_freed']:,.0f} officer hours a year freed "
        f"({s['fte_freed']:.1f} officers' worth); the new service costs {money(s['service_cost'])} "
        f"a year; net {money(s['net_if_redeployed'])} if the hours are redeployed, "
        f"{money(s['net_if_not_refilled'])} if positions are not refilled."
    )
    crews = "; ".join(
        f"{RESPONDER_SHORT_LABELS.get(name, name)}: {r['teams_at_peak']} teams at peak, "
        f"{r['headcount']:.1f} people, {money(r['cost_per_year'])} a year"
        for name, r in s["responders"].items()
    )
    said_staff = crews + "." if crews else "No field responder to staff in this scenario."
    teams = {name: r["teams_by_hour"] for name, r in s["responders"].items()}
    return (
        Section(
            "03",
            "Identify funding",
            True,
            [said_money, s["fleet"]] if s["fleet"] else [said_money],
            [money_table, staffing, gap_table],
            {"teams": teams},
            summary=[(MONEY, said_money), (STAFFING, said_staff)],
        ),
        by_area,
    )
