"""kit.funding is a package of small modules whose public names stay importable from the top."""

from __future__ import annotations

from pathlib import Path

import pytest

import kit.funding

# Every name the app, the command line, the benchmarks and the tests take from kit.funding.
USED_ELSEWHERE = (  # noqa: SIM905 (a list of names reads best as words)
    "DECISION_NAME DEFAULT_TARGET Evaluation FundingSource Inputs ReverseScenario "
    "SCHEMA_VERSION SENSITIVITY Settings TRAVEL_HELP Plan Costs check_document "
    "check_scenario compare_scenarios cost_figures default_costs default_document "
    "dispatch_budget document_for evaluate evaluate_scenario field_responder_budget "
    "freed_by_area funding_checklist funding_gap hours_between load_inputs load_template "
    "net_effect officer_hourly_cost per_call_budget plan_key reverse_scenario scenario_plan "
    "sensitivity settings_from_document unit_minutes with_cost arpa_enhanced_match_possible"
).split()


@pytest.mark.parametrize("name", USED_ELSEWHERE)
def test_names_used_elsewhere_import_from_the_package(name: str) -> None:
    assert name in kit.funding.__all__
    found = getattr(kit.funding, name)
    if callable(found):  # functions and classes live in one of the package's modules
        assert found.__module__.startswith("kit.funding.")


def test_modules_are_small() -> None:
    """No module of the package grows back into a thousand-line file."""
    package = Path(kit.funding.__file__).parent
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in package.glob("*.py")}
    assert len(sizes) >= 8
    assert max(sizes.values()) < 450, sizes
