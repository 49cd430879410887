from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from tend.assessments.selectors import active_diagnoses
from tend.audit.services import audit_event_record, audit_read_record
from tend.clients.access import client_for_user
from tend.core.decorators import member_required
from tend.core.forms import add_service_errors
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest
from tend.plans import selectors, services
from tend.plans.access import (
    goal_for_user,
    objective_for_user,
    plan_for_user,
    problem_for_user,
    template_for_user,
)
from tend.plans.forms import (
    ActivationForm,
    GoalForm,
    InterventionForm,
    ObjectiveForm,
    PlanSettingsForm,
    PlanTemplateForm,
    ProblemForm,
    ReviewForm,
    TemplateChoiceForm,
)
from tend.plans.models import Objective, TreatmentPlan


def _plan_url(plan: TreatmentPlan) -> HttpResponse:
    return redirect("plans:plan_detail", treatment_plan_id=plan.public_id)


def _saved(request: MemberRequest, plan: TreatmentPlan, what: str) -> HttpResponse:
    messages.success(
        request, f"{what} saved in version {plan.version} ({plan.get_status_display().lower()})."
    )
    return _plan_url(plan)


# --------------------------------------------------------------------------- plans


@member_required(Capability.VIEW_CLINICAL)
def client_plans(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    versions = selectors.plan_versions(access.client)
    current = next(
        (plan for plan in versions if plan.status != TreatmentPlan.Status.SUPERSEDED), None
    )
    if current is not None:
        return _plan_url(current)
    audit_read_record(
        request,
        action="plans.viewed",
        subject=access.client,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )
    templates = selectors.plan_templates(request.organization)
    return render(
        request,
        "plans/start.html",
        {
            "client": access.client,
            "can_write": access.can_write_clinical,
            "versions": versions,
            "form": TemplateChoiceForm(templates=templates),
            "has_templates": templates.exists(),
        },
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def plan_start(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    templates = selectors.plan_templates(request.organization)
    form = TemplateChoiceForm(request.POST, templates=templates)
    if form.is_valid():
        try:
            plan = services.plan_create(
                client=access.client, actor=request.user, template=form.cleaned_data["template"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Draft plan started.")
            return _plan_url(plan)
    return render(
        request,
        "plans/start.html",
        {
            "client": access.client,
            "can_write": True,
            "versions": selectors.plan_versions(access.client),
            "form": form,
            "has_templates": templates.exists(),
        },
        status=400,
    )


@member_required(Capability.VIEW_CLINICAL)
def plan_detail(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    access = plan_for_user(request.tenancy, request.user, treatment_plan_id)
    plan = selectors.plan_with_contents(access.plan.pk)
    audit_read_record(
        request,
        action="plans.viewed",
        subject=plan,
        organization=plan.client.organization,
        client_id=plan.client.public_id,
    )
    today = services.organization_today(plan.client.organization)
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "client": plan.client,
            "can_write": access.client_access.can_write_clinical,
            "editable": access.client_access.can_write_clinical
            and plan.status != TreatmentPlan.Status.SUPERSEDED,
            "versions": selectors.plan_versions(plan.client),
            "review": selectors.review_status(plan.next_review_on, today)
            if plan.status == TreatmentPlan.Status.ACTIVE
            else None,
            "template_form": TemplateChoiceForm(
                templates=selectors.plan_templates(request.organization)
            ),
        },
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def template_apply(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    access = plan_for_user(request.tenancy, request.user, treatment_plan_id, write=True)
    form = TemplateChoiceForm(
        request.POST, templates=selectors.plan_templates(request.organization)
    )
    if not form.is_valid() or form.cleaned_data["template"] is None:
        messages.error(request, "Choose a template to add.")
        return _plan_url(access.plan)
    try:
        plan = services.plan_template_apply(
            plan=access.plan, template=form.cleaned_data["template"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _plan_url(access.plan)
    return _saved(request, plan, "Template")


def _item_form(
    request: MemberRequest,
    form: Any,
    *,
    plan: TreatmentPlan,
    heading: str,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "plans/item_form.html",
        {"form": form, "plan": plan, "client": plan.client, "heading": heading},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def problem_add(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    access = plan_for_user(request.tenancy, request.user, treatment_plan_id, write=True)
    form = ProblemForm(request.POST or None, diagnoses=active_diagnoses(access.plan.client))
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_add(
                plan=access.plan, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, problem.plan, "Problem")
    return _item_form(
        request, form, plan=access.plan, heading="Add a problem", status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def goal_add(request: MemberRequest, problem_id: uuid.UUID) -> HttpResponse:
    problem = problem_for_user(request.tenancy, request.user, problem_id)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_add(problem=problem, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, goal.problem.plan, "Goal")
    return _item_form(
        request, form, plan=problem.plan, heading="Add a goal", status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def objective_add(request: MemberRequest, goal_id: uuid.UUID) -> HttpResponse:
    goal = goal_for_user(request.tenancy, request.user, goal_id)
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_add(goal=goal, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, objective.goal.problem.plan, "Objective")
    return _item_form(
        request,
        form,
        plan=goal.problem.plan,
        heading="Add a measurable objective",
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def objective_edit(request: MemberRequest, objective_id: uuid.UUID) -> HttpResponse:
    objective = objective_for_user(request.tenancy, request.user, objective_id)
    initial = {name: getattr(objective, name) for name in services.OBJECTIVE_FIELDS}
    form = ObjectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edited: Objective = services.objective_update(
                objective=objective, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, edited.goal.problem.plan, "Objective")
    return _item_form(
        request,
        form,
        plan=objective.goal.problem.plan,
        heading="Edit objective",
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def intervention_add(request: MemberRequest, goal_id: uuid.UUID) -> HttpResponse:
    goal = goal_for_user(request.tenancy, request.user, goal_id)
    form = InterventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = services.intervention_add(
                goal=goal, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, intervention.goal.problem.plan, "Intervention")
    return _item_form(
        request,
        form,
        plan=goal.problem.plan,
        heading="Add an intervention",
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def plan_activate(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    access = plan_for_user(request.tenancy, request.user, treatment_plan_id, write=True)
    plan = access.plan
    if plan.status != TreatmentPlan.Status.DRAFT:
        messages.error(request, "Only a draft plan can be activated.")
        return _plan_url(plan)
    form = ActivationForm(request.POST or None, initial={"review_days": plan.review_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_activate(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {plan.version} is now the active plan.")
            return _plan_url(plan)
    return render(
        request,
        "plans/activate.html",
        {"form": form, "plan": plan, "client": plan.client},
        status=400 if form.errors else 200,
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def plan_revise(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    access = plan_for_user(request.tenancy, request.user, treatment_plan_id, write=True)
    try:
        draft = services.plan_revise(plan=access.plan, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _plan_url(access.plan)
    messages.success(
        request, f"Version {draft.version} is a draft; the active plan stays in force."
    )
    return _plan_url(draft)


@member_required(Capability.VIEW_CLINICAL)
def plan_changes(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    access = plan_for_user(request.tenancy, request.user, treatment_plan_id)
    plan = selectors.plan_with_contents(access.plan.pk)
    previous = selectors.plan_with_contents(plan.previous.pk) if plan.previous else None
    audit_read_record(
        request,
        action="plans.viewed",
        subject=plan,
        organization=plan.client.organization,
        client_id=plan.client.public_id,
    )
    return render(
        request,
        "plans/changes.html",
        {
            "plan": plan,
            "previous": previous,
            "client": plan.client,
            "changes": selectors.plan_diff(previous, plan) if previous else [],
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def plan_review(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    access = plan_for_user(request.tenancy, request.user, treatment_plan_id, write=True)
    plan = access.plan
    if plan.status != TreatmentPlan.Status.ACTIVE:
        messages.error(request, "Only the active plan can be reviewed.")
        return _plan_url(plan)
    rows = selectors.review_prefill(plan)
    form = ReviewForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        decisions = [
            services.ObjectiveDecision(
                objective=row.objective,
                status=form.cleaned_data[f"status_{row.objective.public_id}"],
                override_reason=form.cleaned_data[f"reason_{row.objective.public_id}"],
            )
            for row in rows
        ]
        try:
            outcome = services.plan_review_record(
                plan=plan,
                actor=request.user,
                signature=form.cleaned_data["signature"],
                summary=form.cleaned_data["summary"],
                decisions=decisions,
                revise=form.cleaned_data["revise"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Plan review signed.")
            return _plan_url(outcome.next_version or plan)
    if request.method == "GET":
        audit_read_record(
            request,
            action="plans.viewed",
            subject=plan,
            organization=plan.client.organization,
            client_id=plan.client.public_id,
        )
    return render(
        request,
        "plans/review.html",
        {"form": form, "plan": plan, "client": plan.client},
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_CLINICAL)
def plan_pdf(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    from weasyprint import HTML

    access = plan_for_user(request.tenancy, request.user, treatment_plan_id)
    plan = selectors.plan_with_contents(access.plan.pk)
    audit_event_record(
        action="plans.exported",
        actor=request.user,
        organization=plan.client.organization,
        subject=plan,
        client_id=plan.client.public_id,
        extra={"format": "pdf", "version": plan.version},
    )
    html = render_to_string("plans/plan_pdf.html", {"plan": plan, "client": plan.client})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    # The file name carries no client data: it may end up in download folders and logs.
    response["Content-Disposition"] = f'attachment; filename="treatment-plan-v{plan.version}.pdf"'
    return response


# --------------------------------------------------------------------------- library and settings


@member_required(Capability.VIEW_CLINICAL)
def library(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "plans/library.html",
        {
            "templates": selectors.plan_templates(request.organization),
            "can_write": request.tenancy.can(Capability.WRITE_CLINICAL),
        },
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def library_seed(request: MemberRequest) -> HttpResponse:
    added = services.plan_library_seed(organization=request.organization, actor=request.user)
    messages.success(request, f"{added} starter template(s) added to the library.")
    return redirect("plans:library")


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def template_edit(request: MemberRequest, plan_template_id: uuid.UUID) -> HttpResponse:
    template = template_for_user(request.tenancy, plan_template_id)
    initial = {
        name: getattr(template, name)
        for name in ("title", "problem_statement", "goal_client_words", "goal_statement")
    }
    form = PlanTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_template_update(
                template=template, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Template “{template.title}” saved.")
            return redirect("plans:library")
    return render(
        request,
        "plans/template_edit.html",
        {"form": form, "template": template},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_ORGANIZATION)
def plan_settings(request: MemberRequest) -> HttpResponse:
    initial = {"default_review_days": selectors.default_review_days(request.organization)}
    form = PlanSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_settings_update(
                organization=request.organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Plan settings saved.")
            return redirect("plans:settings")
    return render(
        request, "plans/settings.html", {"form": form}, status=400 if form.errors else 200
    )
