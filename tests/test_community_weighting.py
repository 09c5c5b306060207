"""Raking survey respondents to the residents, and the weighted means with their intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.community.survey import GROUP_COLUMN, NOT_SAID
from kit.community.weighting import TRIM_AT, Targets, rake_table, weigh, weighted_mean
from kit.errors import KitError

KNOWN_CELLS = np.array([[30, 20], [10, 40]])
KNOWN_WEIGHTS = np.array([[1.0959, 0.6061], [1.7122, 0.9469]])


def _respondents(cells: np.ndarray, areas: list[str], groups: list[str]) -> pd.DataFrame:
    """One row per respondent from a table of counts (areas down, groups across)."""
    rows = [
        (areas[i], groups[j])
        for i in range(cells.shape[0])
        for j in range(cells.shape[1])
        for _ in range(int(cells[i, j]))
    ]
    return pd.DataFrame(rows, columns=["area", GROUP_COLUMN])


def test_raking_reproduces_known_weights_on_a_table() -> None:
    """[[30, 20], [10, 40]] raked to rows (45, 55) and columns (50, 50): the published weights."""
    fitted, converged = rake_table(KNOWN_CELLS, np.array([45, 55]), np.array([50, 50]))
    assert converged
    np.testing.assert_allclose(fitted / KNOWN_CELLS, KNOWN_WEIGHTS, atol=1e-4)


def test_respondents_get_the_known_weights() -> None:
    """The same case through weigh(): each respondent carries their cell's weight."""
    frame = _respondents(KNOWN_CELLS, ["A", "B"], ["black", "white_nh"])
    targets = Targets(
        areas=pd.Series({"A": 45.0, "B": 55.0}),
        groups=pd.Series(
            {"white_nh": 50.0, "black": 50.0, "hispanic": 0.0, "asian": 0.0, "other": 0.0}
        ),
    )
    weighting = weigh(frame, targets)
    cell = frame["area"].map({"A": 0, "B": 1}), frame[GROUP_COLUMN].map({"black": 0, "white_nh": 1})
    np.testing.assert_allclose(weighting.weights, KNOWN_WEIGHTS[cell[0], cell[1]], atol=1e-4)
    assert weighting.trimmed == 0
    deff = len(frame) * np.sum(weighting.weights**2) / np.sum(weighting.weights) ** 2
    assert weighting.design_effect == pytest.approx(deff)
    assert weighting.effective_n == pytest.approx(len(frame) / deff)


@settings(max_examples=40, deadline=None)
@given(
    cells=st.lists(st.integers(1, 40), min_size=6, max_size=6),
    areas=st.lists(st.integers(100, 5_000), min_size=2, max_size=2),
    shares=st.lists(st.integers(1, 10), min_size=3, max_size=3),
    not_said=st.integers(0, 15),
)
def test_weights_match_every_margin(
    cells: list[int], areas: list[int], shares: list[int], not_said: int
) -> None:
    """Weighted respondents match the area shares, and the groups' shares among those who
    said; those who did not keep their own share; weights average 1. Where the margins cannot
    all be met (everyone who did not say lives in a small area) a note says so."""
    table = np.array(cells).reshape(2, 3)
    frame = _respondents(table, ["A", "B"], ["white_nh", "black", "hispanic"])
    frame = pd.concat(
        [frame, pd.DataFrame({"area": ["A"] * not_said, GROUP_COLUMN: [NOT_SAID] * not_said})],
        ignore_index=True,
    )
    targets = Targets(
        areas=pd.Series({"A": float(areas[0]), "B": float(areas[1])}),
        groups=pd.Series(
            dict(
                zip(
                    ["white_nh", "black", "hispanic", "asian", "other"],
                    [*map(float, shares), 0.0, 0.0],
                    strict=True,
                )
            )
        ),
    )
    weighting = weigh(frame, targets)
    w = pd.Series(weighting.weights)
    n = len(frame)
    assert w.mean() == pytest.approx(1.0)
    if weighting.trimmed == 0 and not weighting.notes:
        by_area = w.groupby(frame["area"]).sum() / n
        assert by_area["A"] == pytest.approx(areas[0] / sum(areas), abs=1e-6)
        said = frame[GROUP_COLUMN] != NOT_SAID
        by_group = w[said].groupby(frame[GROUP_COLUMN][said]).sum() / w[said].sum()
        for key, share in zip(["white_nh", "black", "hispanic"], shares, strict=True):
            assert by_group[key] == pytest.approx(share / sum(shares), abs=1e-6)
        assert w[~said].sum() == pytest.approx(not_said, abs=1e-6)


def test_margins_that_cannot_be_met_leave_a_note() -> None:
    """Seven who did not say their group, all in A, cannot be half of A's half: the weights
    come as close as they can and the note says the targets were not all met."""
    frame = _respondents(np.ones((2, 3), dtype=int), ["A", "B"], ["white_nh", "black", "asian"])
    extra = pd.DataFrame({"area": ["A"] * 7, GROUP_COLUMN: [NOT_SAID] * 7})
    targets = Targets(
        areas=pd.Series({"A": 1.0, "B": 1.0}),
        groups=pd.Series(
            {"white_nh": 1.0, "black": 1.0, "hispanic": 0.0, "asian": 1.0, "other": 0.0}
        ),
    )
    weighting = weigh(pd.concat([frame, extra], ignore_index=True), targets)
    assert any("cannot all be matched" in note for note in weighting.notes)
    assert weighting.weights.mean() == pytest.approx(1.0)


def test_a_loud_few_are_trimmed_then_raked_again() -> None:
    """A group of 2 raked to a third of the city would weigh far over 5: it is cut and raked
    again until raking cannot help; the cap holds and the note names the group left short."""
    frame = _respondents(np.array([[200, 2], [200, 0]]), ["A", "B"], ["white_nh", "black"])
    targets = Targets(
        areas=pd.Series({"A": 500.0, "B": 500.0}),
        groups=pd.Series(
            {"white_nh": 2.0, "black": 1.0, "hispanic": 0.0, "asian": 0.0, "other": 0.0}
        ),
    )
    weighting = weigh(frame, targets)
    assert weighting.trimmed == 2
    w = pd.Series(weighting.weights)
    assert w.mean() == pytest.approx(1.0)
    assert w.max() == pytest.approx(TRIM_AT, rel=1e-6)
    assert any(note.startswith("Too few respondents are Black") for note in weighting.notes)


def test_an_area_without_respondents_is_named() -> None:
    """Nobody can stand for an area nobody answered from: the note says so."""
    frame = _respondents(np.array([[10, 10]]), ["A"], ["white_nh", "black"])
    targets = Targets(
        areas=pd.Series({"A": 100.0, "Empty": 100.0}),
        groups=pd.Series(
            {"white_nh": 1.0, "black": 1.0, "hispanic": 0.0, "asian": 0.0, "other": 0.0}
        ),
    )
    weighting = weigh(frame, targets)
    assert any("No respondent lives in Empty" in note for note in weighting.notes)
    np.testing.assert_allclose(weighting.weights, 1.0)


def test_a_survey_area_outside_the_profile_is_refused() -> None:
    """Respondents from an area the profile does not know cannot be weighted."""
    frame = pd.DataFrame({"area": ["A", "Elsewhere"], GROUP_COLUMN: ["black", "black"]})
    targets = Targets(areas=pd.Series({"A": 1.0}), groups=pd.Series({"black": 1.0}))
    with pytest.raises(KitError, match="'Elsewhere' are not in the profile"):
        weigh(frame, targets)


def test_linearised_variance_matches_statsmodels() -> None:
    """Our interval's variance equals the robust (HC0) variance statsmodels gives for the mean
    fitted by weighted least squares on the raking indicators, times n/(n-1)."""
    rng = np.random.default_rng(7)
    n = 300
    area = rng.integers(0, 3, n)
    group = rng.integers(0, 2, n)
    y = 2 + area * 0.5 + group + rng.normal(0, 1, n)
    w = rng.uniform(0.3, 3, n)
    design = np.hstack([np.eye(3)[area], np.eye(2)[group][:, 1:]])
    fit = sm.WLS(y, design, weights=w).fit(cov_type="HC0")
    xbar = design.T @ w / w.sum()
    expected = float(xbar @ fit.cov_params() @ xbar) * n / (n - 1)
    found = weighted_mean(y, w, design)
    half = (found.high - found.low) / 2
    assert found.mean == pytest.approx(np.average(y, weights=w))
    assert (half / 1.959963984540054) ** 2 == pytest.approx(expected, rel=1e-9)
    plain = sm.WLS(y, np.ones(n), weights=w).fit(cov_type="HC0")
    alone = weighted_mean(y, w)
    assert ((alone.high - alone.low) / 2 / 1.959963984540054) ** 2 == pytest.approx(
        float(plain.cov_params()[0, 0]) * n / (n - 1), rel=1e-9
    )


def test_skipped_answers_and_domains() -> None:
    """Skipped answers are left out of the mean; a domain's mean uses only its people."""
    values = np.array([1.0, np.nan, 3.0, 5.0])
    weights = np.array([1.0, 1.0, 1.0, 3.0])
    assert weighted_mean(values, weights).mean == pytest.approx((1 + 3 + 15) / 5)
    assert weighted_mean(values, weights).mean_unweighted == pytest.approx(3.0)
    inside = weighted_mean(values, weights, within=np.array([True, True, True, False]))
    assert inside.mean == pytest.approx(2.0)
    assert inside.respondents == 2
    nobody = weighted_mean(np.full(3, np.nan), np.ones(3))
    assert nobody.respondents == 0 and nobody.to_document()["mean"] is None


def test_weighted_mean_recovers_the_population_and_covers_it() -> None:
    """A city whose response rate is area effect times group effect, and whose answers depend
    on area and group: the raked mean is unbiased and its 95% interval covers the residents'
    mean in 92.5-97.5% of 1,000 seeded surveys."""
    rng = np.random.default_rng(20_240_601)
    population = np.array([[3_000, 1_500, 500], [1_000, 2_500, 1_500], [2_000, 1_000, 3_000]])
    answer_mean = np.array([[3.0, 3.8, 4.2], [2.6, 3.4, 4.0], [3.3, 3.9, 4.6]])
    respond = np.array([0.12, 0.05, 0.08])[:, None] * np.array([1.0, 0.45, 0.6])[None, :]
    area, group = np.indices(population.shape)
    people_area = np.repeat(area.ravel(), population.ravel())
    people_group = np.repeat(group.ravel(), population.ravel())
    answers = np.clip(
        np.rint(answer_mean[people_area, people_group] + rng.normal(0, 1.1, people_area.size)),
        1,
        5,
    )
    truth = answers.mean()
    targets = Targets(
        areas=pd.Series(population.sum(axis=1).astype(float), index=["A", "B", "C"]),
        groups=pd.Series(
            {"white_nh": 0.0, "black": 0.0, "hispanic": 0.0, "asian": 0.0, "other": 0.0}
            | dict(zip(["black", "hispanic", "other"], population.sum(axis=0) * 1.0, strict=True))
        ),
    )
    area_names = np.array(["A", "B", "C"], dtype=object)
    group_names = np.array(["black", "hispanic", "other"], dtype=object)
    chance = respond[people_area, people_group]
    covered, means, plain = 0, [], []
    for _ in range(1_000):
        took_part = rng.random(chance.size) < chance
        frame = pd.DataFrame(
            {
                "area": area_names[people_area[took_part]],
                GROUP_COLUMN: group_names[people_group[took_part]],
            }
        )
        weighting = weigh(frame, targets)
        found = weighted_mean(answers[took_part], weighting.weights, weighting.design)
        covered += found.low <= truth <= found.high
        means.append(found.mean)
        plain.append(found.mean_unweighted)
    assert abs(np.mean(means) - truth) < 0.01
    assert abs(np.mean(plain) - truth) > 0.1  # the unweighted mean is off: weighting mattered
    assert 925 <= covered <= 975


def test_groups_the_profile_lacks_or_nobody_gave() -> None:
    """Respondents of a group with no residents in the profile, and surveys where nobody said
    their group, are weighted on area alone, with a note saying so."""
    targets = Targets(
        areas=pd.Series({"A": 300.0, "B": 100.0}),
        groups=pd.Series(
            {"white_nh": 1.0, "black": 1.0, "hispanic": 0.0, "asian": 0.0, "other": 0.0}
        ),
    )
    frame = _respondents(
        np.array([[5, 5, 2], [5, 5, 2]]), ["A", "B"], ["white_nh", "black", "asian"]
    )
    weighting = weigh(frame, targets)
    assert any("no Asian residents" in note for note in weighting.notes)
    w = pd.Series(weighting.weights)
    assert w.groupby(frame["area"]).sum()["A"] == pytest.approx(0.75 * len(frame))
    quiet = frame.assign(**{GROUP_COLUMN: NOT_SAID})
    weighting = weigh(quiet, targets)
    assert any("No respondent said their group" in note for note in weighting.notes)
    np.testing.assert_allclose(weighting.weights[quiet["area"] == "A"], 1.5)
