from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tend.core.decorators import member_required
from tend.core.downloads import stored_file_response
from tend.core.forms import add_service_errors
from tend.core.permissions import Capability, Role
from tend.core.typing import MemberRequest
from tend.licensure import requirements
from tend.supervision import selectors, services
from tend.supervision.access import (
    relationship_for_manager,
    relationship_for_supervisor,
    session_for_party,
)
from tend.supervision.forms import (
    CancelForm,
    ContractForm,
    PlanForm,
    RelationshipEndForm,
    RelationshipForm,
    SessionForm,
)
from tend.supervision.models import SupervisionRelationship, SupervisionSession


def _relationship_form(request: MemberRequest, data: Any = None) -> RelationshipForm:
    organization = request.organization
    return RelationshipForm(
        data,
        supervisors=selectors.members_with_role(organization, Role.SUPERVISOR),
        supervisees=selectors.members_with_role(organization, Role.ASSOCIATE, Role.CLINICIAN),
    )


def _session_rows(
    request: MemberRequest, sessions: list[SupervisionSession]
) -> list[dict[str, Any]]:
    """Each session with only the cases discussed that this reader may see by name."""
    visible = set(
        selectors.cases_visible_to(request.user, request.organization).values_list("id", flat=True)
    )
    rows = []
    for session in sessions:
        cases = list(session.cases.all())
        shown = [case for case in cases if case.pk in visible]
        relationship = session.relationship
        side = (
            "supervisor_signed_at"
            if relationship.supervisor_id == request.user.pk
            else "supervisee_signed_at"
        )
        rows.append(
            {
                "session": session,
                "cases": shown,
                "hidden_cases": len(cases) - len(shown),
                "can_sign": session.status == session.Status.HELD
                and getattr(session, side) is None,
            }
        )
    return rows


def _plan_form(request: MemberRequest, data: Any = None) -> PlanForm:
    return PlanForm(
        data,
        relationships=selectors.plannable_relationships_of(request.user, request.organization),
        user=request.user,
        initial={"minutes": 60},
    )


def _planned_context(request: MemberRequest, relationship_ids: list[int]) -> dict[str, Any]:
    """Planned sessions, soonest first, read in the organization's time zone."""
    return {
        "planned_sessions": list(selectors.planned_sessions_of(relationship_ids)),
        "now": timezone.now(),
        "time_zone": request.organization.timezone,
    }


def _home(
    request: MemberRequest,
    status: int = 200,
    form: RelationshipForm | None = None,
    plan_form: PlanForm | None = None,
) -> HttpResponse:
    organization = request.organization
    mine = list(selectors.relationships_of(request.user, organization))
    mine_ids = [relationship.pk for relationship in mine]
    sessions = list(selectors.sessions_of(mine_ids)[:50])
    can_manage = request.tenancy.can(Capability.MANAGE_MEMBERS)
    context = {
        **_planned_context(request, mine_ids),
        "plan_form": plan_form or _plan_form(request),
        "as_supervisor": [r for r in mine if r.supervisor_id == request.user.pk],
        "as_supervisee": [r for r in mine if r.supervisee_id == request.user.pk],
        "session_rows": _session_rows(request, sessions),
        "can_manage": can_manage,
        "all_relationships": (
            list(selectors.organization_relationships(organization)) if can_manage else []
        ),
        "form": form or (_relationship_form(request) if can_manage else None),
        "end_form": RelationshipEndForm(initial={"ended_on": timezone.localdate()}),
    }
    return render(request, "supervision/home.html", context, status=status)


@member_required()
def home(request: MemberRequest) -> HttpResponse:
    return _home(request)


@require_POST
@member_required(Capability.MANAGE_MEMBERS)
def relationship_new(request: MemberRequest) -> HttpResponse:
    form = _relationship_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            relationship = services.supervision_relationship_start(
                organization=request.organization, actor=request.user, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{relationship} — started.")
            for warning in selectors.supervisor_warnings(relationship, on=relationship.started_on):
                messages.warning(request, warning)
            return redirect("supervision:home")
    return _home(request, status=400, form=form)


def _session_form(
    request: MemberRequest, relationship: SupervisionRelationship, **kwargs: Any
) -> SessionForm:
    """The form logging a session, offering the relationship's planned sessions whose
    date has come."""
    return SessionForm(
        cases=selectors.cases_visible_to(request.user, request.organization),
        planned=selectors.planned_sessions_of([relationship.pk]).filter(
            held_on__lte=timezone.localdate()
        ),
        **kwargs,
    )


def _relationship_page(
    request: MemberRequest,
    relationship: SupervisionRelationship,
    *,
    status: int = 200,
    session_form: SessionForm | None = None,
    contract_form: ContractForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    requirement = None
    if relationship.has_path:
        requirement = requirements.requirement_for(
            relationship.path_state, relationship.path_family
        )
    context = {
        **_planned_context(request, [relationship.pk]),
        "relationship": relationship,
        "requirement": requirement,
        "warnings": selectors.supervisor_warnings(relationship, on=today),
        "session_rows": _session_rows(request, list(selectors.sessions_of([relationship.pk]))),
        "session_form": session_form
        or _session_form(request, relationship, initial={"held_on": today, "minutes": 60}),
        "contract_form": contract_form or ContractForm(),
        "end_form": RelationshipEndForm(initial={"ended_on": today}),
    }
    return render(request, "supervision/relationship.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required(Capability.SUPERVISE)
def relationship_detail(request: MemberRequest, relationship_id: uuid.UUID) -> HttpResponse:
    relationship = relationship_for_supervisor(request.tenancy, request.user, relationship_id)
    if request.method != "POST":
        return _relationship_page(request, relationship)
    form = _session_form(request, relationship, data=request.POST)
    if form.is_valid():
        try:
            session = services.supervision_session_record(
                relationship=relationship, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Supervision session logged; sign it when it is right.")
            if session.supervisor_warning:
                messages.warning(request, session.supervisor_warning)
            return redirect("supervision:relationship", relationship_id=relationship.public_id)
    return _relationship_page(request, relationship, status=400, session_form=form)


@require_POST
@member_required()
def relationship_end(request: MemberRequest, relationship_id: uuid.UUID) -> HttpResponse:
    relationship = relationship_for_manager(request.tenancy, request.user, relationship_id)
    form = RelationshipEndForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_relationship_end(
                relationship=relationship, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{relationship} — ended.")
    else:
        messages.error(request, "Give the date the supervision ends.")
    return redirect("supervision:home")


@require_http_methods(["GET", "POST"])
@member_required(Capability.SUPERVISE)
def relationship_contract(request: MemberRequest, relationship_id: uuid.UUID) -> HttpResponse:
    relationship = relationship_for_supervisor(request.tenancy, request.user, relationship_id)
    if request.method != "POST":
        if not relationship.contract:
            raise Http404("No contract uploaded.")
        return stored_file_response(
            relationship.contract, f"supervision-contract-{relationship.started_on:%Y-%m-%d}"
        )
    form = ContractForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.supervision_contract_attach(
                relationship=relationship, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Contract uploaded.")
            return redirect("supervision:relationship", relationship_id=relationship.public_id)
    return _relationship_page(request, relationship, status=400, contract_form=form)


@require_POST
@member_required()
def session_sign(request: MemberRequest, session_id: uuid.UUID) -> HttpResponse:
    session = session_for_party(request.tenancy, request.user, session_id)
    try:
        services.supervision_session_sign(session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Supervision session signed.")
    if session.relationship.supervisor_id == request.user.pk:
        return redirect("supervision:relationship", relationship_id=session.relationship.public_id)
    return redirect("supervision:home")


@require_POST
@member_required()
def session_plan(request: MemberRequest) -> HttpResponse:
    form = _plan_form(request, request.POST)
    if form.is_valid():
        try:
            session = services.supervision_session_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Supervision planned for {session.held_on:%b %-d, %Y}.")
            return redirect("supervision:home")
    return _home(request, status=400, plan_form=form)


@require_POST
@member_required()
def session_cancel(request: MemberRequest, session_id: uuid.UUID) -> HttpResponse:
    session = session_for_party(request.tenancy, request.user, session_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_session_cancel(
                session=session, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Supervision session cancelled.")
            return redirect("supervision:home")
    else:
        messages.error(request, "Say why the session is cancelled.")
    return _home(request, status=400)
