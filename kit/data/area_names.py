"""After an import: do the export's area names match the profile's areas, and are durations there?

Every by-area figure joins the calls' ``area`` to the profile's areas by name, so an export
that says "Dist 1" where the profile says "North" leaves those charts empty. The check lists
the names that match no area (with how many calls carry them) and a person maps them once;
the mapping is kept in the workspace (data/area_map.json) and applied to the calls held and
to every later import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from kit.errors import KitError

if TYPE_CHECKING:
    from kit.workspace import Workspace

#: The JSON file (in data/) that keeps the area mapping: {"map": {export name: profile area}}.
AREA_MAP: Final = "area_map"
#: How many non-matching names the check lists as examples.
EXAMPLES: Final = 5


def parse_area_map(items: Sequence[str]) -> dict[str, str]:
    """Pairs written ``EXPORT NAME=PROFILE AREA`` as a dict."""
    result: dict[str, str] = {}
    for item in items:
        name, sep, area = item.partition("=")
        if not sep or not name.strip() or not area.strip():
            raise KitError(
                f"'{item}' is not a mapping: write the export's name, '=', then the "
                'profile\'s area, e.g. "Dist 1=North".'
            )
        result[name.strip()] = area.strip()
    return result


def check_area_map(mapping: Mapping[str, str], profile_areas: Sequence[str]) -> dict[str, str]:
    """The mapping with each target spelt as the profile spells it; unknown targets refused."""
    known = {area.casefold(): area for area in profile_areas}
    if not known:
        raise KitError(
            "The profile has no areas yet: add them in step 00 before mapping the export's names."
        )
    result: dict[str, str] = {}
    for name, area in mapping.items():
        if area.casefold() not in known:
            raise KitError(
                f"'{area}' is not one of the profile's areas ({', '.join(profile_areas)}); "
                f"map '{name}' to one of them."
            )
        result[str(name)] = known[area.casefold()]
    return result


def apply_area_map(calls: pa.Table, mapping: Mapping[str, str]) -> pa.Table:
    """The calls with each mapped area name replaced by its profile area."""
    if not mapping or "area" not in calls.column_names:
        return calls
    column = calls.column("area")
    names = pa.array(list(mapping), pa.string())
    targets = pa.array(list(mapping.values()), pa.string())
    position = pc.index_in(pc.cast(column, pa.string()), value_set=names)
    renamed = pc.if_else(pc.is_valid(position), pc.take(targets, position), column)
    index = calls.column_names.index("area")
    return calls.set_column(index, "area", pc.cast(renamed, column.type))


def check_areas(calls: pa.Table, profile_areas: Sequence[str]) -> dict[str, Any]:
    """How many calls name a profile area, and the names that match none (most calls first)."""
    if "area" not in calls.column_names:
        return {"calls_with_area": 0, "matched_calls": 0, "unmatched": [], "unmatched_names": 0}
    known = {area.casefold() for area in profile_areas}
    counts = pc.value_counts(pc.drop_null(pc.cast(calls.column("area"), pa.string())))
    tally = {
        str(item["values"]): int(item["counts"])
        for item in counts.to_pylist()
        if str(item["values"]).strip()
    }
    unmatched = sorted(
        ((name, n) for name, n in tally.items() if name.casefold() not in known),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return {
        "calls_with_area": sum(tally.values()),
        "matched_calls": sum(n for name, n in tally.items() if name.casefold() in known),
        "unmatched": [{"name": name, "calls": n} for name, n in unmatched[:EXAMPLES]],
        "unmatched_names": len(unmatched),
    }


def map_areas(ws: Workspace, mapping: Mapping[str, str]) -> dict[str, Any]:
    """Save ``mapping`` (export name -> profile area) with the workspace's area mapping, rename
    the areas of the calls held, and return the new check (with the whole mapping as ``map``).

    An empty mapping only checks. The calls, the mapping and the import report's check are
    written together, so no page sees one without the others.
    """
    profile_areas = ws.profile.area_names
    saved = dict((ws.read_json(AREA_MAP) or {}).get("map") or {})
    calls = ws.read_arrow("calls")
    if mapping:
        added = check_area_map(mapping, profile_areas)
        saved.update(added)
        calls = apply_area_map(calls, added)
    check = check_areas(calls, profile_areas)
    if mapping:
        report = ws.read_json("import_report") or {}
        checks = {**(report.get("checks") or {}), "areas": check}
        ws.write_data(
            {"calls": calls},
            {AREA_MAP: {"map": saved}, "import_report": {**report, "checks": checks}},
        )
    return {**check, "map": saved}


def durations_missing(calls: pa.Table) -> bool:
    """Whether no call carries a duration (``unit_hours``), as in many public exports."""
    if calls.num_rows == 0:
        return False
    if "unit_hours" not in calls.column_names:
        return True
    hours = pc.cast(calls.column("unit_hours"), pa.float64())
    usable = pc.sum(pc.and_(pc.is_finite(hours), pc.greater_equal(hours, 0.0))).as_py()
    return not usable


def check_lines(checks: Mapping[str, Any] | None) -> list[str]:
    """The after-import checks in plain words (empty when all is well)."""
    if not checks:
        return []
    lines = []
    areas = checks.get("areas") or {}
    if areas.get("unmatched"):
        examples = ", ".join(f"{u['name']} ({u['calls']:,} calls)" for u in areas["unmatched"])
        lines.append(
            f"Area names: {areas['unmatched_names']:,} of the export's area names match no area "
            f"of the profile, e.g. {examples}. Map each to a profile area so the by-area "
            "figures include their calls."
        )
    if checks.get("durations_missing"):
        lines.append(
            "Durations: the export has no dispatch, arrival or clear times, so officer hours "
            "will be estimated from minutes per call type family (step 02 asks for them)."
        )
    return lines
