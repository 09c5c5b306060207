"""Where the money can come from: funding sources, the checklist and the gap year by year."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import pandas as pd

from kit.errors import KitError
from kit.funding.defaults import load_template

# American Rescue Plan Act of 2021, section 9813: an 85% federal match for qualifying
# community-based mobile crisis services, for up to 12 fiscal quarters within the five years
# that begin on 2022-04-01.
ARPA_9813_START: Final[date] = date(2022, 4, 1)


ARPA_9813_END: Final[date] = date(2027, 3, 31)


@dataclass(frozen=True)
class FundingSource:
    """One source of money the city has found or hopes for, with amounts by fiscal year."""

    kind: str
    name: str
    amounts: Mapping[int, float] = field(default_factory=dict)
    status: str = "idea"
    start: date | None = None
    end: date | None = None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> FundingSource:
        """Read one entry of the ``funding_sources`` list, checking what a person typed."""
        checklist = load_template("sources.json")
        kinds = {k["kind"] for k in checklist["kinds"]}
        kind = str(raw.get("kind", ""))
        if kind not in kinds:
            raise KitError(
                f"Unknown kind of funding {kind!r}; choose one of {', '.join(sorted(kinds))}."
            )
        status = str(raw.get("status", "idea"))
        if status not in checklist["statuses"]:
            raise KitError(
                f"Unknown status {status!r} for {raw.get('name') or kind}; "
                f"choose one of {', '.join(checklist['statuses'])}."
            )
        amounts: dict[int, float] = {}
        for year, amount in (raw.get("amounts") or {}).items():
            try:
                y, a = int(year), float(amount)
            except (TypeError, ValueError) as exc:
                raise KitError(
                    f"Amounts of {raw.get('name') or kind} must be numbers by year "
                    f"({year}: {amount})."
                ) from exc
            if not math.isfinite(a) or a < 0:
                raise KitError(f"The {y} amount of {raw.get('name') or kind} must be zero or more.")
            amounts[y] = a

        def _date(key: str) -> date | None:
            text = raw.get(key)
            if not text:
                return None
            try:
                return date.fromisoformat(str(text))
            except ValueError as exc:
                raise KitError(
                    f"{key} of {raw.get('name') or kind} must be a date like 2026-07-01."
                ) from exc

        return cls(
            kind=kind,
            name=str(raw.get("name") or kind),
            amounts=amounts,
            status=status,
            start=_date("start"),
            end=_date("end"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "amounts": {str(y): a for y, a in sorted(self.amounts.items())},
            "status": self.status,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


def funding_checklist() -> pd.DataFrame:
    """The kinds of funding to look for, with a note and the source behind each."""
    return pd.DataFrame(load_template("sources.json")["kinds"])


def arpa_enhanced_match_possible(fiscal_year: int, fiscal_year_start_month: int = 7) -> bool:
    """Whether part of a fiscal year falls in the ARPA section 9813 window (from 2022-04-01).

    A fiscal year is named by the calendar year it ends in (fiscal 2026 starting in July runs
    2025-07-01 to 2026-06-30); with a January start it is the calendar year.
    """
    begins = date(
        fiscal_year - (1 if fiscal_year_start_month > 1 else 0), fiscal_year_start_month, 1
    )
    ends = date(fiscal_year + (0 if fiscal_year_start_month > 1 else 1), fiscal_year_start_month, 1)
    return begins <= ARPA_9813_END and ends > ARPA_9813_START


def funding_gap(
    sources: Iterable[FundingSource],
    cost_per_year: float,
    years: Iterable[int],
    *,
    start_up_cost: float = 0.0,
    fiscal_year_start_month: int = 7,
) -> pd.DataFrame:
    """Year by year: the service's cost, money secured and hoped for, and the gap that remains.

    Only committed or received money closes the gap; money applied for or still an idea is
    shown beside it so the gap can be read both ways. The first year carries the start-up cost.
    """
    checklist = load_template("sources.json")
    secured_statuses = set(checklist["secured_statuses"])
    chosen = sorted(set(years))
    listed = list(sources)
    rows = []
    for i, year in enumerate(chosen):
        cost = cost_per_year + (start_up_cost if i == 0 else 0.0)
        secured = sum(s.amounts.get(year, 0.0) for s in listed if s.status in secured_statuses)
        pending = sum(s.amounts.get(year, 0.0) for s in listed if s.status not in secured_statuses)
        rows.append(
            {
                "year": year,
                "cost": cost,
                "secured": secured,
                "pending": pending,
                "gap": max(cost - secured, 0.0),
                "gap_if_pending_arrives": max(cost - secured - pending, 0.0),
                "arpa_enhanced_match_possible": arpa_enhanced_match_possible(
                    year, fiscal_year_start_month
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "cost",
            "secured",
            "pending",
            "gap",
            "gap_if_pending_arrives",
            "arpa_enhanced_match_possible",
        ],
    )
