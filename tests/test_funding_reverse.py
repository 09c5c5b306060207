"""The reverse scenario on the sample city: the new service's cost beside the cut."""

from __future__ import annotations

import pytest

from kit import funding
from kit.labels import money
from kit.workspace import Workspace
from sample_city.build import sample_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return sample_workspace(tmp_path_factory.mktemp("reverse") / "ws")


def _reverse(ws: Workspace, cut: float) -> funding.ReverseScenario:
    inputs = funding.load_inputs(ws)
    doc = funding.document_for(ws, inputs)
    settings = funding.settings_from_document(doc, inputs)
    budget = float(inputs.latest_budget_year()["total"])
    return funding.reverse_scenario(
        inputs.cube, inputs.roles, settings, budget_cut=cut, police_budget=budget
    )


def test_a_tiny_cut_is_not_reached_by_a_costly_service(ws: Workspace) -> None:
    """A 0.2% cut frees enough hours with a service that costs far more than the cut saves:
    the result says so plainly and gives the cost, the cut and the net side by side."""
    result = _reverse(ws, 0.002)
    summary = result.summary()
    assert summary["reached"] is True
    assert summary["budget_cut_amount"] == pytest.approx(0.002 * result.police_budget)
    assert summary["service_cost"] > summary["budget_cut_amount"]
    assert summary["net_of_cut"] == pytest.approx(
        summary["budget_cut_amount"] - summary["service_cost"]
    )
    assert summary["fits_cut"] is False
    assert summary["verdict"].startswith("The cut is not reached: ")
    assert money(summary["service_cost"]) in summary["verdict"]
    assert money(summary["budget_cut_amount"]) in summary["verdict"]
    assert result.evaluation.name == "Police budget 0.2% smaller"


def test_a_cut_the_moves_cannot_cover(ws: Workspace) -> None:
    """A 5% cut removes more officer hours than every candidate move frees: said plainly."""
    summary = _reverse(ws, 0.05).summary()
    assert summary["reached"] is False
    assert summary["hours_freed"] < summary["hours_needed"]
    assert summary["verdict"].startswith("The cut is not reached: even all these moves free only")
