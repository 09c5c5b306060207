"""Matching a CAD export's headers to the canonical call columns.

Each city names the same thing differently (``TimeCreate``, ``CREATE_TIME_INCIDENT``,
``call_timestamp``, ``callDateTime`` ...). Headers are compared after removing case,
spaces and punctuation, against aliases taken from published open-data exports
(New Orleans, Seattle, Detroit, Cincinnati, Baltimore, San Francisco, Los Angeles).
When a sample of values is given, a header is only matched if its values fit the
role: a "dispatchtime" column holding minutes is not a timestamp, and Seattle's
"Call Type" column (911 / ONVIEW / ALARM CALL) says how the call came in, not what
it was about. The user can override any match.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd
import pyarrow as pa

from kit.data.schema import CALL_COLUMNS
from kit.data.times import detect_formats, parse_times

# Input roles that are not canonical columns but feed them.
EXTRA_ROLES: Final[tuple[str, ...]] = (
    "unit_id",
    "self_initiated",
    "disposition_code",
    "location",
    "travel_minutes",
    "on_scene_minutes",
)
# unit_hours is always computed from the times, so it is not matched to a header.
ROLES: Final[tuple[str, ...]] = tuple(c for c in CALL_COLUMNS if c != "unit_hours") + EXTRA_ROLES

ROLE_DESCRIPTIONS: Final[dict[str, str]] = {
    "unit_id": "Responding unit or call sign, when the export has one row per unit.",
    "self_initiated": "A yes/no flag for officer-initiated calls (New Orleans, Detroit).",
    "disposition_code": "A short disposition code next to the disposition text.",
    "location": "A point such as 'POINT (-90.07 29.95)' or '(29.95, -90.07)'.",
    "travel_minutes": "Minutes from dispatch to arrival (used for unit time without a clear time).",
    "on_scene_minutes": "Minutes on scene (used for unit time without a clear time).",
}

# Aliases in order of preference, already normalised (lower case, letters and digits only).
ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "call_id": (
        "nopditem", "itemnumber", "item", "cadeventnumber", "cadeventid", "eventnumber",
        "cadnumber", "cadincidentnumber", "incidentid", "incidentnumber", "callnumber",
        "callid", "eventid", "eventno", "innum", "incidentno", "callno", "cfsnumber", "cfsid",
        "masterincidentnumber", "id",
    ),
    "received_at": (
        "timecreate", "createtimeincident", "originaltimequeued", "cadeventoriginaltimequeued",
        "calltimestamp", "calldatetime", "receiveddatetime", "receivedtime", "timereceived",
        "receivedat", "received", "callreceived", "calltime", "createtime", "createdtime",
        "createdat", "calldate", "eventdatetime", "eventtime", "incidentdatetime", "datetime",
        "eventfirstdispatchtimeattr",
    ),
    "call_type": (
        "type", "finalcalltype", "calltypefinal", "incidenttypeid", "callcode",
        "naturecode", "finaltype", "calltypecode", "casetypefinal", "calltype", "incidenttype",
        "eventtype", "nature", "problem", "casetypefinaldesc", "calltypefinaldesc",
    ),
    "call_type_desc": (
        "typetext", "incidenttypedesc", "calldescription", "calltypefinaldesc",
        "finalcalltypedescription", "calltypetext", "casetypefinaldesc", "typedescription",
        "naturedescription", "incidentdescription", "calltypedescription", "description",
    ),
    "priority": (
        "priority", "priorityfinal", "finalpriority", "callpriority", "callprioritycode",
        "prioritycode", "initialpriority", "priorityoriginal",
    ),
    "area": (
        "district", "policedistrict", "precinct", "precinctsca", "areaocc", "area", "division",
        "zone", "sector", "beat", "cpdneighborhood", "snaneighborhood", "neighborhood",
        "analysisneighborhood", "councildistrict",
    ),
    "block": (
        "blockaddress", "block", "blocklocation", "incidentaddress", "addressx", "address",
        "incidentlocation", "dispatchaddress", "intersectionname", "streetaddress", "location",
    ),
    "dispatched_at": (
        "timedispatch", "dispatchtimeprimaryunit", "dispatchdatetime", "dispatchtime",
        "timedispatched", "dispatchedtime", "dispatchedat", "firstdispatchtime",
    ),
    "arrived_at": (
        "timearrive", "timearrival", "arrivaltimeprimaryunit", "arrivedtime", "arrivaltime",
        "timearrived", "onscenedatetime", "onscenetime", "arrivedat", "firstarrivaltime",
    ),
    "cleared_at": (
        "timeclosed", "closedtimeincident", "cleartime", "clearedtime", "timecleared",
        "closedatetime", "closetime", "closedtime", "clearedat", "timeclear", "completedtime",
        "unitcleartime", "clear",
    ),
    "units": ("units", "numberofunits", "unitcount", "nunits", "unitsassigned", "numunits"),
    "disposition": (
        "dispositiontext", "eventclearancedescription", "clearbydesc", "finaldisposition",
        "disposition", "clearancedescription", "closecode", "clearancecode",
    ),
    "initiated_by": (
        "callsource", "howreceived", "source", "callorigin", "initiatedby", "callreceivedvia",
        "calltype", "calltypedesc",
    ),
    "lat": ("latitude", "latitudex", "lat", "dispatchblurredlatitude", "latitudeblurred"),
    "lon": (
        "longitude", "longitudex", "lon", "long", "lng", "dispatchblurredlongitude",
        "longitudeblurred",
    ),
    "unit_id": (
        "unitid", "respondingunit", "unit", "callsign", "primaryunit", "unitnumber",
        "officerserialnum",
    ),
    "self_initiated": ("selfinitiated", "officerinitiated", "onviewflag", "onview", "selfinit"),
    "disposition_code": ("disposition", "dispositioncode", "dispcode", "clearancecode"),
    "location": ("location", "geolocation", "intersectionpoint", "point", "location1", "geom"),
    "travel_minutes": ("traveltime",),
    "on_scene_minutes": ("timeonscene", "onsceneminutes"),
}  # fmt: skip

# Values of a "call type" column that are really how the call came in (keys as source_key gives).
SOURCE_VALUES: Final[dict[str, str]] = {
    "911": "911", "e911": "911", "e 911": "911", "9 1 1": "911", "911 call": "911",
    "emergency": "911", "telephone other not 911": "911", "telephone": "911", "phone": "911",
    "non emergency": "911", "nonemergency": "911", "text": "911", "text to 911": "911",
    "walk in": "911", "in person": "911", "online": "other",
    "onview": "officer", "on view": "officer", "self initiated": "officer", "officer": "officer",
    "officer initiated": "officer", "field initiated": "officer", "proactive": "officer",
    "alarm": "alarm", "alarm call": "alarm", "alarm company": "alarm",
}  # fmt: skip

_POINT_LIKE = re.compile(r"^\s*(POINT\s*\(|\(\s*-?\d)", re.IGNORECASE)


def normalise(header: str) -> str:
    """A header reduced to lower-case letters and digits, for matching aliases."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def source_key(value: str) -> str:
    """A source value as plain lower-case words, e.g. "telephone other not 911"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())


def looks_like_source(values: pd.Series) -> bool:
    """Whether a column's few distinct values say how calls came in (911, on-view, alarm)."""
    distinct = pd.Series(values.dropna().astype(str).map(source_key).unique())
    distinct = distinct[distinct != ""]
    if distinct.empty or len(distinct) > 12:
        return False
    return bool(distinct.isin(list(SOURCE_VALUES)).mean() >= 0.6)


# Headers that name the call's source in some cities and its kind in others.
_NEEDS_EVIDENCE: Final[frozenset[str]] = frozenset({"calltype", "calltypedesc"})


def _fits(role: str, values: pd.Series | None) -> bool:
    """Whether a sample of a column's values fits the role (True when there is no sample)."""
    if values is None:
        return True
    sample = values.dropna().astype(str).str.strip()
    sample = sample[sample != ""]
    if sample.empty:
        return True
    if role in ("received_at", "dispatched_at", "arrived_at", "cleared_at"):
        values = pa.array(sample.head(200).tolist(), pa.string())
        formats = detect_formats(values, "UTC")
        if not formats:
            return False
        return bool(parse_times(values, "UTC").values.null_count <= len(values) / 2)
    if role in ("call_type", "call_type_desc"):
        return not looks_like_source(sample)
    if role == "initiated_by":
        return looks_like_source(sample)
    if role == "location":
        return bool(sample.str.match(_POINT_LIKE).mean() >= 0.5)
    if role == "block":
        return not bool(sample.str.match(_POINT_LIKE).mean() >= 0.5)
    if role in ("travel_minutes", "on_scene_minutes", "units"):
        return bool(pd.to_numeric(sample, errors="coerce").notna().mean() >= 0.5)
    return True


def suggest_mapping(
    headers: list[str], sample: pd.DataFrame | None = None
) -> dict[str, str | None]:
    """Canonical role -> the source header that fills it (None when no header fits).

    A header fills at most one role; roles are matched in a fixed order so that,
    for example, a "Disposition" header next to "DispositionText" becomes the code.
    """
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalise(header), header)
    used: set[str] = set()
    mapping: dict[str, str | None] = dict.fromkeys(ROLES)
    order = (
        "call_id", "received_at", "dispatched_at", "arrived_at", "cleared_at", "initiated_by",
        "call_type_desc", "call_type", "priority", "disposition", "disposition_code",
        "unit_id", "self_initiated", "lat", "lon", "location", "block", "area", "units",
        "travel_minutes", "on_scene_minutes",
    )  # fmt: skip
    for role in order:
        for alias in ALIASES[role]:
            header = by_norm.get(alias)
            if header is None or header in used:
                continue
            values = sample[header] if sample is not None and header in sample else None
            if role == "initiated_by" and alias in _NEEDS_EVIDENCE and values is None:
                continue
            if not _fits(role, values):
                continue
            mapping[role] = header
            used.add(header)
            break
    if mapping["call_type"] is None and mapping["call_type_desc"] is not None:
        # a description alone is the call type (Baltimore's "description")
        mapping["call_type"], mapping["call_type_desc"] = mapping["call_type_desc"], None
    return mapping
