from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tend.assessments.selectors import active_diagnoses
from tend.audit.services import audit_event_record, audit_read_record
from tend.clients.access import client_for_user
from tend.core.decorators import member_required
from tend.core.downloads import attachment_response
from tend.core.forms import add_service_errors
from tend.core.pdf import render_pdf
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest
from tend.plans import selectors, services
from tend.plans.access import (
    goal_for_user,
    intervention_template_for_user,
    objective_for_user,
    objective_template_for_user,
    plan_for_user,
    problem_for_user,
    template_for_user,
)
from tend.plans.forms import (
    ActivationForm,
    GoalForm,
    InterventionForm,
    ObjectiveForm,
    ObjectiveTemplateForm,
    PlanSettingsForm,
    PlanTemplateForm,
    ProblemForm,
    ReviewForm,
    TemplateChoiceForm,
)
from tend.plans.models import (
    InterventionTemplate,
    ObjectiveTemplate,
    PlanTemplate,
    TreatmentPlan,
)


def _values(instance: Any, names: Iterable[str]) -> dict[str, Any]:
    """A form's initial values: the instance's fields of these names."""
    return {name: getattr(instance, name) for name in names}


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
    templates = selectors.plan_templates_in_use(request.organization)
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
    templates = selectors.plan_templates_in_use(request.organization)
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
                templates=selectors.plan_templates_in_use(request.organization)
            ),
        },
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def template_apply(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    access = plan_for_user(request.tenancy, request.user, treatment_plan_id, write=True)
    form = TemplateChoiceForm(
        request.POST, templates=selectors.plan_templates_in_use(request.organization)
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


def _submitted(
    request: MemberRequest, form: forms.Form, save: Callable[[dict[str, Any]], HttpResponse]
) -> HttpResponse | None:
    """`save` the input of a valid POSTed form (a service call, then a redirect). None when
    there is nothing to save yet, or when the form or the service refused the input: the
    errors are then on the form, next to what the user typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _form_page(
    request: MemberRequest, template: str, form: forms.Form, context: dict[str, Any]
) -> HttpResponse:
    """A form page; 400 when it shows refused input."""
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


def _plan_item_page(
    request: MemberRequest,
    form: forms.Form,
    *,
    plan: TreatmentPlan,
    heading: str,
    what: str,
    save: Callable[[dict[str, Any]], TreatmentPlan],
) -> HttpResponse:
    """Add or change one item of a plan: `save` returns the plan version it landed in."""
    return _submitted(request, form, lambda data: _saved(request, save(data), what)) or _form_page(
        request,
        "plans/item_form.html",
        form,
        {"plan": plan, "client": plan.client, "heading": heading},
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def problem_add(request: MemberRequest, treatment_plan_id: uuid.UUID) -> HttpResponse:
    plan = plan_for_user(request.tenancy, request.user, treatment_plan_id, write=True).plan
    return _plan_item_page(
        request,
        ProblemForm(request.POST or None, diagnoses=active_diagnoses(plan.client)),
        plan=plan,
        heading="Add a problem",
        what="Problem",
        save=lambda data: services.problem_add(plan=plan, actor=request.user, **data).plan,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def goal_add(request: MemberRequest, problem_id: uuid.UUID) -> HttpResponse:
    problem = problem_for_user(request.tenancy, request.user, problem_id)
    return _plan_item_page(
        request,
        GoalForm(request.POST or None),
        plan=problem.plan,
        heading="Add a goal",
        what="Goal",
        save=lambda data: (
            services.goal_add(problem=problem, actor=request.user, **data).problem.plan
        ),
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def objective_add(request: MemberRequest, goal_id: uuid.UUID) -> HttpResponse:
    goal = goal_for_user(request.tenancy, request.user, goal_id)
    return _plan_item_page(
        request,
        ObjectiveForm(request.POST or None),
        plan=goal.problem.plan,
        heading="Add a measurable objective",
        what="Objective",
        save=lambda data: (
            services.objective_add(goal=goal, actor=request.user, **data).goal.problem.plan
        ),
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def objective_edit(request: MemberRequest, objective_id: uuid.UUID) -> HttpResponse:
    objective = objective_for_user(request.tenancy, request.user, objective_id)
    return _plan_item_page(
        request,
        ObjectiveForm(request.POST or None, initial=_values(objective, services.OBJECTIVE_FIELDS)),
        plan=objective.goal.problem.plan,
        heading="Edit objective",
        what="Objective",
        save=lambda data: (
            services.objective_update(
                objective=objective, actor=request.user, **data
            ).goal.problem.plan
        ),
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def intervention_add(request: MemberRequest, goal_id: uuid.UUID) -> HttpResponse:
    goal = goal_for_user(request.tenancy, request.user, goal_id)
    return _plan_item_page(
        request,
        InterventionForm(request.POST or None),
        plan=goal.problem.plan,
        heading="Add an intervention",
        what="Intervention",
        save=lambda data: (
            services.intervention_add(goal=goal, actor=request.user, **data).goal.problem.plan
        ),
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

    def activate(data: dict[str, Any]) -> HttpResponse:
        services.plan_activate(plan=plan, actor=request.user, **data)
        messages.success(request, f"Version {plan.version} is now the active plan.")
        return _plan_url(plan)

    return _submitted(request, form, activate) or _form_page(
        request, "plans/activate.html", form, {"plan": plan, "client": plan.client}
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
    return attachment_response(render_pdf(html), f"treatment-plan-v{plan.version}.pdf")


# --------------------------------------------------------------------------- library and settings


@member_required(Capability.MANAGE_PLAN_LIBRARY)
def library(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "plans/library.html",
        {"templates": selectors.library_templates(request.organization)},
    )


@require_POST
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def library_seed(request: MemberRequest) -> HttpResponse:
    added = services.plan_library_seed(organization=request.organization, actor=request.user)
    messages.success(request, f"{added} starter template(s) added to the library.")
    return redirect("plans:library")


def _library_form_page(
    request: MemberRequest,
    form: forms.Form,
    *,
    heading: str,
    save: Callable[[dict[str, Any]], PlanTemplate],
) -> HttpResponse:
    """Add or change a template or one of its parts: `save` returns the template."""

    def saved(data: dict[str, Any]) -> HttpResponse:
        template = save(data)
        messages.success(request, f"Template “{template.title}” saved.")
        return redirect(f"{reverse('plans:library')}#template-{template.public_id}")

    return _submitted(request, form, saved) or _form_page(
        request, "plans/library_form.html", form, {"heading": heading}
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def template_new(request: MemberRequest) -> HttpResponse:
    return _library_form_page(
        request,
        PlanTemplateForm(request.POST or None),
        heading="New template",
        save=lambda data: services.plan_template_create(
            organization=request.organization, actor=request.user, **data
        ),
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def template_edit(request: MemberRequest, plan_template_id: uuid.UUID) -> HttpResponse:
    template = template_for_user(request.tenancy, plan_template_id)
    return _library_form_page(
        request,
        PlanTemplateForm(request.POST or None, initial=_values(template, services.TEMPLATE_FIELDS)),
        heading=f"Edit “{template.title}”",
        save=lambda data: services.plan_template_update(
            template=template, actor=request.user, **data
        ),
    )


def _part_add_page(
    request: MemberRequest,
    plan_template_id: uuid.UUID,
    model: type[services.LibraryPart],
    form_class: type[forms.Form],
    noun: str,
) -> HttpResponse:
    template = template_for_user(request.tenancy, plan_template_id)
    return _library_form_page(
        request,
        form_class(request.POST or None),
        heading=f"Add {noun} to “{template.title}”",
        save=lambda data: (
            services.library_part_add(
                template=template, model=model, actor=request.user, **data
            ).template
        ),
    )


def _part_edit_page(
    request: MemberRequest,
    part: services.LibraryPart,
    form_class: type[forms.Form],
    noun: str,
) -> HttpResponse:
    initial = _values(part, services.LIBRARY_PART_FIELDS[type(part)])
    return _library_form_page(
        request,
        form_class(request.POST or None, initial=initial),
        heading=f"Edit {noun} of “{part.template.title}”",
        save=lambda data: (
            services.library_part_update(part=part, actor=request.user, **data).template
        ),
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def objective_template_add(request: MemberRequest, plan_template_id: uuid.UUID) -> HttpResponse:
    return _part_add_page(
        request,
        plan_template_id,
        ObjectiveTemplate,
        ObjectiveTemplateForm,
        "a measurable objective",
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def objective_template_edit(
    request: MemberRequest, objective_template_id: uuid.UUID
) -> HttpResponse:
    part = objective_template_for_user(request.tenancy, objective_template_id)
    return _part_edit_page(request, part, ObjectiveTemplateForm, "an objective")


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def intervention_template_add(request: MemberRequest, plan_template_id: uuid.UUID) -> HttpResponse:
    return _part_add_page(
        request, plan_template_id, InterventionTemplate, InterventionForm, "an intervention"
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def intervention_template_edit(
    request: MemberRequest, intervention_template_id: uuid.UUID
) -> HttpResponse:
    part = intervention_template_for_user(request.tenancy, intervention_template_id)
    return _part_edit_page(request, part, InterventionForm, "an intervention")


def _retirement(
    request: MemberRequest, item: services.LibraryItem, *, retired: bool
) -> HttpResponse:
    """Retire or restore, then show the template's card again (the fragment for htmx)."""
    if retired:
        services.library_item_retire(item=item, actor=request.user)
    else:
        services.library_item_restore(item=item, actor=request.user)
    template = item if isinstance(item, PlanTemplate) else item.template
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "plans/library.html#template_card",
            {"template": selectors.library_template(template), "changed": item},
        )
    messages.success(
        request,
        f"{'Retired' if retired else 'Restored'}: it is "
        f"{'no longer' if retired else 'again'} offered when writing a plan.",
    )
    return redirect(f"{reverse('plans:library')}#template-{template.public_id}")


@require_POST
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def template_retirement(
    request: MemberRequest, plan_template_id: uuid.UUID, retired: bool
) -> HttpResponse:
    return _retirement(
        request, template_for_user(request.tenancy, plan_template_id), retired=retired
    )


@require_POST
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def objective_template_retirement(
    request: MemberRequest, objective_template_id: uuid.UUID, retired: bool
) -> HttpResponse:
    return _retirement(
        request,
        objective_template_for_user(request.tenancy, objective_template_id),
        retired=retired,
    )


@require_POST
@member_required(Capability.MANAGE_PLAN_LIBRARY)
def intervention_template_retirement(
    request: MemberRequest, intervention_template_id: uuid.UUID, retired: bool
) -> HttpResponse:
    return _retirement(
        request,
        intervention_template_for_user(request.tenancy, intervention_template_id),
        retired=retired,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_ORGANIZATION)
def plan_settings(request: MemberRequest) -> HttpResponse:
    initial = {"default_review_days": selectors.default_review_days(request.organization)}
    form = PlanSettingsForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> HttpResponse:
        services.plan_settings_update(organization=request.organization, actor=request.user, **data)
        messages.success(request, "Plan settings saved.")
        return redirect("plans:settings")

    return _submitted(request, form, save) or _form_page(request, "plans/settings.html", form, {})
