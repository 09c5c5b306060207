"""The canonical calls-for-service schema every import produces and every step reads.

CAD exports differ from city to city; import maps them onto these columns so that
the rest of the kit never sees a city's own headers. Times are stored as
timezone-aware timestamps in the jurisdiction's own time zone, so that hour of
day and weekday mean what residents and dispatchers mean by them.
"""

from __future__ import annotations

from typing import Final

import pyarrow as pa

CALL_COLUMNS: Final[tuple[str, ...]] = (
    "call_id",
    "received_at",
    "call_type",
    "call_type_desc",
    "priority",
    "area",
    "block",
    "dispatched_at",
    "arrived_at",
    "cleared_at",
    "units",
    "unit_hours",
    "disposition",
    "initiated_by",
    "lat",
    "lon",
)

TIME_COLUMNS: Final[tuple[str, ...]] = ("received_at", "dispatched_at", "arrived_at", "cleared_at")

# Only these must be present (call_type may be replaced by call_type_desc).
REQUIRED: Final[tuple[str, ...]] = ("received_at", "call_type")

INITIATED_BY: Final[tuple[str, ...]] = ("911", "officer", "alarm", "other")

DESCRIPTIONS: Final[dict[str, str]] = {
    "call_id": "CAD incident or event number; one call may have several unit rows in an export.",
    "received_at": "When the call was received or the officer-initiated event was created.",
    "call_type": "The CAD call-type code (or description when the export has no code).",
    "call_type_desc": "The call type's description as the CAD system writes it.",
    "priority": "Dispatch priority as exported (text, since systems use 1-9, A-E or words).",
    "area": "District, precinct, beat or neighbourhood used for by-area figures.",
    "block": "Block-level address (house number coarsened to the hundred block).",
    "dispatched_at": "When the first unit was dispatched.",
    "arrived_at": "When the first unit arrived.",
    "cleared_at": "When the last unit cleared the call.",
    "units": "How many units responded.",
    "unit_hours": "Time committed summed over responding units, in hours; blank when impossible.",
    "disposition": "The call's outcome as exported.",
    "initiated_by": "How the call started: 911 (public), officer, alarm or other.",
    "lat": "Latitude rounded to about 100 m; blank when missing or a placeholder.",
    "lon": "Longitude rounded to about 100 m; blank when missing or a placeholder.",
}


#: Each column in a few plain words, for messages that name columns.
COLUMN_WORDS: Final[dict[str, str]] = {
    "call_id": "call numbers",
    "received_at": "received times",
    "call_type": "call types",
    "call_type_desc": "call-type descriptions",
    "priority": "priorities",
    "area": "areas",
    "block": "block addresses",
    "dispatched_at": "dispatch times",
    "arrived_at": "arrival times",
    "cleared_at": "clear times",
    "units": "units per call",
    "unit_hours": "unit hours",
    "disposition": "dispositions",
    "initiated_by": "how calls started",
    "lat": "latitudes",
    "lon": "longitudes",
}


def arrow_schema(timezone: str) -> pa.Schema:
    """The Parquet schema of a workspace's calls table for a jurisdiction's time zone."""
    ts = pa.timestamp("us", tz=timezone)
    types: dict[str, pa.DataType] = {
        "call_id": pa.string(),
        "received_at": ts,
        "call_type": pa.string(),
        "call_type_desc": pa.string(),
        "priority": pa.string(),
        "area": pa.string(),
        "block": pa.string(),
        "dispatched_at": ts,
        "arrived_at": ts,
        "cleared_at": ts,
        "units": pa.int32(),
        "unit_hours": pa.float64(),
        "disposition": pa.string(),
        "initiated_by": pa.string(),
        "lat": pa.float64(),
        "lon": pa.float64(),
    }
    return pa.schema([pa.field(name, types[name]) for name in CALL_COLUMNS])
