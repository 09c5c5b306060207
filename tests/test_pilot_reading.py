"""The plain-language reading of a pilot's effect: decreases, increases, no clear change,
and a design that cannot support a confident conclusion."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.errors import KitError
from kit.pilot.reading import Effect, places, reading


def test_a_decrease_reads_as_fewer_with_its_interval() -> None:
    """The issue's own example, word for word."""
    text = reading(Effect(-0.30, -0.36, -0.24), "welfare checks", "the pilot districts")
    assert text == (
        "Police handled about 30% fewer welfare checks in the pilot districts "
        "(95% interval 24% to 36% fewer)."
    )


def test_an_increase_reads_as_more() -> None:
    """An interval above zero reads as more calls, lower end first."""
    text = reading(Effect(0.12, 0.03, 0.22), "alarm calls", "Eastgate")
    assert (
        text
        == "Police handled about 12% more alarm calls in Eastgate (95% interval 3% to 22% more)."
    )


def test_an_interval_spanning_zero_is_no_clear_change() -> None:
    """Both ends are named, each with its direction, and the point is not read as an effect."""
    text = reading(Effect(-0.04, -0.12, 0.05), "welfare checks", "Old Harbor and Eastgate")
    assert text == (
        "No clear change: police handled about 4% fewer welfare checks in Old Harbor and "
        "Eastgate, but the 95% interval from 12% fewer to 5% more includes no change."
    )


def test_an_effect_that_rounds_to_nothing_says_about_as_many() -> None:
    text = reading(Effect(0.002, -0.05, 0.06), "calls", "Millbrook")
    assert text.startswith("No clear change: police handled about as many calls in Millbrook")


def test_a_design_without_confident_inference_says_so_with_its_advice() -> None:
    """A clear-looking interval from too few areas still carries the warning and what would help."""
    advice = "Use more areas, or randomise the new response by shift or day."
    text = reading(Effect(-0.3, -0.4, -0.2, confident=False, advice=advice), "calls", "Lakeview")
    assert text.endswith(f"This design cannot support a confident conclusion. {advice}")
    assert text.startswith("Police handled about 30% fewer calls in Lakeview")


def test_an_interval_without_an_upper_end_is_read_as_no_clear_change() -> None:
    """Synthetic control with too few placebo areas cannot bound its interval."""
    text = reading(Effect(-0.2, -1.0, float("inf")), "calls", "Millbrook")
    assert text == (
        "No clear change: police handled about 20% fewer calls in Millbrook, but the 95% "
        "interval from 100% fewer with no upper end includes no change."
    )


def test_an_effect_outside_its_interval_is_refused() -> None:
    with pytest.raises(KitError, match="outside its interval"):
        Effect(-0.5, -0.3, -0.1)


def test_places_names_few_areas_and_counts_many() -> None:
    assert places(["Old Harbor"]) == "Old Harbor"
    assert places(["A", "B", "C"]) == "A, B and C"
    assert places(["A", "B", "C", "D"]) == "the 4 pilot areas"


@given(
    st.floats(-0.95, 3.0),
    st.floats(0.0, 0.5),
    st.floats(0.0, 0.5),
)
def test_the_reading_never_calls_an_interval_across_zero_an_effect(
    effect: float, below: float, above: float
) -> None:
    """Whatever the figures, "no clear change" exactly when the interval spans zero, and the
    direction word otherwise matches the interval's side."""
    low, high = max(-0.99, effect - below), effect + above
    text = reading(Effect(effect, low, high), "calls", "X")
    assert text.startswith("No clear change") == (low < 0 < high)
    if high < 0 and round(100 * effect):
        assert "fewer calls" in text and "more" not in text
    if low > 0 and round(100 * effect):
        assert "more calls" in text and "fewer" not in text
