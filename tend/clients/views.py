from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from tend.clients import selectors, services
from tend.clients.access import (
    ClientAccess,
    can_create_clients,
    care_team_member_for_user,
    case_group_for_user,
    client_for_break_glass,
    client_for_user,
    episode_for_user,
    visible_clients,
)
from tend.clients.chart import chart_parts
from tend.clients.forms import (
    BreakGlassForm,
    CareTeamForm,
    ClientForm,
    EpisodeDischargeForm,
    EpisodeOpenForm,
    JoinGroupForm,
    NewClientForm,
    NewGroupForm,
    SearchForm,
    StatusForm,
)
from tend.clients.services import DEMOGRAPHIC_FIELDS, PossibleDuplicates
from tend.core.decorators import member_required
from tend.core.forms import add_service_errors
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest


class HtmxRequest(MemberRequest):
    htmx: HtmxDetails


def _caseload_context(request: MemberRequest, form: SearchForm) -> dict[str, Any]:
    data = form.cleaned_data if form.is_valid() else {}
    page = selectors.caseload_page(
        request.tenancy,
        request.user,
        query=data.get("q", ""),
        status=data.get("status", selectors.default_status_filter(request.tenancy)),
        after=data.get("after"),
    )
    return {
        "form": form,
        "page": page,
        "can_create": can_create_clients(request.tenancy),
        # Whoever sees every client (front desk, admins, a solo owner-clinician) gets the
        # organization's list; a clinician gets their caseload.
        "shows_caseload": not request.tenancy.can(Capability.VIEW_DEMOGRAPHICS),
    }


@require_GET
@member_required(Capability.OPEN_CLIENT_LIST)
def caseload(request: MemberRequest) -> HttpResponse:
    """The caseload (clinicians) or the client list (front desk, billing, admins)."""
    form = SearchForm({"status": selectors.default_status_filter(request.tenancy)})
    return render(request, "clients/caseload.html", _caseload_context(request, form))


@require_POST
@member_required(Capability.OPEN_CLIENT_LIST)
def caseload_results(request: HtmxRequest) -> HttpResponse:
    """Search results. POSTed so that names typed in the search box never reach a URL."""
    form = SearchForm(request.POST)
    context = _caseload_context(request, form)
    if request.htmx:
        return render(request, "clients/caseload.html#results", context)
    return render(request, "clients/caseload.html", context)


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_CLIENT_RECORDS)
def client_new(request: MemberRequest) -> HttpResponse:
    if not can_create_clients(request.tenancy):
        raise PermissionDenied
    organization = request.organization
    initial = {}
    if request.tenancy.can(Capability.WRITE_CLINICAL):
        initial["primary_clinician"] = request.user.pk
    form = NewClientForm(request.POST or None, organization=organization, initial=initial)
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = services.client_create(
                organization=organization,
                actor=request.user,
                status=data["status"],
                primary_clinician=data["primary_clinician"],
                allow_duplicate=data["confirm_not_duplicate"],
                **{name: data[name] for name in DEMOGRAPHIC_FIELDS},
            )
        except PossibleDuplicates as warning:
            duplicates = warning.clients
        except ValidationError as error:
            # A ModelForm is a BaseForm; add_service_errors only uses the BaseForm API.
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, f"{client.display_name} was added.")
            return redirect("clients:chart", client_id=client.public_id)
    # A clinician is warned about records they cannot open without seeing who they are.
    visible = set(
        visible_clients(request.tenancy, request.user)
        .filter(pk__in=[client.pk for client in duplicates])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "clients/client_new.html",
        {
            "form": form,
            "duplicates": [client for client in duplicates if client.pk in visible],
            "hidden_duplicates": len([client for client in duplicates if client.pk not in visible]),
            "has_duplicates": bool(duplicates),
        },
        status=400 if form.errors or duplicates else 200,
    )


def _not_on_caseload(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    return render(request, "clients/not_on_caseload.html", {"client_id": client_id}, status=403)


@require_GET
@member_required(Capability.OPEN_CLIENT_LIST)
def chart(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    """The client's chart; clinical sections only with clinical access. Every view is audited."""
    try:
        access = client_for_user(request.tenancy, request.user, client_id)
    except PermissionDenied:
        if request.tenancy.can(Capability.VIEW_CLINICAL):
            return _not_on_caseload(request, client_id)
        raise
    services.client_viewed_record(access=access, actor=request.user)
    facts, sections = chart_parts(access, request)
    return render(
        request,
        "clients/chart.html",
        {
            "access": access,
            "client": access.client,
            "age": access.client.age_on(timezone.localdate()),
            "facts": facts,
            "sections": sections,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_CLIENT_RECORDS)
def client_edit(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, write=True)
    client = access.client
    form = ClientForm(request.POST or None, instance=client, organization=client.organization)
    if request.method == "POST" and form.is_valid():
        # The form validated a copy of the fields; the service is the one writer.
        client.refresh_from_db()
        data = form.cleaned_data
        try:
            services.client_update(
                client=client,
                actor=request.user,
                primary_clinician=data["primary_clinician"],
                **{name: data[name] for name in DEMOGRAPHIC_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, "Contact and demographics saved.")
            return redirect("clients:chart", client_id=client.public_id)
    if form.errors:
        client.refresh_from_db()
    return render(
        request,
        "clients/client_edit.html",
        {
            "form": form,
            "client": client,
            "status_form": StatusForm(initial={"status": client.status}),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required(Capability.MANAGE_CLIENT_RECORDS)
def client_status(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, write=True)
    client = access.client
    status_form = StatusForm(request.POST)
    if status_form.is_valid():
        try:
            services.client_status_set(
                client=client, actor=request.user, status=status_form.cleaned_data["status"]
            )
        except ValidationError as error:
            add_service_errors(status_form, error)
        else:
            messages.success(request, f"Status set to {client.get_status_display()}.")
            return redirect("clients:chart", client_id=client.public_id)
    return render(
        request,
        "clients/client_edit.html",
        {
            "form": ClientForm(instance=client, organization=client.organization),
            "client": client,
            "status_form": status_form,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def episode_new(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    form = EpisodeOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_open(client=access.client, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Episode of care opened.")
            return redirect("clients:chart", client_id=access.client.public_id)
    return render(
        request,
        "clients/episode_form.html",
        {"form": form, "client": access.client, "title": "Open an episode of care"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def episode_discharge(request: MemberRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode, access = episode_for_user(request.tenancy, request.user, episode_id, write=True)
    form = EpisodeDischargeForm(
        request.POST or None, initial={"discharge_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_discharge(episode=episode, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Episode of care closed; the client is discharged.")
            return redirect("clients:chart", client_id=access.client.public_id)
    return render(
        request,
        "clients/episode_form.html",
        {
            "form": form,
            "client": access.client,
            "episode": episode,
            "title": "Discharge from this episode of care",
        },
        status=400 if form.errors else 200,
    )


def _care_team_page(
    request: MemberRequest, access: ClientAccess, form: CareTeamForm, status: int
) -> HttpResponse:
    return render(
        request,
        "clients/care_team.html",
        {
            "client": access.client,
            "form": form,
            "team": selectors.care_team_section(access, request),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_CLIENT_RECORDS)
def care_team(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, write=True)
    form = CareTeamForm(request.POST or None, organization=access.client.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_team_member_add(
                client=access.client, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['user']} joined the care team.")
            return redirect("clients:care_team", client_id=access.client.public_id)
    return _care_team_page(request, access, form, 400 if form.errors else 200)


@require_POST
@member_required(Capability.MANAGE_CLIENT_RECORDS)
def care_team_end(request: MemberRequest, member_id: uuid.UUID) -> HttpResponse:
    member, access = care_team_member_for_user(request.tenancy, request.user, member_id)
    try:
        services.care_team_member_end(
            member=member, actor=request.user, ended_on=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.user} left the care team.")
    return redirect("clients:care_team", client_id=access.client.public_id)


def _groups_page(
    request: MemberRequest,
    access: ClientAccess,
    *,
    new_form: NewGroupForm | None = None,
    join_form: JoinGroupForm | None = None,
) -> HttpResponse:
    groups = selectors.groups_to_join(request.tenancy, request.user, access.client)
    failed = (new_form is not None and new_form.errors) or (
        join_form is not None and join_form.errors
    )
    return render(
        request,
        "clients/case_groups.html",
        {
            "client": access.client,
            "groups": selectors.client_case_groups(access.client),
            "new_form": new_form or NewGroupForm(),
            "join_form": join_form or JoinGroupForm(groups=groups),
        },
        status=400 if failed else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def case_groups(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    """The client's couple and family groups; POST starts a new group with this client."""
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    if request.method != "POST":
        return _groups_page(request, access)
    form = NewGroupForm(request.POST)
    if form.is_valid():
        try:
            group = services.case_group_create(
                organization=access.client.organization,
                actor=request.user,
                first_member=access.client,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{group.name} created with {access.client.display_name}.")
            return redirect("clients:case_groups", client_id=access.client.public_id)
    return _groups_page(request, access, new_form=form)


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def case_group_join(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    groups = selectors.groups_to_join(request.tenancy, request.user, access.client)
    form = JoinGroupForm(request.POST, groups=groups)
    if form.is_valid():
        try:
            services.case_group_member_add(
                group=form.cleaned_data["group"],
                actor=request.user,
                client=access.client,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{access.client.display_name} joined {form.cleaned_data['group']}."
            )
            return redirect("clients:case_groups", client_id=access.client.public_id)
    return _groups_page(request, access, join_form=form)


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def case_group_leave(
    request: MemberRequest, client_id: uuid.UUID, group_id: uuid.UUID
) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    group = case_group_for_user(request.tenancy, group_id)
    try:
        services.case_group_member_remove(group=group, actor=request.user, client=access.client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{access.client.display_name} left {group.name}.")
    return redirect("clients:case_groups", client_id=access.client.public_id)


@require_http_methods(["GET", "POST"])
@member_required(Capability.VIEW_CLINICAL)
def break_glass(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    """Emergency access to a chart outside one's caseload: a reason, then a timed grant."""
    client, has_access = client_for_break_glass(request.tenancy, request.user, client_id)
    if has_access:
        return redirect("clients:chart", client_id=client.public_id)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_grant(
                client=client, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            hours = int(services.BREAK_GLASS_DURATION.total_seconds() // 3600)
            messages.warning(
                request,
                f"Emergency access granted for {hours} hours. "
                "It is flagged in the audit trail for review.",
            )
            return redirect("clients:chart", client_id=client.public_id)
    return render(
        request,
        "clients/break_glass.html",
        {"form": form, "client_id": client.public_id},
        status=400 if form.errors else 200,
    )
