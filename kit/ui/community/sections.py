"""Step 01's page, one named section at a time.

Each function builds one section of :class:`~kit.ui.community.view.CommunityView`: it makes
the section's widgets, keeps on the view those the view redraws, and returns the section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.pages.guide import help_html

if TYPE_CHECKING:
    import ipywidgets as widgets

    from kit.ui.base import StepView
    from kit.ui.community.view import CommunityView


def survey(view: CommunityView) -> widgets.Widget:
    """The survey upload, then its priorities and scores, weighted beside unweighted."""
    import ipywidgets as widgets

    upload = widgets.FileUpload(
        accept=".csv,.xlsx", multiple=False, description="Upload a survey"
    ).add_class("kit-survey-upload")
    upload.observe(view.survey_uploaded, names="value")
    view.answers = widgets.HTML().add_class("kit-community-answers")
    return view.section(
        "The survey, weighted to who lives here",
        widgets.HTML(help_html("community.survey")),
        upload,
        view.answers,
        css="kit-community-survey",
    )


def participation(view: CommunityView) -> widgets.Widget:
    """Who took part against who lives there, and what the weights mean."""
    import ipywidgets as widgets

    view.participation = widgets.HTML().add_class("kit-community-participation-box")
    view.notes = widgets.HTML()
    return view.section("Who took part", view.participation, view.notes, css="kit-community-who")


def voices(view: CommunityView) -> widgets.Widget:
    """Opinion groups, consensus and division, who was not heard, and the themes."""
    import ipywidgets as widgets

    view.voices = widgets.HTML().add_class("kit-community-voices")
    return view.section(
        "Deliberation, listening sessions and themes", view.voices, css="kit-community-heard"
    )


def goals(view: CommunityView) -> widgets.Widget:
    """The metric menu with baselines, the goals written so far, the goals editor and Save."""
    import ipywidgets as widgets

    view.menu = widgets.HTML().add_class("kit-safety-menu-box")
    view.goal_list = widgets.HTML().add_class("kit-safety-goal-list")
    # Sent whole on Enter or leaving the field, so a click made just after typing comes after it.
    view.goal_text = widgets.Text(
        description="Goal",
        placeholder="e.g. People in crisis are met by a care worker",
        continuous_update=False,
    ).add_class("kit-goal-text")
    view.goal_text.layout.width = "40em"
    view.goal_metric = widgets.Dropdown(description="Measured by").add_class("kit-goal-metric")
    view.goal_target = widgets.FloatText(description="Target").add_class("kit-goal-target")
    view.goal_metric.observe(lambda _: view.show_target_unit(), names="value")
    view.goal_remove = widgets.BoundedIntText(
        description="Goal no.", min=1, value=1, layout=widgets.Layout(width="12em")
    ).add_class("kit-goal-number")
    return view.section(
        "What safety means here: goals",
        widgets.HTML(help_html("community.goals")),
        view.menu,
        view.goal_list,
        view.goal_text,
        widgets.HBox([view.goal_metric, view.goal_target]),
        view.control("Add the goal", view.add_goal, css="kit-goal-add"),
        widgets.HBox(
            [view.goal_remove, view.control("Remove it", view.remove_goal, css="kit-goal-remove")]
        ),
        view.control("Save", view.model.save, css="kit-save"),
        css="kit-community-goals",
    )


def goals_beside_plan(view: StepView) -> widgets.Widget:
    """Step 01's goals as saved, for another step's page to show beside its own figures."""
    import ipywidgets as widgets

    from kit.community.definition import saved_goals
    from kit.pages.community import goals_html

    box = widgets.HTML(goals_html(saved_goals(view.model.workspace)))
    return view.section("The community's goals (step 01)", box, css="kit-section-safety-goals")
