"""A pilot's estimated effect in one plain sentence, with its interval.

Elected officials and residents read the sentence, not the table: it says which way calls
moved and by about how much, gives the 95% interval in the same words, calls an interval
that spans no change "no clear change" rather than a small effect, and says so when the
design cannot support a confident conclusion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kit.errors import KitError


@dataclass(frozen=True)
class Effect:
    """An effect on the scale exp(b) - 1 (-0.3: 30% fewer) with its 95% interval; ``advice``
    is the design's caveat or what would support a confident conclusion."""

    effect: float
    low: float
    high: float
    confident: bool = True
    advice: str = ""

    def __post_init__(self) -> None:
        if not self.low <= self.effect <= self.high:
            raise KitError(
                f"An effect of {self.effect:.3f} lies outside its interval "
                f"({self.low:.3f} to {self.high:.3f})."
            )


def change_words(value: float) -> str:
    """A proportional change as people say it: "30% fewer", "12% more", "about as many"."""
    percent = round(100 * abs(value))
    if percent == 0:
        return "about as many"
    return f"{percent}% {'fewer' if value < 0 else 'more'}"


def interval_words(low: float, high: float) -> str:
    """The 95% interval in words, its unit said once when both ends go the same way; an
    interval too wide to bound (too few placebos to measure it) says it has no upper end."""
    if math.isinf(high):
        return f"95% interval from {change_words(low)} with no upper end"
    if low < 0 < high:
        return f"95% interval from {change_words(low)} to {change_words(high)}"
    lo, hi = sorted((abs(low), abs(high)))
    word = "fewer" if high < 0 else "more"
    if round(100 * hi) == 0:
        return "95% interval about as many"
    return f"95% interval {round(100 * lo)}% to {round(100 * hi)}% {word}"


def places(areas: Sequence[str]) -> str:
    """Where the pilot ran, in words: one area by name, up to three listed, else "N areas"."""
    if not areas:
        return "the pilot areas"
    if len(areas) == 1:
        return areas[0]
    if len(areas) <= 3:
        return f"{', '.join(areas[:-1])} and {areas[-1]}"
    return f"the {len(areas)} pilot areas"


def reading(result: Effect, what: str, where: str, *, who: str = "police") -> str:
    """The sentence for ``result``: ``who`` handled more or fewer ``what`` in ``where``, such
    as "Police handled about 30% fewer welfare checks in the pilot districts (95% interval 24%
    to 36% fewer)."
    """
    size = change_words(result.effect)
    about = size if size == "about as many" else f"about {size}"
    interval = interval_words(result.low, result.high)
    if not result.low < 0 < result.high:
        text = f"{who.capitalize()} handled {about} {what} in {where} ({interval})."
    else:
        text = (
            f"No clear change: {who} handled {about} {what} in {where}, "
            f"but the {interval} includes no change."
        )
    if not result.confident:
        text += " This design cannot support a confident conclusion."
    return f"{text} {result.advice}" if result.advice else text
