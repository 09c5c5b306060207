"""Presets: ready-made role assignments that work for any city, kept as data with their sources.

A preset is a JSON file in ``templates/presets/``: a title, a description, the sources it
follows, and rules. A rule picks call types by family and by a pattern in the call type's
normalised text (minus an ``exclude`` pattern) and gives them a split across responders.
The first rule that matches a call type decides; police keep the rest of each type and
every type no rule picks. Applying a preset only fills the plan: each share stays
editable. Neither a preset nor a change for a whole family (:func:`assign_family`) gives a
call type naming a weapon to a responder that goes without police (see kit.roles.weapons).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import pandas as pd

from kit.errors import KitError
from kit.resources import template
from kit.roles.assignments import check_split
from kit.roles.weapons import weapon_types, without_civilian_only
from kit.taxonomy import FAMILIES, normalise

PRESETS: Final[Path] = template("presets")
_ID: Final = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def preset_ids() -> list[str]:
    """The ids of the presets shipped with the kit, ``none`` first."""
    ids = sorted(p.stem for p in PRESETS.glob("*.json") if _ID.match(p.stem))
    return sorted(ids, key=lambda name: name != "none")


def _check_rule(rule: object, where: str) -> dict[str, Any]:
    if not isinstance(rule, Mapping):
        raise KitError(f"{where} must be an object with families, pattern and split.")
    families = rule.get("families") or []
    if not isinstance(families, list) or any(f not in FAMILIES for f in families):
        raise KitError(f"{where}: families must be a list of: {', '.join(FAMILIES)}.")
    try:
        pattern = re.compile(rule.get("pattern") or ".")
        exclude = re.compile(rule["exclude"]) if rule.get("exclude") else None
    except re.error as exc:
        raise KitError(f"{where}: a pattern cannot be read ({exc}).") from exc
    split = check_split(rule.get("split") or {}, str(rule.get("name", where)))
    return {
        "name": str(rule.get("name", "")),
        "families": list(families),
        "pattern": pattern,
        "exclude": exclude,
        "split": {r: s for r, s in split.items() if r != "police"},
        "why": str(rule.get("why", "")),
    }


@lru_cache(maxsize=16)
def _load(preset_id: str) -> dict[str, Any]:
    if not _ID.match(preset_id):
        raise KitError(f"'{preset_id}' is not a preset. Use one of: {', '.join(preset_ids())}.")
    path = PRESETS / f"{preset_id}.json"
    if not path.is_file():
        raise KitError(f"'{preset_id}' is not a preset. Use one of: {', '.join(preset_ids())}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise KitError(f"The preset file {path.name} cannot be read ({exc}).") from exc
    rules = [
        _check_rule(rule, f"{path.name}, rule {i + 1}")
        for i, rule in enumerate(data.get("rules", []))
    ]
    return {
        "id": preset_id,
        "title": str(data.get("title", preset_id)),
        "description": str(data.get("description", "")),
        "sources": list(data.get("sources", [])),
        "rules": rules,
    }


def load_preset(preset_id: str) -> dict[str, Any]:
    """A preset by id, its rules checked (patterns compiled, splits validated)."""
    return _load(preset_id)


def apply_preset(preset_id: str, types: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Assignments ``{call_type: {responder: share}}`` a preset gives the call types in ``types``.

    ``types`` needs call_type and family (call_type_desc is used when present), as in
    ``Cube.types`` or :func:`kit.taxonomy.classify_types`.
    """
    preset = load_preset(preset_id)
    plan: dict[str, dict[str, float]] = {}
    if not preset["rules"]:
        return plan
    armed = weapon_types(types)
    descs = types["call_type_desc"] if "call_type_desc" in types else [None] * len(types)
    for call_type, desc, family in zip(types["call_type"], descs, types["family"], strict=True):
        text = normalise(f"{call_type} {'' if desc is None or pd.isna(desc) else desc}")
        for rule in preset["rules"]:
            if rule["families"] and family not in rule["families"]:
                continue
            if not rule["pattern"].search(text):
                continue
            if rule["exclude"] is not None and rule["exclude"].search(text):
                continue
            split = dict(rule["split"])
            if str(call_type) in armed:
                split = without_civilian_only(split)
            if split:
                plan[str(call_type)] = split
            break
    return plan


def assign_family(
    plan: Mapping[str, Mapping[str, float]],
    types: pd.DataFrame,
    family: str,
    split: Mapping[str, float],
) -> dict[str, dict[str, float]]:
    """The plan with every call type of ``family`` given ``split`` (a change for a whole
    family); types naming a weapon get only its police and co-response shares."""
    if family not in FAMILIES:
        raise KitError(f"'{family}' is not a family. Use one of: {', '.join(FAMILIES)}.")
    checked = {r: s for r, s in check_split(split, family).items() if r != "police"}
    armed = weapon_types(types)
    result = {t: dict(s) for t, s in plan.items()}
    for call_type in types.loc[types["family"] == family, "call_type"].astype(str):
        shares = without_civilian_only(checked) if call_type in armed else dict(checked)
        if shares:
            result[call_type] = shares
        else:
            result.pop(call_type, None)
    return result


def describe(preset_id: str) -> dict[str, Any]:
    """A preset's title, description, sources and rules in plain JSON (for screens and docs)."""
    preset = load_preset(preset_id)
    return {
        "id": preset["id"],
        "title": preset["title"],
        "description": preset["description"],
        "sources": preset["sources"],
        "rules": [
            {
                "name": rule["name"],
                "families": rule["families"],
                "split": rule["split"],
                "why": rule["why"],
            }
            for rule in preset["rules"]
        ],
    }
