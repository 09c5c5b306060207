"""Step 02, delineate police roles: the call-type inventory and the path of a call.

The public names other steps use are re-exported here: :data:`RESPONDERS`,
:func:`build_cube` (aggregate calls once) and :func:`flow` (the one function that turns
role assignments into eligible, routed, handled and handled-without-police calls and hours).
"""

from kit.roles.assignments import (
    ALTERNATIVES,
    ASSUMPTION_SOURCES,
    DECISION_NAME,
    DEFAULT_ASSUMPTIONS,
    PRODUCTIVE_HOURS_PER_OFFICER,
    RESPONDER_LABELS,
    RESPONDERS,
    SCHEMA_VERSION,
    check_assignments,
    check_assumptions,
    check_document,
    new_document,
)
from kit.roles.cube import Cube, build_cube, officer_hours
from kit.roles.flow import BY_KEYS, FLOW_COLUMNS, flow, flow_values, totals, totals_values

__all__ = [
    "ALTERNATIVES",
    "ASSUMPTION_SOURCES",
    "BY_KEYS",
    "DECISION_NAME",
    "DEFAULT_ASSUMPTIONS",
    "FLOW_COLUMNS",
    "PRODUCTIVE_HOURS_PER_OFFICER",
    "RESPONDERS",
    "RESPONDER_LABELS",
    "SCHEMA_VERSION",
    "Cube",
    "build_cube",
    "check_assignments",
    "check_assumptions",
    "check_document",
    "flow",
    "flow_values",
    "new_document",
    "officer_hours",
    "totals",
    "totals_values",
]
