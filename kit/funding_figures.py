"""Step 03 worked out whole for one scenario: the figures its page and page to print show.

The step's model works these out piece by piece as a person changes assumptions (the
side-by-side, sensitivity and reverse figures only when asked for); ``kit funding --page``
works them all out at once with :func:`work_out`. Both go through the functions here, over
:mod:`kit.funding`, so a page printed from the app or from the command line shows the same
figures, and the command line never needs the app's code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from kit import funding
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.workspace import Workspace


@dataclass(frozen=True)
class FundingFigures:
    """What step 03 shows for the scenario ``document["active"]`` of a checked document."""

    document: Mapping[str, Any]
    roles_saved: bool
    summary: Mapping[str, Any]
    by_area: list[dict[str, Any]]
    gap: list[dict[str, Any]]
    #: Empty until worked out (the page leaves them to a button).
    comparison: list[dict[str, Any]] = field(default_factory=list)
    tornado: list[dict[str, Any]] = field(default_factory=list)
    reverse: Mapping[str, Any] = field(default_factory=dict)


def default_years(fiscal_year_start: int, today: date | None = None) -> list[int]:
    """The next three fiscal years (named by the calendar year each ends in)."""
    today = today or date.today()
    current = today.year + (1 if fiscal_year_start > 1 and today.month >= fiscal_year_start else 0)
    return [current + 1, current + 2, current + 3]


def area_rows(
    result: funding.Evaluation, areas: Iterable[Any], *, threshold_pp: float
) -> list[dict[str, Any]]:
    """Hours freed per area beside the area's demographics, JSON-ready (NaN becomes None);
    areas further than ``threshold_pp`` points from the citywide share are flagged."""
    frame = funding.freed_by_area(result, areas, threshold_pp=threshold_pp)
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def gap_rows(
    inputs: funding.Inputs,
    summary: Mapping[str, Any],
    sources: Iterable[Mapping[str, Any]],
    years: list[int],
) -> list[dict[str, Any]]:
    """Year by year: the service's cost against the money entered."""
    frame = funding.funding_gap(
        [funding.FundingSource.from_dict(s) for s in sources],
        summary["service_cost"],
        years,
        start_up_cost=summary["start_up_cost"],
        fiscal_year_start_month=inputs.fiscal_year_start,
    )
    return frame.to_dict("records")


def comparison_rows(
    inputs: funding.Inputs, doc: Mapping[str, Any], settings: funding.Settings
) -> list[dict[str, Any]]:
    """Every scenario of the document side by side."""
    return funding.compare_scenarios(inputs, doc, settings).to_dict("records")


def sensitivity_rows(
    inputs: funding.Inputs, result: funding.Evaluation, settings: funding.Settings
) -> list[dict[str, Any]]:
    """Net effect at the ends of each assumption's range (tornado data)."""
    return funding.sensitivity(inputs.cube, result.plan, settings).to_dict("records")


def police_budget(inputs: funding.Inputs) -> float | None:
    """The latest fiscal year's police budget from the budget table (None without one)."""
    year = inputs.latest_budget_year()
    if year is None or year.get("total", 0) <= 0:
        return None
    return float(year["total"])


def reverse_figures(
    inputs: funding.Inputs, settings: funding.Settings, budget_cut: float
) -> dict[str, Any]:
    """What must move, with what staffing, to keep service with a smaller police budget."""
    budget = police_budget(inputs)
    if budget is None:
        raise KitError(
            "The reverse scenario needs the police budget: import the budget table "
            "(templates/budget_template.csv) in step 00."
        )
    result = funding.reverse_scenario(
        inputs.cube, inputs.roles, settings, budget_cut=budget_cut, police_budget=budget
    )
    return result.summary()


def choose_scenario(doc: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The document with ``name`` as the scenario shown; a name it lacks is refused plainly."""
    names = [s["name"] for s in doc["scenarios"]]
    if name not in names:
        raise KitError(f"There is no scenario named {name!r}; choose one of: {', '.join(names)}.")
    return {**doc, "active": name}


def work_out(workspace: Workspace, *, scenario: str = "") -> FundingFigures:
    """Everything step 03 shows for the saved (or default) decision, worked out at once."""
    inputs = funding.load_inputs(workspace)
    doc = funding.document_for(workspace, inputs)
    if scenario:
        doc = choose_scenario(doc, scenario)
    settings = funding.settings_from_document(doc, inputs)
    result = funding.evaluate_scenario(inputs, doc, settings)
    summary = result.summary()
    years = doc["years"] or default_years(inputs.fiscal_year_start)
    budget = police_budget(inputs)
    return FundingFigures(
        document=doc,
        roles_saved=inputs.roles_saved,
        summary=summary,
        by_area=area_rows(result, workspace.profile.areas, threshold_pp=doc["equity_threshold_pp"]),
        gap=gap_rows(inputs, summary, doc["funding_sources"], years),
        comparison=comparison_rows(inputs, doc, settings),
        tornado=sensitivity_rows(inputs, result, settings),
        reverse=(
            {}
            if budget is None
            else reverse_figures(inputs, settings, doc["reverse"]["budget_cut"])
        ),
    )
