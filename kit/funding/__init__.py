"""Step 03: what moving calls frees, what the alternative service costs, and how to pay for it.

A council asks three questions of a plan that sends some calls to civilian responders:
how much police time does it free (and what is that worth), what does the new service cost
to run around the clock, and where does the money come from. This package answers them from
the role assignments saved in step 02 (through :func:`kit.roles.flow`, the one place that
turns assignments into handled calls and officer hours), the staffing maths in
:mod:`kit.staffing`, editable cost defaults with their sources (``templates/funding/``), and
the funding sources a city enters.

The net effect is shown two ways because cities choose between them: the *value* of officer
hours freed and redeployed to other police work (no cash moves), or the *budget* actually
saved if the positions those hours represent are not refilled (only whole positions can be
left empty).

One module per concern, as in :mod:`kit.roles`: ``defaults`` (the shipped JSON files, read in
one function), ``costs``, ``sources`` (funding and the gap), ``staffing_plans`` (one field
responder's teams, shifts and cost), ``evaluation`` (a plan worked through), ``scenarios``,
``document`` (the saved decision and what step 03 reads from a workspace), ``sensitivity``
and ``reverse`` (the reverse scenario). Every public name is exported here.
"""

from __future__ import annotations

from kit.funding.costs import (
    FLEET_ASSUMPTION,
    Costs,
    Member,
    NetEffect,
    ResponderCosts,
    ServiceBudget,
    cost_figures,
    cost_value,
    default_costs,
    dispatch_budget,
    field_responder_budget,
    net_effect,
    officer_hourly_cost,
    per_call_budget,
    with_cost,
)
from kit.funding.defaults import TEMPLATES, load_template
from kit.funding.document import (
    DECISION_NAME,
    SCHEMA_VERSION,
    Inputs,
    check_document,
    default_document,
    document_for,
    load_inputs,
    settings_from_document,
)
from kit.funding.evaluation import (
    DEFAULT_TARGET,
    PER_CALL_RESPONDERS,
    TRAVEL_HELP,
    Evaluation,
    Plan,
    Settings,
    coverage_form,
    evaluate,
    freed_by_area,
    hours_between,
    plan_key,
    unit_minutes,
)
from kit.funding.reverse import ReverseScenario, reverse_scenario
from kit.funding.scenarios import (
    check_scenario,
    compare_scenarios,
    evaluate_scenario,
    scenario_plan,
    template_scenarios,
)
from kit.funding.sensitivity import SENSITIVITY, sensitivity
from kit.funding.sources import (
    ARPA_9813_END,
    ARPA_9813_START,
    FundingSource,
    arpa_enhanced_match_possible,
    funding_checklist,
    funding_gap,
)
from kit.funding.staffing_plans import FIELD_RESPONDERS, ResponderStaffing, staff_responder

__all__ = [
    "ARPA_9813_END",
    "ARPA_9813_START",
    "DECISION_NAME",
    "DEFAULT_TARGET",
    "FIELD_RESPONDERS",
    "FLEET_ASSUMPTION",
    "PER_CALL_RESPONDERS",
    "SCHEMA_VERSION",
    "SENSITIVITY",
    "TEMPLATES",
    "TRAVEL_HELP",
    "Costs",
    "Evaluation",
    "FundingSource",
    "Inputs",
    "Member",
    "NetEffect",
    "Plan",
    "ResponderCosts",
    "ResponderStaffing",
    "ReverseScenario",
    "ServiceBudget",
    "Settings",
    "arpa_enhanced_match_possible",
    "check_document",
    "check_scenario",
    "compare_scenarios",
    "cost_figures",
    "cost_value",
    "coverage_form",
    "default_costs",
    "default_document",
    "dispatch_budget",
    "document_for",
    "evaluate",
    "evaluate_scenario",
    "field_responder_budget",
    "freed_by_area",
    "funding_checklist",
    "funding_gap",
    "hours_between",
    "load_inputs",
    "load_template",
    "net_effect",
    "officer_hourly_cost",
    "per_call_budget",
    "plan_key",
    "reverse_scenario",
    "scenario_plan",
    "sensitivity",
    "settings_from_document",
    "staff_responder",
    "template_scenarios",
    "unit_minutes",
    "with_cost",
]
