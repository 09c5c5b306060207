"""A pilot randomised by shift or day: its effect from the sealed draw.

The draw says, for each shift (or day) of the pilot, whether the new responder was on. The
pilot's calls police handled are counted per shift in the pilot areas, and the rate ratio
of shifts with the responder to shifts without is a Poisson model with a fixed effect for
each week and shift of the day (so busier weeks and nights compare only with themselves).
Conditional on each block's total, that model is a one-parameter likelihood (the Poisson
fixed-effects estimate equals the conditional one; Hausman, Hall and Griliches 1984,
Econometrica 52(4)), solved here on the block sums.

The interval comes from the assignment scheme itself: the draw is repeated many times,
shuffling which shifts had the responder within each week and shift of the day, so the
same number are drawn in each as in the real draw. That holds whether the real draw was
made week by week or over the whole pilot (given how many fell in each week, every
arrangement within the week was equally likely). As for the other designs, the placebo
draws' t-statistics set how much wider than the model's the interval must be, and the
p-value is the share of them at least as far from zero as the real one.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
from scipy import optimize

from kit.errors import KitError
from kit.pilot.estimators import RANDOMISATION, Estimate, summarise
from kit.pilot.panel import SHIFTS, shift_names

#: Placebo draws for the interval and p-value: cheap, since each is one sum on the blocks.
DRAWS: Final = 999
#: A shift named in the draw by its first word ("day", "evening", "night") or in full.
SHIFT_NAMES: Final = {**{s.split()[0]: s for s in SHIFTS}, **{s: s for s in SHIFTS}}
#: Whole days: the draw names no shift.
WHOLE_DAY: Final = "whole day"
_YES: Final = {"yes", "y", "true", "1", "on"}
_NO: Final = {"no", "n", "false", "0", "off"}


def read_draw(source: Path | bytes, name: str = "the draw") -> pd.DataFrame:
    """The sealed draw from a CSV file: ``date`` (YYYY-MM-DD), ``shift`` (optional: day,
    evening or night) and ``responder`` (yes or no) per row; one row per shift or day.

    Returns columns ``date`` (datetime64), ``shift`` and ``responder`` (bool). Anything
    unreadable is refused in plain words, naming the row.
    """
    try:
        text = source if isinstance(source, bytes) else Path(source).read_bytes()
        frame = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise KitError(f"Could not read {name} as a CSV file: {exc}.") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if missing := [c for c in ("date", "responder") if c not in frame]:
        raise KitError(
            f"{name} has no column {' or '.join(missing)}: it needs a date column, a responder "
            "column (yes or no) and, for shifts, a shift column (day, evening or night)."
        )
    if frame.empty:
        raise KitError(f"{name} has no rows: one row per shift or day of the pilot.")
    dates = pd.to_datetime(frame["date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        row = int(dates.isna().to_numpy().argmax())
        raise KitError(
            f"{name}, row {row + 2}: {frame['date'].iloc[row]!r} is not a date written as "
            "YYYY-MM-DD."
        )
    shifts = pd.Series(WHOLE_DAY, index=frame.index)
    if "shift" in frame:
        words = frame["shift"].str.strip().str.lower()
        shifts = words.map(SHIFT_NAMES)
        if shifts.isna().any():
            row = int(shifts.isna().to_numpy().argmax())
            raise KitError(
                f"{name}, row {row + 2}: shift {frame['shift'].iloc[row]!r} is not one of day "
                "(07-15), evening (15-23) or night (23-07)."
            )
    answer = frame["responder"].str.strip().str.lower()
    unknown = ~answer.isin(_YES | _NO)
    if unknown.any():
        row = int(unknown.to_numpy().argmax())
        raise KitError(
            f"{name}, row {row + 2}: responder {frame['responder'].iloc[row]!r} must be yes or no."
        )
    draw = pd.DataFrame({"date": dates, "shift": shifts, "responder": answer.isin(_YES)})
    if draw.duplicated(["date", "shift"]).any():
        row = int(draw.duplicated(["date", "shift"]).to_numpy().argmax())
        raise KitError(f"{name}, row {row + 2}: that shift is drawn twice; keep one row.")
    if draw["responder"].all() or not draw["responder"].any():
        raise KitError(f"{name} needs shifts both with and without the responder.")
    return draw


def _shift_of(local: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Each call's shift and the day the shift began (a night shift began the evening before)."""
    early = (local.dt.hour < 7).astype(int)
    return local.dt.normalize() - pd.to_timedelta(early, unit="D"), shift_names(local)


def shift_counts(calls: pd.DataFrame, areas: Sequence[str], draw: pd.DataFrame) -> pd.DataFrame:
    """Calls per pilot area and drawn shift (or day), zeros included, with the draw.

    ``calls`` are the calls to count (the pilot's types, police-handled), with ``area`` and
    ``received_at``; calls outside the draw's shifts are not counted.
    """
    local = calls["received_at"].dt.tz_localize(None)
    if (draw["shift"] == WHOLE_DAY).all():
        began, names = local.dt.normalize(), np.full(len(calls), WHOLE_DAY)
    else:
        began, names = _shift_of(local)
    counted = (
        pd.DataFrame({"area": calls["area"].astype(str).to_numpy(), "date": began.to_numpy()})
        .assign(shift=names)
        .value_counts()
        .rename("calls")
    )
    index = pd.MultiIndex.from_product(
        [list(areas), draw["date"], sorted(set(draw["shift"]))], names=["area", "date", "shift"]
    )
    units = counted.reindex(index, fill_value=0).reset_index()
    return units.merge(draw, on=["date", "shift"], how="inner")


def _rates(b: np.ndarray, totals: np.ndarray, drawn: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Each block's expected share of its calls on drawn shifts at log rate ratio ``b``."""
    odds = drawn * np.exp(b)
    return odds / (units - drawn + odds)


def rate_ratio(
    calls: np.ndarray, responder: np.ndarray, block: np.ndarray
) -> tuple[float, float, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Log rate ratio of shifts with the responder, its model SE, and the informative blocks'
    sums (calls, drawn shifts, shifts): the Poisson fit with a fixed effect per block.

    Blocks whose shifts all had, or all lacked, the responder say nothing and are left out.
    """
    units = np.bincount(block).astype(float)
    drawn = np.bincount(block, responder.astype(float), minlength=len(units))
    totals = np.bincount(block, calls, minlength=len(units))
    useful = (drawn > 0) & (drawn < units)
    sums = totals[useful], drawn[useful], units[useful]
    observed = float(calls[responder & useful[block]].sum())
    if sums[0].sum() == 0 or observed in (0.0, float(sums[0].sum())):
        raise KitError(
            "The pilot's calls fall all on shifts with the responder or all on shifts without "
            "it: there is nothing to compare. Check the draw's dates against the calls held."
        )
    b = optimize.brentq(lambda x: float((sums[0] * _rates(x, *sums)).sum()) - observed, -30, 30)
    p = _rates(np.asarray(b), *sums)
    return float(b), float(1 / math.sqrt((sums[0] * p * (1 - p)).sum())), sums


def _redrawn_t(
    calls: np.ndarray,
    responder: np.ndarray,
    block: np.ndarray,
    sums: tuple[np.ndarray, np.ndarray, np.ndarray],
    rng: np.random.Generator,
) -> np.ndarray:
    """t-statistics of DRAWS placebo draws, shuffled within each block.

    Block sums do not change with the shuffle, so each draw's estimate is read off the
    one curve of expected calls on drawn shifts against the log rate ratio.
    """
    order = np.argsort(block, kind="stable")
    keys = block[None, :] + rng.random((DRAWS, len(block)))
    shuffled = np.empty((DRAWS, len(block)))
    shuffled[:, order] = calls[np.argsort(keys, axis=1)]
    units = np.bincount(block)
    drawn = np.bincount(block, responder.astype(float), minlength=len(units))
    informative = ((drawn > 0) & (drawn < units))[block]
    hits = (shuffled * (responder & informative)).sum(axis=1)
    grid = np.linspace(-8, 8, 1601)
    p = _rates(grid[:, None], *sums)
    expected = (sums[0] * p).sum(axis=1)
    b = np.interp(hits, expected, grid)
    q = _rates(b[:, None], *sums)
    return b * np.sqrt((sums[0] * q * (1 - q)).sum(axis=1))


def randomised(units: pd.DataFrame, *, seed: int = 0) -> Estimate:
    """The pilot's effect from :func:`shift_counts` (summed over the areas given), with
    randomisation inference over the draw."""
    if units.empty:
        raise KitError("The draw's shifts hold no calls of the pilot: check its dates.")
    per = units.groupby(["date", "shift"], as_index=False).agg(
        calls=("calls", "sum"), responder=("responder", "first")
    )
    week = per["date"] - pd.to_timedelta(per["date"].dt.day_of_week, unit="D")
    block = per.groupby([week, per["shift"]]).ngroup().to_numpy()
    calls = per["calls"].to_numpy(dtype=float)
    responder = per["responder"].to_numpy(dtype=bool)
    b, se, sums = rate_ratio(calls, responder, block)
    placebos = _redrawn_t(calls, responder, block, sums, np.random.default_rng(seed))
    effect, low, high, p_value = summarise(
        b, inference=RANDOMISATION, model_se=se, placebos=placebos
    )
    return Estimate(
        method="randomised",
        inference=RANDOMISATION,
        effect=effect,
        low=low,
        high=high,
        p_value=p_value,
        comparison_areas=(),
        weeks_before=0,
        weeks_after=int(week.nunique()),
        confident=True,
        advice="",
    )
