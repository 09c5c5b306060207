"""Step 04's results part: what is needed before the pilot's calls are held, the estimate off
the kernel thread once they are, the save, and workbook 04 saving the results headless."""

from __future__ import annotations

import queue
import threading
from datetime import date
from pathlib import Path

import pytest
from results_samples import RESPONDER, WEEKS, appended_workspace, pilot_workspace

from kit.cli import main
from kit.pages.pilot_results import results_html
from kit.pilot.definition import Pilot as Design
from kit.pilot.results import DECISION_NAME
from kit.ui.pilot.results import ResultsModel, evaluate_saved_pilot, results_report
from kit.workspace import Workspace

START = WEEKS[28]
PILOT = ("Area A", "Area C", "Area F")


@pytest.fixture(scope="module")
def after(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A saved pilot design, and its weeks appended to the history as an export."""
    return appended_workspace(tmp_path_factory.mktemp("after") / "ws", PILOT, START)


def _design(ws: Workspace, start: date, design_name: str | None = None) -> None:
    design = Design(
        ("CHECK WELFARE",), "crisis_team", PILOT, start=start, weeks=12, design=design_name
    )
    latest = ws.decisions.latest("pilot_design")
    base = None if latest is None else latest.version
    ws.decisions.save("pilot_design", design.to_document(), base_version=base, step="04")


def test_before_the_pilot_the_section_says_what_to_add_in_plain_words(tmp_path: Path) -> None:
    """No design saved: save it first. Calls ending before a week after the start: what to
    import and where, with no command-line syntax."""
    ws = pilot_workspace(tmp_path / "ws", dict.fromkeys(PILOT, START))
    model = ResultsModel(ws)
    assert model.prepare() is None
    assert "Save the pilot above first" in model.needed
    _design(ws, WEEKS[-1].date())
    assert model.prepare() is None
    assert "at least a week after the start" in model.needed
    assert "step 00" in model.needed and "Add to the calls already imported" in model.needed
    assert "--" not in model.needed and "kit " not in model.needed
    assert "Not yet" in results_report(model)
    _design(ws, START.date(), "randomised")
    assert model.prepare() is None
    assert "sealed draw" in model.needed and "--" not in model.needed


def _pumped(model: ResultsModel) -> list[threading.Thread]:
    """Estimate in the background with a stand-in kernel loop run here; the threads each
    trait change happened on."""
    tasks: queue.Queue = queue.Queue()
    seen: list[threading.Thread] = []
    model.observe(lambda _: seen.append(threading.current_thread()))

    def on_kernel(task: object) -> None:
        done = threading.Event()
        tasks.put((task, done))
        done.wait(60)

    model.estimate_in_background(on_kernel)
    assert model.progress  # shown at once, while the estimate runs
    while model.progress:
        task, done = tasks.get(timeout=120)
        task()
        done.set()
    return seen


def test_the_estimate_runs_off_the_kernel_thread_and_changes_traits_only_on_it(
    after: Workspace,
) -> None:
    """The thread estimating changes no trait itself; the page gets the reading, the
    dispositions to choose from, and with the responder's named, the thinned 30%."""
    model = ResultsModel(after)
    model.dispositions = [RESPONDER]
    seen = _pumped(model)
    assert seen and all(t is threading.main_thread() for t in seen)
    assert not model.error, model.error
    assert RESPONDER in model.choices and "NECESSARY ACTION TAKEN" in model.choices
    doc = model.document
    assert doc["low"] <= -0.3 <= doc["high"] < 0
    assert doc["reading"].startswith("Police handled about 3")
    assert doc["responder"] is not None


def test_saving_keeps_the_results_and_a_new_page_shows_them(after: Workspace) -> None:
    """Saved as pilot_results with its dispositions; a page opened later shows the saved
    reading and starts from the same dispositions; the app's fragment names no option."""
    model = ResultsModel(after)
    with pytest.raises(Exception, match="Wait until the effect is estimated"):
        model.save()
    model.dispositions = [RESPONDER]
    model.estimate_now()
    version = model.save()
    assert model.status == f"Saved as version {version}."
    saved = after.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.document["responder_dispositions"] == [RESPONDER]
    again = ResultsModel(after)
    again.prepare()
    assert again.dispositions == [RESPONDER]
    assert f"Version {version}" in again.saved and "30% fewer" in again.saved
    fragment = str(results_html({**saved.document, "responder": None}, app=True))
    assert "kit evaluate" not in fragment and "choose above" in fragment


def test_a_new_estimate_is_only_asked_for_when_the_workspace_changed(after: Workspace) -> None:
    """The page re-estimates after the calls or the design change, not after its own save."""
    model = ResultsModel(after)
    assert model.held_changed()
    assert not model.held_changed()
    model.estimate_now()
    model.save()
    assert not model.held_changed()
    _design(after, START.date())
    assert model.held_changed()


def test_workbook_04_saves_the_results_when_the_pilot_weeks_are_held(tmp_path: Path) -> None:
    """`kit run --step 04` (papermill) on a workspace with the pilot's weeks appended saves
    pilot_results with the responder's disposition from the parameters, the effect near the
    injected 30%."""
    ws = appended_workspace(tmp_path / "ws", PILOT, START)
    marks = f"responder_dispositions={RESPONDER}"
    assert main(["run", str(ws.path), "--step", "04", "-p", marks]) == 0
    saved = ws.decisions.latest(DECISION_NAME)
    assert saved is not None and saved.step == "04"
    doc = saved.document
    assert doc["method"] == "did" and doc["areas"] == list(PILOT)
    assert doc["low"] <= -0.3 <= doc["high"] < 0
    assert doc["responder_dispositions"] == [RESPONDER]
    assert ws.decisions.latest("pilot_design") is not None
    assert evaluate_saved_pilot(ws, []) == saved.version + 1
