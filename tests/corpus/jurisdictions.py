"""Published CAD export headers of real jurisdictions, with the mapping a person would choose.

Each entry keeps a jurisdiction's export header exactly as published (the source is
cited beside it; where the source shows only part of the header, only that part is
kept) and the columns a careful analyst would map to each role. The values are not
the jurisdiction's: ``frame()`` generates a few seeded rows in the export's shape
(same kinds of values, same time formats as far as the source shows them).

Entries marked ``held_out`` were written down before the matcher was measured on
them and were not looked at while it was developed; their figures are reported
separately (docs/data_dictionary.md).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit.data.mapping import ROLES, match_columns
from kit.data.schema import REQUIRED

ROWS = 60
START = pd.Timestamp("2023-03-01 00:00:00")

# Minutes after the call was received at which each moment of a call happens.
OFFSETS: dict[str, float] = {
    "occurred": -3, "call911": -0.5, "received": 0, "entry": 0.5, "dispatched": 4,
    "enroute": 6, "arrived": 12, "cleared": 55, "closed_day": 3 * 1440, "loaded": 9 * 1440,
}  # fmt: skip

CALL_TYPES = [
    ("415", "DISTURBANCE", "DISORDER"),
    ("459", "BURGLARY", "PROPERTY"),
    ("10851", "STOLEN VEHICLE", "PROPERTY"),
    ("1033A", "ALARM", "ALARM"),
    ("902", "MEDICAL AID", "MEDICAL"),
    ("1154", "SUSPICIOUS VEHICLE", "SUSPICIOUS"),
    ("SUSP", "SUSPICIOUS PERSON", "SUSPICIOUS"),
    ("TRAF", "TRAFFIC HAZARD", "TRAFFIC"),
    ("WELF", "WELFARE CHECK", "SERVICE"),
    ("THEFT", "THEFT REPORT", "PROPERTY"),
    ("NOISE", "LOUD MUSIC", "DISORDER"),
    ("DV", "DOMESTIC DISPUTE", "VIOLENT"),
]
DISPOSITIONS = [
    ("RPT", "REPORT TAKEN"),
    ("ARR", "ARREST MADE"),
    ("GOA", "GONE ON ARRIVAL"),
    ("ADV", "ADVISED"),
    ("CIT", "CITATION ISSUED"),
    ("UTL", "UNABLE TO LOCATE"),
]
STREETS = ["MAIN ST", "OAK AV", "W 3RD ST", "BROADWAY", "N PINE BLVD", "ELM ST", "S 12TH AV"]


@dataclass(frozen=True)
class Export:
    """One published export header, where it is published, and a person's mapping."""

    name: str
    source: str
    columns: tuple[tuple[str, str], ...]  # (header, kind of values; see VALUES)
    mapping: dict[str, str]  # role -> header a person would choose
    held_out: bool = False
    jurisdiction: str = ""  # when several exports come from one jurisdiction
    notes: str = ""
    formats: dict[str, str] = field(default_factory=dict)  # kind -> strftime format

    @property
    def headers(self) -> list[str]:
        return [h for h, _ in self.columns]

    def frame(self, rows: int = ROWS, seed: int = 0) -> pd.DataFrame:
        """A few rows of realistic values in this export's shape (text, as read from a file)."""
        rng = np.random.default_rng(zlib.crc32(self.name.encode()) + seed)
        calls = _Calls(rng, rows)
        data = {header: calls.values(kind, self.formats) for header, kind in self.columns}
        return pd.DataFrame(data).astype(object)


class _Calls:
    """Seeded calls from which every kind of column value is drawn consistently."""

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        self.rng, self.n = rng, n
        seconds = np.sort(rng.integers(0, 86400 * 30, n))
        self.received = pd.DatetimeIndex(START + pd.to_timedelta(seconds, unit="s"))
        self.kind = rng.integers(0, len(CALL_TYPES), n)
        self.initial = rng.integers(0, len(CALL_TYPES), n)
        self.outcome = rng.integers(0, len(DISPOSITIONS), n)

    def at(self, moment: str) -> pd.DatetimeIndex:
        return self.received + pd.Timedelta(minutes=OFFSETS[moment])

    def values(self, kind: str, formats: dict[str, str]) -> list[str]:
        name, _, arg = kind.partition(":")
        fmt = formats.get(kind) or formats.get(name) or "%m/%d/%Y %I:%M:%S %p"
        return VALUES[name](self, arg, fmt)


def _choice(calls: _Calls, options: list[str]) -> list[str]:
    return [str(v) for v in calls.rng.choice(options, calls.n)]


def _stamp(calls: _Calls, moment: str, fmt: str) -> list[str]:
    return list(calls.at(moment).strftime(fmt))


VALUES: dict[str, Callable[[_Calls, str, str], list[str]]] = {
    "id": lambda c, a, f: [f"{a}{24000000 + 37 * i}" for i in range(c.n)],
    "time": lambda c, a, f: _stamp(c, a, f),
    "date": lambda c, a, f: _stamp(c, a, f),
    "clock": lambda c, a, f: _stamp(c, a, f),
    "epoch_ms": lambda c, a, f: [str(v // 1000) for v in c.at(a).tz_localize("UTC").asi8],
    "code": lambda c, a, f: [CALL_TYPES[k][0] for k in c.kind],
    "text": lambda c, a, f: [CALL_TYPES[k][1] for k in c.kind],
    "category": lambda c, a, f: [CALL_TYPES[k][2] for k in c.kind],
    "initial_code": lambda c, a, f: [CALL_TYPES[k][0] for k in c.initial],
    "initial_text": lambda c, a, f: [CALL_TYPES[k][1] for k in c.initial],
    "disposition": lambda c, a, f: [DISPOSITIONS[k][1] for k in c.outcome],
    "disp_code": lambda c, a, f: [DISPOSITIONS[k][0] for k in c.outcome],
    "choice": lambda c, a, f: _choice(c, a.split("|")),
    "const": lambda c, a, f: [a] * c.n,
    "block": lambda c, a, f: [
        f"{c.rng.integers(1, 99)}XX {STREETS[c.rng.integers(0, len(STREETS))]}" for _ in range(c.n)
    ],
    "street": lambda c, a, f: _choice(c, STREETS),
    "intersection": lambda c, a, f: [
        f"{STREETS[i % 7]} \\ {STREETS[(i * 3 + 1) % 7]}" for i in c.rng.integers(0, 49, c.n)
    ],
    "number": lambda c, a, f: [str(v) for v in c.rng.integers(1, int(a or 9999), c.n)],
    "decimal": lambda c, a, f: [f"{v:.1f}" for v in c.rng.uniform(0, float(a or 60), c.n)],
    "lat": lambda c, a, f: [f"{v:.6f}" for v in 33.4 + c.rng.random(c.n) / 10],
    "lon": lambda c, a, f: [f"{v:.6f}" for v in -112.0 - c.rng.random(c.n) / 10],
    "feet": lambda c, a, f: [f"{v:.1f}" for v in float(a or 700000) + c.rng.random(c.n) * 9e4],
    "point": lambda c, a, f: [
        f"POINT ({-90.1 + x / 50:.5f} {29.9 + y / 50:.5f})" for x, y in c.rng.random((c.n, 2))
    ],
    "pair": lambda c, a, f: [
        f"({33.4 + x / 10:.6f}, {-111.9 - y / 10:.6f})" for x, y in c.rng.random((c.n, 2))
    ],
    "unit": lambda c, a, f: [
        f"{c.rng.integers(1, 9)}A{c.rng.integers(10, 40)}" for _ in range(c.n)
    ],
    "titled": lambda c, a, f: [f"{CALL_TYPES[k][2]}: {CALL_TYPES[k][1]}" for k in c.kind],
    "note": lambda c, a, f: [
        f"{STREETS[i % 7]} & {STREETS[(i + 2) % 7]}; Station {300 + i}; {t} @ {t};"
        for i, t in enumerate(c.received.strftime("%Y-%m-%d %H:%M:%S"))
    ],
    "weekday": lambda c, a, f: list(c.received.strftime("%A")),
    "month": lambda c, a, f: list(c.received.strftime("%m")),
    "year": lambda c, a, f: list(c.received.strftime("%Y")),
    "hour": lambda c, a, f: [str(h) for h in c.received.hour],
}


def _x(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(pairs)


AM_PM = "%m/%d/%Y %I:%M:%S %p"
SOURCES = "911|ONVIEW|TELEPHONE OTHER, NOT 911|ALARM CALL"

EXPORTS: tuple[Export, ...] = (
    Export(
        "New Orleans",
        "data.nola.gov, 'Calls for Service 2024' (NOPD); header as published in the dataset",
        _x(
            ("NOPD_Item", "id:D"), ("Type", "code"), ("TypeText", "text"),
            ("Priority", "choice:1A|2B|2C|3A"), ("InitialType", "initial_code"),
            ("InitialTypeText", "initial_text"), ("InitialPriority", "choice:1A|2B|2C"),
            ("MapX", "feet:3670000"), ("MapY", "feet:530000"), ("TimeCreate", "time:received"),
            ("TimeDispatch", "time:dispatched"), ("TimeArrive", "time:arrived"),
            ("TimeClosed", "time:cleared"), ("Disposition", "disp_code"),
            ("DispositionText", "disposition"), ("SelfInitiated", "choice:Y|N"),
            ("Beat", "choice:1A02|2B04|3C01|7L08|5E03|6Q02"), ("BLOCK_ADDRESS", "block"),
            ("Zip", "choice:70112|70115|70119|70122"),
            ("PoliceDistrict", "choice:1|2|3|5|6|7"), ("Location", "point"),
        ),
        {
            "call_id": "NOPD_Item", "received_at": "TimeCreate", "call_type": "Type",
            "call_type_desc": "TypeText", "priority": "Priority", "area": "PoliceDistrict",
            "block": "BLOCK_ADDRESS", "dispatched_at": "TimeDispatch", "arrived_at": "TimeArrive",
            "cleared_at": "TimeClosed", "disposition": "DispositionText",
            "disposition_code": "Disposition", "self_initiated": "SelfInitiated",
            "location": "Location",
        },
        formats={"time": AM_PM},
    ),
    Export(
        "Seattle (Call Data)",
        "github.com/liuy379/Data512 final_project/project_plan.md, describing "
        "https://data.seattle.gov/Public-Safety/Call-Data/33kz-ixgy",
        _x(
            ("CAD Event Number", "id:"), ("Event Clearance Description", "disposition"),
            ("Call Type", f"choice:{SOURCES}"), ("Priority", "choice:1|2|3|4|7"),
            ("Initial Call Type", "initial_text"), ("Final Call Type", "text"),
            ("Original Time Queued", "time:received"), ("Arrived Time", "time:arrived"),
            ("Precinct", "choice:NORTH|SOUTH|EAST|WEST|SOUTHWEST"),
            ("Sector", "choice:B|C|D|E|F|G|J|K|L|M"), ("Beat", "choice:B1|C2|D3|E1|K3|M2|N1"),
        ),
        {
            "call_id": "CAD Event Number", "disposition": "Event Clearance Description",
            "initiated_by": "Call Type", "priority": "Priority", "call_type": "Final Call Type",
            "received_at": "Original Time Queued", "arrived_at": "Arrived Time",
            "area": "Precinct",
        },
        formats={"time:received": AM_PM, "time:arrived": "%b %d %Y %I:%M:%S:000%p"},
    ),
    Export(
        "Detroit",
        "data.detroitmi.gov, '911 Calls for Service'; header as published",
        _x(
            ("incident_id", "id:"), ("agency", "const:DPD"), ("incident_address", "block"),
            ("zip_code", "choice:48201|48202|48205|48226"), ("priority", "choice:1|2|3|4|5"),
            ("callcode", "code"), ("calldescription", "text"), ("category", "category"),
            ("call_timestamp", "time:received"), ("precinct_sca", "choice:02|04|07|09|11|12"),
            ("respondingunit", "unit"), ("officerinitiated", "choice:Yes|No"),
            ("intaketime", "decimal:5"), ("dispatchtime", "decimal:30"),
            ("traveltime", "decimal:20"), ("totalresponsetime", "decimal:60"),
            ("time_on_scene", "decimal:90"), ("totaltime", "decimal:120"),
            ("neighborhood", "choice:Midtown|Corktown|Boston Edison|Brightmoor"),
            ("block_id", "number:99999"), ("council_district", "choice:1|2|3|4|5|6|7"),
            ("longitude", "lon"), ("latitude", "lat"),
        ),
        {
            "call_id": "incident_id", "block": "incident_address", "priority": "priority",
            "call_type": "callcode", "call_type_desc": "calldescription",
            "received_at": "call_timestamp", "area": "precinct_sca", "unit_id": "respondingunit",
            "self_initiated": "officerinitiated", "travel_minutes": "traveltime",
            "on_scene_minutes": "time_on_scene", "lat": "latitude", "lon": "longitude",
        },
        formats={"time": "%Y/%m/%d %H:%M:%S+00"},
    ),
    Export(
        "Cincinnati",
        "data.cincinnati-oh.gov, 'PDI (Police Data Initiative) Police Calls for Service (CAD)'",
        _x(
            ("EVENT_NUMBER", "id:PD"), ("CREATE_TIME_INCIDENT", "time:received"),
            ("DISPATCH_TIME_PRIMARY_UNIT", "time:dispatched"),
            ("ARRIVAL_TIME_PRIMARY_UNIT", "time:arrived"),
            ("CLOSED_TIME_INCIDENT", "time:cleared"), ("INCIDENT_TYPE_ID", "code"),
            ("INCIDENT_TYPE_DESC", "text"), ("PRIORITY", "choice:1|2|3|4|5"),
            ("DISPOSITION_TEXT", "disposition"), ("DISTRICT", "choice:1|2|3|4|5"),
            ("SNA_NEIGHBORHOOD", "choice:CUF|WESTWOOD|OAKLEY|AVONDALE"),
            ("CPD_NEIGHBORHOOD", "choice:CUF|WESTWOOD|OAKLEY|AVONDALE"),
            ("ADDRESS_X", "block"), ("LATITUDE_X", "lat"), ("LONGITUDE_X", "lon"),
        ),
        {
            "call_id": "EVENT_NUMBER", "received_at": "CREATE_TIME_INCIDENT",
            "dispatched_at": "DISPATCH_TIME_PRIMARY_UNIT",
            "arrived_at": "ARRIVAL_TIME_PRIMARY_UNIT", "cleared_at": "CLOSED_TIME_INCIDENT",
            "call_type": "INCIDENT_TYPE_ID", "call_type_desc": "INCIDENT_TYPE_DESC",
            "priority": "PRIORITY", "disposition": "DISPOSITION_TEXT", "area": "DISTRICT",
            "block": "ADDRESS_X", "lat": "LATITUDE_X", "lon": "LONGITUDE_X",
        },
        formats={"time": AM_PM},
    ),
    Export(
        "Baltimore",
        "https://services1.arcgis.com/UWYHeuuJISiGmgXx/ArcGIS/rest/services/"
        "CallForService2022_Q/FeatureServer (fields listed there; incidentLocation as in the "
        "911 calls for service download)",
        _x(
            ("recordId", "number:9999999"), ("callKey", "id:K"),
            ("callDateTime", "epoch_ms:received"), ("priority", "choice:Low|Medium|High"),
            ("district", "choice:CD|ED|ND|NE|NW|SD|SE|SW|WD"), ("description", "text"),
            ("callNumber", "id:P"), ("incidentLocation", "block"),
        ),
        {
            "call_id": "callNumber", "received_at": "callDateTime", "priority": "priority",
            "area": "district", "call_type": "description", "block": "incidentLocation",
        },
    ),
    Export(
        "San Francisco (police)",
        "https://data.sfgov.org/Public-Safety/Law-Enforcement-Dispatched-Calls-for-Service-"
        "Close/2zdj-bwza (column list of the 'Closed' export)",
        _x(
            ("cad_number", "id:"), ("dup_cad_number", "id:9"), ("pd_incident_report", "id:23"),
            ("received_datetime", "time:received"), ("entry_datetime", "time:entry"),
            ("dispatch_datetime", "time:dispatched"), ("enroute_datetime", "time:enroute"),
            ("onscene_datetime", "time:arrived"), ("close_datetime", "time:cleared"),
            ("call_type_original", "initial_code"), ("call_type_original_desc", "initial_text"),
            ("call_type_original_notes", "choice:DRUGS|22500E|"),
            ("call_type_final", "code"), ("call_type_final_desc", "text"),
            ("call_type_final_notes", "choice:DRUGS|22500E|"),
            ("priority_original", "choice:A|B|C"), ("priority_final", "choice:A|B|C"),
            ("agency", "const:Police"), ("disposition", "disp_code"),
            ("onview_flag", "choice:Y|N"), ("sensitive_call", "choice:true|false"),
            ("intersection_name", "intersection"), ("intersection_id", "number:99999"),
            ("intersection_point", "point"), ("supervisor_district", "choice:1|3|5|6|9|10"),
            ("analysis_neighborhood", "choice:Mission|Tenderloin|Bayview Hunters Point"),
            ("police_district", "choice:MISSION|TENDERLOIN|BAYVIEW|CENTRAL|NORTHERN"),
            ("data_as_of", "time:loaded"), ("data_updated_at", "time:loaded"),
            ("data_loaded_at", "time:loaded"),
        ),
        {
            "call_id": "cad_number", "received_at": "received_datetime",
            "dispatched_at": "dispatch_datetime", "arrived_at": "onscene_datetime",
            "cleared_at": "close_datetime", "call_type": "call_type_final",
            "call_type_desc": "call_type_final_desc", "priority": "priority_final",
            "disposition": "disposition", "self_initiated": "onview_flag",
            "block": "intersection_name", "location": "intersection_point",
            "area": "police_district",
        },
        jurisdiction="San Francisco",
        formats={"time": "%Y-%m-%dT%H:%M:%S.000"},
    ),
    Export(
        "San Francisco (fire)",
        "github.com/stat6250-w18/team-8_project2 STAT6250-01_w18-team-8_project2_data_"
        "preparation.sas (34 columns of https://data.sfgov.org/Public-Safety/Fire-Department-"
        "Calls-for-Service/nuek-vuh3)",
        _x(
            ("Call Number", "id:2"), ("Unit ID", "unit"), ("Incident Number", "id:1"),
            ("Call Type", "text"), ("Call Date", "date:received"),
            ("Watch Date", "date:received"), ("Received DtTm", "time:received"),
            ("Entry DtTm", "time:entry"), ("Dispatch DtTm", "time:dispatched"),
            ("Response DtTm", "time:enroute"), ("On Scene DtTm", "time:arrived"),
            ("Transport DtTm", "const:"), ("Hospital DtTm", "const:"),
            ("Call Final Disposition", "disposition"), ("Available DtTm", "time:cleared"),
            ("Address", "block"), ("City", "const:San Francisco"),
            ("Zipcode of Incident", "choice:94102|94103|94110"),
            ("Battalion", "choice:B01|B02|B03"),
            ("Station Area", "choice:01|03|07|36"), ("Box", "number:9999"),
            ("Original Priority", "choice:2|3|E"), ("Priority", "choice:2|3|E"),
            ("Final Priority", "choice:2|3"), ("ALS Unit", "choice:true|false"),
            ("Call Type Group", "category"), ("Number of Alarms", "const:1"),
            ("Unit Type", "choice:ENGINE|MEDIC|TRUCK"),
            ("Unit sequence in call dispatch", "number:4"),
            ("Fire Prevention District", "choice:1|2|3"), ("Supervisor District", "choice:3|6|9"),
            ("Neighborhooods - Analysis Boundaries", "choice:Mission|Tenderloin"),
            ("RowID", "id:R"), ("case_location", "point"),
        ),
        {
            "call_id": "Incident Number", "unit_id": "Unit ID", "call_type": "Call Type",
            "received_at": "Received DtTm", "dispatched_at": "Dispatch DtTm",
            "arrived_at": "On Scene DtTm", "cleared_at": "Available DtTm",
            "disposition": "Call Final Disposition", "block": "Address",
            "priority": "Final Priority", "area": "Battalion", "location": "case_location",
        },
        jurisdiction="San Francisco",
        formats={"time": AM_PM, "date": "%m/%d/%Y"},
    ),
    Export(
        "Los Angeles",
        "github.com/SpellarBot/open-data-catalog datasets/xwgr-xw5q.md "
        "(https://data.lacity.org/api/views/xwgr-xw5q, LAPD Calls for Service)",
        _x(
            ("Incident_Number", "id:16"), ("Area_Occ", "choice:Newton|Central|Rampart|Hollywood"),
            ("Rpt_Dist", "number:2199"), ("Dispatch_Date", "date:received"),
            ("Dispatch_Time", "clock:received"), ("Call_Type_Code", "code"),
            ("Call_Type_Text", "text"),
        ),
        {
            "call_id": "Incident_Number", "area": "Area_Occ",
            "received_at": "Dispatch_Date+Dispatch_Time", "call_type": "Call_Type_Code",
            "call_type_desc": "Call_Type_Text",
        },
        formats={"date": "%m/%d/%Y 12:00:00 AM", "clock": "%H:%M:%S"},
    ),
    Export(
        "Charleston",
        "github.com/tsdataclinic/Vera src/cities/charleston.py (columns of the Charleston "
        "PD calls for service downloads it reads)",
        _x(
            ("X", "feet:2300000"), ("Y", "feet:350000"), ("Master_Incident_Number", "id:2017-"),
            ("Response_Date", "time:received"), ("Problem", "text"), ("Address", "block"),
            ("City", "const:Charleston"), ("State", "const:SC"),
            ("Postal_Code", "choice:29401|29403|29407"), ("Call_Disposition", "disposition"),
            ("Time_CallClosed", "time:cleared"), ("LONGITUDE", "lon"), ("LATITUDE", "lat"),
            ("FID", "number:999999"),
        ),
        {
            "call_id": "Master_Incident_Number", "received_at": "Response_Date",
            "call_type": "Problem", "block": "Address", "disposition": "Call_Disposition",
            "cleared_at": "Time_CallClosed", "lat": "LATITUDE", "lon": "LONGITUDE",
        },
        formats={"time": "%Y-%m-%dT%H:%M:%S.000Z"},
    ),
    Export(
        "Sacramento",
        "https://raw.githubusercontent.com/daraobeirne/opendata/master/OpenDataExample.ipynb "
        "(header printed from services5.arcgis.com/54falWtcpty3V47Z cad_calls_year3)",
        _x(
            ("OBJECTID", "number:999999"), ("Record_ID", "id:"), ("Call_Type", "code"),
            ("Description", "text"), ("Reporting_Officer", "number:9999"), ("Unit_ID", "unit"),
            ("Report_Created", "choice:0|1"), ("Location", "block"),
            ("Police_District", "choice:1|2|3|4|5|6"), ("Beat", "choice:1A|2B|3C|4A|5B|6C"),
            ("Grid", "number:1500"), ("X_Coordinate", "feet:6700000"),
            ("Y_Coordinate", "feet:1950000"), ("Day_of_Week", "weekday"),
            ("Occurence_Date", "date:occurred"), ("Occurence_Time", "clock:occurred"),
            ("Received_Date", "date:received"), ("Received_Time", "clock:received"),
            ("Dispatch_Date", "date:dispatched"), ("Dispatch_Time", "clock:dispatched"),
            ("Enroute_Date", "date:enroute"), ("Enroute_Time", "clock:enroute"),
            ("At_Scene_Date", "date:arrived"), ("At_Scene_Time", "clock:arrived"),
            ("Clear_Date", "date:cleared"), ("Clear_Time", "clock:cleared"),
        ),
        {
            "call_id": "Record_ID", "call_type": "Call_Type", "call_type_desc": "Description",
            "unit_id": "Unit_ID", "block": "Location", "area": "Police_District",
            "received_at": "Received_Date+Received_Time",
            "dispatched_at": "Dispatch_Date+Dispatch_Time",
            "arrived_at": "At_Scene_Date+At_Scene_Time", "cleared_at": "Clear_Date+Clear_Time",
        },
        formats={"date": "%Y/%m/%d 00:00:00", "clock": "%H:%M:%S"},
    ),
    Export(
        "Montgomery County, MD",
        "github.com/Jmat201/Montgomery-Police-Dispatched-Incidents-AWS-July README.md "
        "(field names of https://data.montgomerycountymd.gov/Public-Safety/Police-Dispatched-"
        "Incidents/98cc-bc7d; the part of the header the source lists)",
        _x(
            ("incident_id", "id:P"), ("cr_number", "id:2300"), ("crash_reports", "const:"),
            ("start_time", "time:received"), ("end_time", "time:cleared"),
            ("priority", "choice:0|1|2|3|4"), ("initial_type", "initial_text"),
            ("close_type", "text"), ("address", "block"),
            ("city", "choice:SILVER SPRING|ROCKVILLE|GERMANTOWN"), ("state", "const:MD"),
            ("zip", "choice:20901|20850|20874"), ("longitude", "lon"), ("latitude", "lat"),
            ("police_district_number", "choice:1D|2D|3D|4D|5D|6D"),
        ),
        {
            "call_id": "incident_id", "received_at": "start_time", "cleared_at": "end_time",
            "priority": "priority", "call_type": "close_type", "block": "address",
            "lon": "longitude", "lat": "latitude", "area": "police_district_number",
        },
        formats={"time": AM_PM},
    ),
    Export(
        "APD CAD 911 Calls (ArcGIS organisation aJ16ENn1AaqdFlqx)",
        "https://services.arcgis.com/aJ16ENn1AaqdFlqx/ArcGIS/rest/services/"
        "APD_CAD_911_Calls_2020/FeatureServer/0",
        _x(
            ("incident_number", "id:20-"), ("call_time", "time:received"), ("address", "block"),
            ("call_nature", "text"), ("call_disposition", "disposition"),
            ("objectid", "number:999999"),
        ),
        {
            "call_id": "incident_number", "received_at": "call_time", "block": "address",
            "call_type": "call_nature", "disposition": "call_disposition",
        },
        formats={"time": "%Y/%m/%d %H:%M:%S+00"},
    ),
    Export(
        "MetroCFS (ArcGIS organisation F1v0ufATbBQScMtY)",
        "https://services1.arcgis.com/F1v0ufATbBQScMtY/ArcGIS/rest/services/MetroCFS_OpenData/"
        "FeatureServer/0 (the part of the field list the source shows)",
        _x(
            ("Event_Number", "id:E"), ("Event_Date", "time:received"), ("Type", "code"),
            ("Type_Description", "text"), ("General_Location", "block"),
            ("Beat", "choice:A1|A2|B1|B2|C1|C3"), ("Disposition", "disposition"),
            ("Map_X", "feet:1700000"),
        ),
        {
            "call_id": "Event_Number", "received_at": "Event_Date", "call_type": "Type",
            "call_type_desc": "Type_Description", "block": "General_Location", "area": "Beat",
            "disposition": "Disposition",
        },
        formats={"time": "%m/%d/%Y %H:%M:%S"},
    ),
    Export(
        "Phoenix",
        "https://www.phoenixopendata.com/dataset/calls-for-service (as listed in "
        "github.com/andrew-friedman/jkan _datasets/311-City-of-Phoenix.md); the export's "
        "eight columns",
        _x(
            ("INCIDENT_NUM", "id:PD21-"), ("DISP_CODE", "disp_code"),
            ("DISPOSITION", "disposition"), ("FINAL_RADIO_CODE", "code"),
            ("FINAL_CALL_TYPE", "text"), ("CALL_RECEIVED", "time:received"),
            ("HUNDREDBLOCKADDR", "block"), ("GRID", "choice:BC27|CE31|DF22|AG18"),
        ),
        {
            "call_id": "INCIDENT_NUM", "disposition_code": "DISP_CODE",
            "disposition": "DISPOSITION", "call_type": "FINAL_RADIO_CODE",
            "call_type_desc": "FINAL_CALL_TYPE", "received_at": "CALL_RECEIVED",
            "block": "HUNDREDBLOCKADDR",
        },
        formats={"time": "%m/%d/%Y %I:%M:%S%p"},
    ),
    Export(
        "Chandler, AZ",
        "Chandler open data, 'Police Calls for Service' 2021 export "
        "(AZ_Chandler_calls_for_service_2021.csv); header of the CSV",
        _x(
            ("id", "number:9999999"), ("agency", "const:CPD"), ("call_number", "id:CH"),
            ("call_year", "year"), ("call_received_date", "date:received"),
            ("call_received_time", "clock:received"), ("call_received_day", "weekday"),
            ("call_address", "block"), ("call_district", "choice:1|2|3|4"),
            ("call_beat", "choice:11|12|21|22|31|42"), ("call_latitude", "lat"),
            ("call_longitude", "lon"), ("call_place_name", "choice:WALMART|PARK|SCHOOL|"),
            ("call_city", "const:CHANDLER"), ("call_how_received", f"choice:{SOURCES}"),
            ("call_reported_as", "initial_text"), ("call_closed_as", "text"),
            ("call_cleared_by", "disposition"), ("call_on_scene_date_time", "time:arrived"),
            ("call_dispatched_date_time", "time:dispatched"),
            ("call_enroute_date_time", "time:enroute"), ("call_911_date_time", "time:call911"),
            ("call_response_time", "number:900"), ("call_dispatch_to_enroute_time", "number:90"),
            ("call_rec_to_queue_time", "number:60"), ("call_queue_time", "number:300"),
            ("call_travel_time", "number:600"), ("call_received_date_time", "time:received"),
            ("call_911_to_rec_time", "number:30"),
        ),
        {
            "call_id": "call_number", "received_at": "call_received_date_time",
            "dispatched_at": "call_dispatched_date_time", "arrived_at": "call_on_scene_date_time",
            "area": "call_district", "block": "call_address", "lat": "call_latitude",
            "lon": "call_longitude", "initiated_by": "call_how_received",
            "call_type": "call_closed_as", "disposition": "call_cleared_by",
        },
        formats={"date": "%m/%d/%Y", "clock": "%H:%M:%S", "time": "%m/%d/%Y %H:%M"},
    ),
    Export(
        "Glendale, AZ",
        "Glendale open data, 'Police Calls for Service' export "
        "(AZ_Glendale_Police_Calls_for_Service.csv); header of the CSV",
        _x(
            ("OBJECTID", "number:999999"), ("Event_Number", "id:GL"),
            ("Date_Call_Received", "time:received"), ("Day_Of_Week", "weekday"),
            ("Radio_Code", "code"), ("Call_Priority", "choice:1|2|3|4"),
            ("Call_Disposition", "disposition"), ("Address", "block"),
            ("Zip_Code", "choice:85301|85302|85308"), ("Beat", "choice:11|12|21|22|31"),
            ("Council_District", "choice:Barrel|Cactus|Cholla|Ocotillo"),
            ("Council_Member", "choice:Ana Ruiz|Bo Lee|Cy Park"),
            ("Patrol_Division", "choice:Foothills|Gateway"), ("DateLoaded", "time:loaded"),
        ),
        {
            "call_id": "Event_Number", "received_at": "Date_Call_Received",
            "call_type": "Radio_Code", "priority": "Call_Priority",
            "disposition": "Call_Disposition", "block": "Address", "area": "Patrol_Division",
        },
        formats={"time": "%m/%d/%Y %H:%M:%S"},
    ),
    Export(
        "San Diego",
        "github.com/COSD-PANDA/seaboard src/_datasets/police-calls-for-service.md "
        "(https://seshat.datasd.org/pd/pd_calls_for_service_2021_datasd.csv and its dictionary)",
        _x(
            ("incident_num", "id:E21"), ("date_time", "time:received"), ("day_of_week", "number:7"),
            ("address_number_primary", "number:9900"), ("address_dir_primary", "choice:N|S|E|W|"),
            ("address_road_primary", "street"), ("address_sfx_primary", "choice:ST|AV|BLVD"),
            ("address_dir_intersecting", "choice:N|S|"), ("address_road_intersecting", "street"),
            ("address_sfx_intersecting", "choice:ST|AV|"), ("call_type", "code"),
            ("disposition", "choice:K|R|A|W|U|O|X"), ("beat", "choice:111|122|233|511|524|627"),
            ("priority", "choice:0|1|2|3|4"),
        ),
        {
            "call_id": "incident_num", "received_at": "date_time", "call_type": "call_type",
            "disposition": "disposition", "area": "beat", "priority": "priority",
        },
        formats={"time": "%Y-%m-%d %H:%M:%S"},
    ),
    Export(
        "Austin",
        "https://huggingface.co/datasets/earino/austin-911-response (columns taken from "
        "Austin's APD computer-aided dispatch incidents; geoid, blkgpnm and late are "
        "added there)",
        _x(
            ("incident_number", "id:23"), ("response_datetime", "time:received"),
            ("incident_type", "choice:Dispatched Incident|Officer Initiated"),
            ("sector", "choice:Adam|Baker|Charlie|David|Edward|Frank|George|Henry|Ida"),
            ("council_district", "choice:1|2|3|4|5|6|7|8|9|10"),
            ("geoid", "number:999999999"), ("blkgpnm", "number:99999"),
            ("response_day_of_week", "weekday"), ("response_hour", "hour"),
            ("initial_problem_description", "text"), ("initial_problem_category", "category"),
            ("late", "choice:0|1"),
        ),
        {
            "call_id": "incident_number", "received_at": "response_datetime",
            "call_type": "initial_problem_description", "area": "sector",
        },
        formats={"time": "%Y-%m-%dT%H:%M:%S.000"},
    ),
    Export(
        "Montgomery County, PA",
        "github.com/mobasir105/911_calls README.md (the nine columns of the county's 911 "
        "calls, https://www.kaggle.com/datasets/mchirico/montcoalert, from montcoalert.org)",
        _x(
            ("lat", "lat"), ("lng", "lon"), ("desc", "note"),
            ("zip", "choice:19401|19464|19403|19446"), ("title", "titled"),
            ("timeStamp", "time:received"),
            ("twp", "choice:LOWER MERION|ABINGTON|NORRISTOWN|UPPER MERION|CHELTENHAM"),
            ("addr", "intersection"), ("e", "const:1"),
        ),
        {
            "lat": "lat", "lon": "lng", "call_type": "title", "received_at": "timeStamp",
            "area": "twp", "block": "addr",
        },
        formats={"time": "%Y-%m-%d %H:%M:%S"},
        notes="added after the held-out exports were measured",
    ),
    Export(
        "Milwaukee",
        "github.com/eisenivan/mke-calls-for-service data.csv (the Milwaukee Police "
        "Department's dispatched calls for service as downloaded from city.milwaukee.gov)",
        _x(
            ("id", "id:"), ("time", "time:received"), ("location", "block"),
            ("latitude", "lat"), ("longitude", "lon"), ("district", "choice:1|2|3|4|5|6|7"),
            ("nature", "text"),
            ("status", "choice:Unable to Locate Complainant|Advised|Assignment Completed|"
             "City Citation(s) Issued|Advised/Referral|To be Filed|No Prosecution"),
        ),
        {
            "call_id": "id", "received_at": "time", "block": "location", "lat": "latitude",
            "lon": "longitude", "area": "district", "call_type": "nature",
            "disposition": "status",
        },
        formats={"time": "%Y-%m-%d %H:%M:%S"},
        notes="added after the held-out exports were measured; the export the issue's "
        "'time' and 'nature' headers come from",
    ),
    # --- held out: written down first, measured last -------------------------------------
    Export(
        "New York City (EMS dispatch)",
        "https://huggingface.co/datasets/24601p/public-data (NYC 'EMS Incident Dispatch "
        "Data'; the columns shown there)",
        _x(
            ("CAD_INCIDENT_ID", "id:"), ("INCIDENT_DATETIME", "time:received"),
            ("INITIAL_CALL_TYPE", "initial_code"), ("INITIAL_SEVERITY_LEVEL_CODE", "number:9"),
            ("FINAL_CALL_TYPE", "code"), ("FINAL_SEVERITY_LEVEL_CODE", "number:8"),
            ("FIRST_ASSIGNMENT_DATETIME", "time:dispatched"),
            ("VALID_DISPATCH_RSPNS_TIME_INDC", "choice:Y|N"),
            ("DISPATCH_RESPONSE_SECONDS_QY", "number:600"),
            ("FIRST_ACTIVATION_DATETIME", "time:enroute"),
            ("FIRST_ON_SCENE_DATETIME", "time:arrived"),
            ("VALID_INCIDENT_RSPNS_TIME_INDC", "choice:Y|N"),
            ("INCIDENT_RESPONSE_SECONDS_QY", "number:1200"),
            ("INCIDENT_TRAVEL_TM_SECONDS_QY", "number:900"),
            ("FIRST_TO_HOSP_DATETIME", "const:"), ("FIRST_HOSP_ARRIVAL_DATETIME", "const:"),
            ("INCIDENT_CLOSE_DATETIME", "time:cleared"), ("HELD_INDICATOR", "choice:Y|N"),
            ("INCIDENT_DISPOSITION_CODE", "choice:82|83|87|90|91|93"),
            ("BOROUGH", "choice:BRONX|BROOKLYN|MANHATTAN|QUEENS|RICHMOND / STATEN ISLAND"),
            ("INCIDENT_DISPATCH_AREA", "choice:B1|B2|K3|M1|Q4|S1"),
            ("ZIPCODE", "choice:10451|11201|10027|11368"),
            ("POLICEPRECINCT", "choice:40|44|73|28|115"),
            ("CITYCOUNCILDISTRICT", "choice:8|17|36|9|21"),
            ("COMMUNITYDISTRICT", "choice:201|301|110|404"),
            ("COMMUNITYSCHOOLDISTRICT", "choice:7|13|5|24"),
            ("CONGRESSIONALDISTRICT", "choice:13|15|8|14"), ("REOPEN_INDICATOR", "choice:Y|N"),
            ("SPECIAL_EVENT_INDICATOR", "choice:Y|N"),
        ),
        {
            "call_id": "CAD_INCIDENT_ID", "received_at": "INCIDENT_DATETIME",
            "call_type": "FINAL_CALL_TYPE", "priority": "FINAL_SEVERITY_LEVEL_CODE",
            "dispatched_at": "FIRST_ASSIGNMENT_DATETIME", "arrived_at": "FIRST_ON_SCENE_DATETIME",
            "cleared_at": "INCIDENT_CLOSE_DATETIME", "disposition": "INCIDENT_DISPOSITION_CODE",
            "area": "INCIDENT_DISPATCH_AREA",
        },
        held_out=True,
        formats={"time": AM_PM},
    ),
    Export(
        "Tucson",
        "Tucson open data, 'Tucson Police Calls for Service - 2021 - Open Data' export "
        "(AZ_Tucson_Police_Calls_for_Service_-_2021_-_Open_Data.csv); header of the CSV",
        _x(
            ("OBJECTID", "number:999999"), ("X", "feet:990000"), ("Y", "feet:440000"),
            ("call_id", "id:P21"), ("case_id", "id:2101"), ("acci_id", "const:"),
            ("agency", "const:TPD"), ("ADDRESS_PUBLIC", "block"), ("city", "const:Tucson"),
            ("state", "const:AZ"), ("zip", "choice:85705|85710|85719"),
            ("emdivision", "choice:East|West|South|Midtown"),
            ("NEIGHBORHD", "choice:Barrio Hollywood|Feldman's|Dunbar Spring"),
            ("CAPRIORITY", "choice:1|2|3|4"), ("NATURECODE", "code"), ("NatureCodeDesc", "text"),
            ("HOWRECEIVE", "choice:E911|PHONE|OFFICER|ALARM"), ("CSDISPOSIT", "disp_code"),
            ("DispositionCodeDesc", "disposition"), ("WARD", "choice:1|2|3|4|5|6"),
            ("ACTDATE", "date:received"), ("ACTTIME", "clock:received"),
            ("ACTDATETIME", "time:received"), ("ACT_MONTH", "month"), ("ACT_YEAR", "year"),
            ("ACT_DOW", "weekday"), ("ACT_TIME", "hour"), ("LOC_STATUS", "choice:GEOCODED|"),
            ("NHA_NAME", "choice:Catalina|Rincon|"), ("DIVISION", "choice:EAST|WEST|SOUTH|MIDTOWN"),
            ("DIVISION_NO", "choice:1|2|3|4"), ("DIVSECT", "choice:E1|W2|S3|M4"),
            ("TRSQ", "number:9999"), ("City_geo", "const:Tucson"), ("ADDRESS_100BLK", "block"),
        ),
        {
            "call_id": "call_id", "received_at": "ACTDATETIME", "call_type": "NATURECODE",
            "call_type_desc": "NatureCodeDesc", "priority": "CAPRIORITY",
            "initiated_by": "HOWRECEIVE", "disposition": "DispositionCodeDesc",
            "disposition_code": "CSDISPOSIT", "area": "DIVISION", "block": "ADDRESS_100BLK",
        },
        held_out=True,
        formats={"date": "%Y/%m/%d 00:00:00+00", "clock": "%H%M", "time": "%Y/%m/%d %H:%M:%S+00"},
    ),
    Export(
        "Mesa, AZ",
        "Mesa open data, 'Police Computer Aided Dispatch Events' 2021 export "
        "(AZ_Mesa_Police_Computer_Aided_Dispatch_Events_2021.csv); header of the CSV",
        _x(
            ("Event Number", "id:ME"), ("Event Type Code", "code"),
            ("Event Type Description", "text"), ("Call Priority", "choice:1|2|3|4"),
            ("Response Time Seconds", "number:1800"), ("Creation Month", "month"),
            ("Creation Year", "year"), ("Creation Datetime", "time:received"),
            ("Event Address", "block"), ("Street Number", "number:9900"),
            ("Street Direction", "choice:N|S|E|W"), ("Street Name", "street"),
            ("Street Type", "choice:ST|AV|RD"), ("Latitude", "lat"), ("Longitude", "lon"),
            ("Dispatch Group", "choice:CENTRAL|FIESTA|SUPERSTITION|RED MOUNTAIN"),
            ("Division", "choice:CENTRAL|FIESTA|SUPERSTITION|RED MOUNTAIN"),
            ("Response Time Minutes", "decimal:30"), ("Location 1", "pair"),
        ),
        {
            "call_id": "Event Number", "received_at": "Creation Datetime",
            "call_type": "Event Type Code", "call_type_desc": "Event Type Description",
            "priority": "Call Priority", "block": "Event Address", "lat": "Latitude",
            "lon": "Longitude", "area": "Division", "location": "Location 1",
        },
        held_out=True,
        formats={"time": "%m/%d/%Y %H:%M"},
    ),
    Export(
        "Scottsdale, AZ",
        "Scottsdale open data, 'Police Calls for Service 2021' export "
        "(AZ_Scottsdale_Police_Calls_for_Service_2021.csv); header of the CSV",
        _x(
            ("Common_Event_ID", "id:"), ("CFS_Number", "id:SC21-"),
            ("Create_Date", "time:received"), ("Call_Type", "code"), ("CFS_English", "text"),
            ("Call_Type_English", "category"), ("Call_Sub_Type", "choice:A|B|C|"),
            ("Call_Sub_Type_English", "choice:IN PROGRESS|JUST OCCURRED|REPORT|"),
            ("CFS_Type", "choice:DISPATCHED|SELF INITIATED"),
            ("Street_Directional_Prefix", "choice:N|S|E|W"), ("Street_Name", "street"),
            ("Street_Type", "choice:ST|AV|RD"), ("Cross_Street_1", "street"),
            ("Cross_Street_2", "street"),
        ),
        {
            "call_id": "Common_Event_ID", "received_at": "Create_Date", "call_type": "Call_Type",
            "call_type_desc": "CFS_English",
        },
        held_out=True,
        formats={"time": "%Y/%m/%d %H:%M:%S+00"},
    ),
    Export(
        "San Jose",
        "San Jose open data, 'Police Calls for Service' 2021 export (policecalls2021.csv); "
        "header of the CSV",
        _x(
            ("CDTS", "time:received"), ("EID", "number:9999999"),
            ("START_DATE", "date:received"), ("CALL_NUMBER", "id:P21"),
            ("REPORT_DATE", "date:received"), ("OFFENSE_DATE", "date:received"),
            ("OFFENSE_TIME", "clock:received"), ("CALLTYPE_CODE", "code"),
            ("CALL_TYPE", "text"), ("FINAL_DISPO_CODE", "disp_code"),
            ("FINAL_DISPO", "disposition"), ("COMMON_PLACE_NAME", "choice:WALMART|PARK|"),
            ("ADDRESS", "block"), ("CITY", "const:San Jose"), ("STATE", "const:CA"),
            ("PRIORITY", "choice:1|2|3|4|5"),
        ),
        {
            "call_id": "CALL_NUMBER", "received_at": "OFFENSE_DATE+OFFENSE_TIME",
            "call_type": "CALLTYPE_CODE", "call_type_desc": "CALL_TYPE",
            "disposition": "FINAL_DISPO", "disposition_code": "FINAL_DISPO_CODE",
            "block": "ADDRESS", "priority": "PRIORITY",
        },
        held_out=True,
        formats={"time": "%Y%m%d%H%M%S", "date": "%m/%d/%Y 12:00:00 AM", "clock": "%H:%M:%S"},
    ),
    Export(
        "St. Petersburg, FL",
        "St. Petersburg open data, 'Police Calls' export (FL_StPete_Police_Calls.csv); "
        "header of the CSV",
        _x(
            ("ID", "number:999999"), ("Event Number", "id:SP"), ("Event Case Number", "id:2021-"),
            ("Type of Event", "text"), ("Event Subtype", "category"),
            ("Event Subtype - Type of Event", "category"), ("Classification", "disposition"),
            ("Display Address", "block"), ("Crime date", "date:received"),
            ("Crime Time", "clock:received"),
            ("Neighborhood Name", "choice:Kenwood|Old Northeast|Childs Park|Historic Uptown"),
            ("Council District", "choice:1|2|3|4|5|6|7|8"), ("Longitude", "lon"),
            ("Latitude", "lat"), ("Location", "pair"), ("Submit an anonymous tip", "const:"),
        ),
        {
            "call_id": "Event Number", "received_at": "Crime date+Crime Time",
            "call_type": "Type of Event", "disposition": "Classification",
            "block": "Display Address", "area": "Neighborhood Name", "lon": "Longitude",
            "lat": "Latitude", "location": "Location",
        },
        held_out=True,
        formats={"date": "%m/%d/%Y", "clock": "%H:%M"},
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Judged:
    """How the matcher did on one export, against the person's mapping."""

    export: Export
    suggested: dict[str, str | None]

    @property
    def counted(self) -> list[str]:
        """Roles the person or the matcher fills: the ones that can be right or wrong."""
        return [r for r in ROLES if self.export.mapping.get(r) or self.suggested[r]]

    @property
    def wrong(self) -> dict[str, tuple[str | None, str | None]]:
        """Role -> (the person's column, the matcher's column) where they differ."""
        return {
            r: (self.export.mapping.get(r), self.suggested[r])
            for r in self.counted
            if self.export.mapping.get(r) != self.suggested[r]
        }

    @property
    def required_right(self) -> bool:
        return all(r not in self.wrong for r in REQUIRED)


def judge(export: Export, seed: int = 0) -> Judged:
    """Match an export's generated rows and compare with the person's mapping."""
    frame = export.frame(seed=seed)
    return Judged(export, match_columns(export.headers, frame).mapping)


def figures(judged: list[Judged]) -> tuple[float, float]:
    """(share of exports with every required role right, share of all counted roles right)."""
    required = sum(j.required_right for j in judged) / len(judged)
    counted = sum(len(j.counted) for j in judged)
    right = counted - sum(len(j.wrong) for j in judged)
    return required, right / counted
