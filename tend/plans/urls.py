from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, path

from tend.plans import views

app_name = "plans"


def _retirement_paths(
    prefix: str, view: Callable[..., HttpResponse], name: str
) -> list[URLPattern]:
    """`<prefix>retire/` and `<prefix>restore/`, both served by one view."""
    return [
        path(f"{prefix}retire/", view, {"retired": True}, name=f"{name}_retire"),
        path(f"{prefix}restore/", view, {"retired": False}, name=f"{name}_restore"),
    ]


urlpatterns = [
    path("clients/<uuid:client_id>/", views.client_plans, name="client_plans"),
    path("clients/<uuid:client_id>/start/", views.plan_start, name="plan_start"),
    path("<uuid:treatment_plan_id>/", views.plan_detail, name="plan_detail"),
    path("<uuid:treatment_plan_id>/template/", views.template_apply, name="template_apply"),
    path("<uuid:treatment_plan_id>/problems/add/", views.problem_add, name="problem_add"),
    path("<uuid:treatment_plan_id>/activate/", views.plan_activate, name="plan_activate"),
    path("<uuid:treatment_plan_id>/revise/", views.plan_revise, name="plan_revise"),
    path("<uuid:treatment_plan_id>/changes/", views.plan_changes, name="plan_changes"),
    path("<uuid:treatment_plan_id>/review/", views.plan_review, name="plan_review"),
    path("<uuid:treatment_plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("problems/<uuid:problem_id>/goals/add/", views.goal_add, name="goal_add"),
    path("goals/<uuid:goal_id>/objectives/add/", views.objective_add, name="objective_add"),
    path(
        "goals/<uuid:goal_id>/interventions/add/",
        views.intervention_add,
        name="intervention_add",
    ),
    path("objectives/<uuid:objective_id>/edit/", views.objective_edit, name="objective_edit"),
    path("library/", views.library, name="library"),
    path("library/seed/", views.library_seed, name="library_seed"),
    path("library/new/", views.template_new, name="template_new"),
    path("library/<uuid:plan_template_id>/", views.template_edit, name="template_edit"),
    *_retirement_paths("library/<uuid:plan_template_id>/", views.template_retirement, "template"),
    path(
        "library/<uuid:plan_template_id>/objectives/add/",
        views.objective_template_add,
        name="objective_template_add",
    ),
    path(
        "library/objectives/<uuid:objective_template_id>/",
        views.objective_template_edit,
        name="objective_template_edit",
    ),
    *_retirement_paths(
        "library/objectives/<uuid:objective_template_id>/",
        views.objective_template_retirement,
        "objective_template",
    ),
    path(
        "library/<uuid:plan_template_id>/interventions/add/",
        views.intervention_template_add,
        name="intervention_template_add",
    ),
    path(
        "library/interventions/<uuid:intervention_template_id>/",
        views.intervention_template_edit,
        name="intervention_template_edit",
    ),
    *_retirement_paths(
        "library/interventions/<uuid:intervention_template_id>/",
        views.intervention_template_retirement,
        "intervention_template",
    ),
    path("settings/", views.plan_settings, name="settings"),
]
