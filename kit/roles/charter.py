"""The role charter: in plain words, what police keep, what moves to whom, what stays screened.

The charter is the part of the plan a council, a union or a training academy reads: the
work police keep (families and call types with their share of officer hours), the work
that moves and to which responder, and the calls screened to stay with police. It is
saved inside the ``role_assignments`` decision and printed as plain text or Markdown here, and
as HTML by :mod:`kit.pages.charter` from the same lines; every string from the data is escaped
in Markdown and HTML. It is written to be
published, so a responder's yearly calls below the small-count limit print as "fewer than 11".
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

from kit.printable import calls_a_year
from kit.roles.assignments import ALTERNATIVES, RESPONDER_LABELS, check_document
from kit.roles.cube import Cube
from kit.roles.flow import flow
from kit.roles.weapons import check_weapon_choices, civilian_weapon_choices
from kit.suppression import DEFAULT_SMALL_COUNT
from kit.taxonomy import FAMILY_LABELS

TOP_TYPES: Final = 5
_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def _round(value: float, digits: int = 1) -> float:
    return round(float(value), digits)


def build_charter(
    cube: Cube, document: Mapping[str, Any], small_count: int = DEFAULT_SMALL_COUNT
) -> dict[str, Any]:
    """The charter of a plan, as a JSON-ready dict (figures per year).

    ``small_count`` is the workspace's threshold: a move with fewer calls than that in the
    data period is printed without its number (docs/publishing.md).

    A plan that sends a call type naming a weapon to a responder without police is refused
    unless a person confirmed it for that type; confirmed ones are listed in the charter.
    """
    doc = check_document(document)
    check_weapon_choices(cube.types, doc)
    by_type = flow(
        cube, doc["assignments"], doc["assumptions"], coverage=doc["coverage"], by=("call_type",)
    )
    years = cube.years or 1.0
    info = cube.types.set_index("call_type")[["call_type_desc", "family"]]
    wide = by_type.pivot_table(
        index="call_type",
        columns="responder",
        values=["handled_hours", "without_police_hours", "routed", "without_police", "handled"],
        aggfunc="sum",
        fill_value=0.0,
    )
    kept_hours = wide["handled_hours"]["police"] + wide["handled_hours"]["co_response"]
    kept = pd.DataFrame({"hours": kept_hours}).join(info)
    police_total = float(kept["hours"].sum())

    keep: list[dict[str, Any]] = []
    for family, group in kept.groupby("family", sort=False):
        hours = float(group["hours"].sum())
        if hours <= 0:
            continue
        top = group.sort_values("hours", ascending=False).head(TOP_TYPES)
        keep.append(
            {
                "family": family,
                "label": FAMILY_LABELS[str(family)],
                "officer_hours_per_year": _round(hours / years),
                "share_of_police_hours": _round(hours / police_total, 4) if police_total else 0.0,
                "top_call_types": [_type_name(t, top.at[t, "call_type_desc"]) for t in top.index],
            }
        )
    keep.sort(key=lambda item: -item["officer_hours_per_year"])

    moves: list[dict[str, Any]] = []
    for responder in ALTERNATIVES:
        assigned = [
            (t, split[responder]) for t, split in doc["assignments"].items() if responder in split
        ]
        if not assigned:
            continue
        present = [(t, s) for t, s in assigned if t in info.index]
        present.sort(
            key=lambda item: -float(cube.types.set_index("call_type").at[item[0], "calls"])
        )
        stage = "handled" if responder == "co_response" else "without_police"
        moves.append(
            {
                "responder": responder,
                "label": RESPONDER_LABELS[responder],
                "call_types": [
                    {
                        "call_type": t,
                        "name": _type_name(t, info.at[t, "call_type_desc"]),
                        "share": _round(s, 4),
                    }
                    for t, s in present
                ],
                "routed_per_year": _round(float(wide["routed"][responder].sum()) / years),
                "handled_per_year": _round(float(wide[stage][responder].sum()) / years),
                "officer_hours_freed_per_year": (
                    0.0
                    if responder == "co_response"
                    else _round(float(wide["without_police_hours"][responder].sum()) / years)
                ),
            }
        )

    screened = [
        {
            "responder": m["responder"],
            "label": m["label"],
            "screening": doc["assumptions"][m["responder"]]["screening"],
            "take_up": doc["assumptions"][m["responder"]]["take_up"],
            "back_up": doc["assumptions"][m["responder"]]["back_up"],
        }
        for m in moves
    ]
    freed = sum(m["officer_hours_freed_per_year"] for m in moves)
    total_hours = cube.total_hours / years
    return {
        "preset": doc["preset"],
        "small_count": small_count,
        "period": {
            "start": None if cube.start is None else cube.start.isoformat(),
            "end": None if cube.end is None else cube.end.isoformat(),
            "years": _round(years, 3),
        },
        "totals": {
            "calls_per_year": _round(cube.total_calls / years),
            "officer_hours_per_year": _round(total_hours),
            "officer_hours_freed_per_year": _round(freed),
            "share_of_officer_hours_freed": _round(freed / total_hours, 4) if total_hours else 0.0,
            "officer_equivalents_freed": _round(freed / doc["productive_hours_per_officer"], 2),
            "productive_hours_per_officer": doc["productive_hours_per_officer"],
            "hours_estimated": cube.hours_estimated,
            "units_estimated": cube.units_estimated,
        },
        "police_keep": keep,
        "moves": moves,
        "screened": screened,
        "weapon_exceptions": [
            {
                "call_type": t,
                "name": _type_name(t, info.at[t, "call_type_desc"] if t in info.index else None),
                "responders": [RESPONDER_LABELS[r] for r in responders],
            }
            for t, responders in sorted(
                civilian_weapon_choices(cube.types, doc["assignments"]).items()
            )
        ],
    }


def _type_name(call_type: object, desc: object) -> str:
    text = str(call_type)
    if desc is None or pd.isna(desc) or not str(desc) or str(desc) == text:
        return text
    return f"{text} ({desc})"


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def charter_lines(charter: Mapping[str, Any], esc: Any = str) -> list[tuple[str, str]]:
    """The charter as (kind, text) lines: kind is h1, h2, p or li.

    ``esc`` escapes each piece of text from the data for the format the lines go into
    (Markdown here; the HTML template escapes whole lines itself, so it passes ``str``).
    """
    totals = charter["totals"]
    # Charters saved before the threshold was kept in them follow the CMS rule.
    limit = charter.get("small_count", DEFAULT_SMALL_COUNT)
    years = charter["period"]["years"]
    out: list[tuple[str, str]] = [("h1", "Role charter")]
    out.append(
        (
            "p",
            f"Police spend about {totals['officer_hours_per_year']:,.0f} officer hours a year on "
            f"{totals['calls_per_year']:,.0f} calls. This plan frees about "
            f"{totals['officer_hours_freed_per_year']:,.0f} officer hours a year "
            f"({_pct(totals['share_of_officer_hours_freed'])}), the time of about "
            f"{totals['officer_equivalents_freed']:,.1f} officers at "
            f"{totals['productive_hours_per_officer']:,.0f} productive hours each.",
        )
    )
    if totals.get("hours_estimated"):
        out.append(
            (
                "p",
                "Estimated officer hours: the calls were exported without durations, so every "
                "officer-hour figure here is calls x minutes per call of their family (saved "
                "with the plan) / 60 x units sent.",
            )
        )
    out.append(("h2", "What police keep"))
    for item in charter["police_keep"]:
        names = ", ".join(esc(n) for n in item["top_call_types"])
        out.append(
            (
                "li",
                f"{esc(item['label'])}: {_pct(item['share_of_police_hours'])} of police officer "
                f"hours (largest: {names})",
            )
        )
    out.append(("h2", "What moves, and to whom"))
    if not charter["moves"]:
        out.append(("p", "Nothing moves: every call type stays with police."))
    for move in charter["moves"]:
        names = ", ".join(f"{esc(t['name'])} ({_pct(t['share'])})" for t in move["call_types"][:10])
        more = len(move["call_types"]) - 10
        if more > 0:
            names += f" and {more} more"
        if move["responder"] == "co_response":
            tail = (
                f"{calls_a_year(move['handled_per_year'], years, limit)} attended by police with a "
                "clinician (no officer hours freed)"
            )
        else:
            tail = (
                f"{calls_a_year(move['handled_per_year'], years, limit)} handled without police, "
                f"{move['officer_hours_freed_per_year']:,.0f} officer hours freed"
            )
        out.append(("li", f"{esc(move['label'])}: {names}; {tail}."))
    exceptions = charter.get("weapon_exceptions") or []
    if exceptions:
        out.append(("h2", "Calls naming a weapon sent without police (confirmed by hand)"))
        for item in exceptions:
            out.append(
                (
                    "li",
                    f"{esc(item['name'])}: {esc(', '.join(item['responders']))}. The type names "
                    "a weapon; a person confirmed this choice.",
                )
            )
    out.append(("h2", "What stays with police by screening"))
    if not charter["screened"]:
        out.append(("p", "No call is screened: nothing moves."))
    for item in charter["screened"]:
        out.append(
            (
                "li",
                f"{esc(item['label'])}: {_pct(item['screening'])} of its calls are screened to "
                f"police (a weapon or violence in progress); it reaches {_pct(item['take_up'])} "
                f"of the calls routed to it, and hands {_pct(item['back_up'])} back to police.",
            )
        )
    return out


def _escape_markdown(text: object) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def charter_text(charter: Mapping[str, Any]) -> str:
    """The charter as plain text."""
    lines = []
    for kind, text in charter_lines(charter, str):
        if kind == "h1":
            lines += [text.upper(), ""]
        elif kind == "h2":
            lines += ["", text, "-" * len(text)]
        elif kind == "li":
            lines.append(f"- {text}")
        else:
            lines.append(text)
    return "\n".join(lines) + "\n"


def charter_markdown(charter: Mapping[str, Any]) -> str:
    """The charter as Markdown; text from the data is escaped."""
    prefix = {"h1": "# ", "h2": "\n## ", "li": "- ", "p": ""}
    return "\n".join(prefix[k] + t for k, t in charter_lines(charter, _escape_markdown)) + "\n"
