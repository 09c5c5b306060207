"""Weapons first: a call type that names a weapon never goes to an unarmed responder unasked.

"MENTAL W/ GUN" reads like a crisis call, and a crisis preset built on families would send
it to a civilian crisis team. The kit classes every type naming a weapon as ``violent``
(:func:`kit.taxonomy.names_weapon`), and here keeps it from the responders who go without
police: a preset or a change made for a whole family never gives it to them (co-response,
police with a clinician, is allowed). Only a person's own choice for that one call type can,
and then only with an explicit confirmation saved in the plan (``weapon_confirmed``); the
role charter lists every such type so that a council reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import pandas as pd

from kit.errors import KitError
from kit.taxonomy import names_weapon

# Responders that answer without any officer on scene.
CIVILIAN_ONLY: Final[tuple[str, ...]] = (
    "crisis_team",
    "cso",
    "online",
    "other_agency",
    "no_dispatch",
)


def weapon_types(types: pd.DataFrame) -> set[str]:
    """The call types of ``types`` (call_type, and call_type_desc if present) naming a weapon,
    including those a workspace's own abbreviations reveal (``family_source`` ``weapon``)."""
    descs = types["call_type_desc"] if "call_type_desc" in types else [None] * len(types)
    sources = types["family_source"] if "family_source" in types else [None] * len(types)
    return {
        str(call_type)
        for call_type, desc, source in zip(types["call_type"], descs, sources, strict=True)
        if source == "weapon"
        or names_weapon(f"{call_type} {'' if desc is None or pd.isna(desc) else desc}")
    }


def without_civilian_only(split: Mapping[str, float]) -> dict[str, float]:
    """A split with the shares of civilian-only responders taken out (police keep them)."""
    return {r: s for r, s in split.items() if r not in CIVILIAN_ONLY}


def civilian_weapon_choices(
    types: pd.DataFrame, assignments: Mapping[str, Mapping[str, float]]
) -> dict[str, list[str]]:
    """Call types naming a weapon that the plan sends, in part, to civilian-only responders."""
    armed = weapon_types(types)
    return {
        call_type: [r for r in split if r in CIVILIAN_ONLY]
        for call_type, split in assignments.items()
        if call_type in armed and any(r in CIVILIAN_ONLY for r in split)
    }


def check_confirmed(value: object) -> list[str]:
    """The ``weapon_confirmed`` field of a plan: a list of call types."""
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise KitError("weapon_confirmed must be a list of call types.")
    return sorted({str(call_type) for call_type in value})


def check_weapon_choices(types: pd.DataFrame, document: Mapping[str, Any]) -> None:
    """Refuse a plan that moves a call type naming a weapon to a civilian-only responder
    without the confirmation saved for that call type."""
    confirmed = set(check_confirmed(document.get("weapon_confirmed")))
    missing = sorted(
        t
        for t in civilian_weapon_choices(types, document.get("assignments") or {})
        if t not in confirmed
    )
    if missing:
        names = ", ".join(f"'{t}'" for t in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        one = len(missing) == 1
        raise KitError(
            f"{names}{more} {'names' if one else 'name'} a weapon, and this plan sends "
            f"{'it' if one else 'them'} to a responder that goes without police. Give "
            f"{'it' if one else 'them'} to police or co-response, or confirm "
            f"{'that this is' if one else 'for each that it is'} meant; nothing was saved."
        )
