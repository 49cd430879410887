from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts import selectors, services
from tend.accounts.access import access_token_for_user, invitation_for_user, member_for_user
from tend.accounts.forms import (
    AcceptInvitationForm,
    AccessTokenForm,
    DegreeForm,
    InvitationForm,
    MemberRolesForm,
    OrganizationForm,
    ProfileForm,
)
from tend.accounts.models import ClinicianProfile, User
from tend.core.decorators import member_required, public_view
from tend.core.forms import add_service_errors
from tend.core.permissions import Capability
from tend.core.tenancy import SESSION_KEY
from tend.core.typing import MemberRequest


@member_required(Capability.VIEW_MEMBERS)
def people(request: MemberRequest) -> HttpResponse:
    organization = request.organization
    can_manage = request.tenancy.can(Capability.MANAGE_MEMBERS)
    return render(
        request,
        "accounts/people.html",
        {
            "members": selectors.organization_members(organization),
            "invitations": selectors.open_invitations(organization) if can_manage else [],
            "can_manage": can_manage,
            "form": InvitationForm(),
        },
    )


@require_POST
@member_required(Capability.MANAGE_MEMBERS)
def invite(request: MemberRequest) -> HttpResponse:
    organization = request.organization
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                organization=organization,
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                roles=form.cleaned_data["roles"],
                actor=request.user,
                accept_url_builder=lambda raw: request.build_absolute_uri(
                    reverse("accounts:accept_invitation", args=[raw])
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("accounts:people")
    return render(
        request,
        "accounts/people.html",
        {
            "members": selectors.organization_members(organization),
            "invitations": selectors.open_invitations(organization),
            "can_manage": True,
            "form": form,
        },
        status=400,
    )


@require_POST
@member_required(Capability.MANAGE_MEMBERS)
def revoke_invitation(request: MemberRequest, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = invitation_for_user(request.tenancy, invitation_id)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
    return redirect("accounts:people")


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_MEMBERS)
def member_roles(request: MemberRequest, user_id: uuid.UUID) -> HttpResponse:
    tenancy = request.tenancy
    member = member_for_user(tenancy, user_id, write=True)
    form = MemberRolesForm(request.POST or None, initial={"roles": member.roles})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_roles_set(
                organization=request.organization,
                user=member.user,
                roles=form.cleaned_data["roles"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Roles of {member.user} updated.")
            return redirect("accounts:people")
    return render(
        request,
        "accounts/member_roles.html",
        {"member": member, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_ORGANIZATION)
def organization_settings(request: MemberRequest) -> HttpResponse:
    organization = request.organization
    initial = {
        "name": organization.name,
        "kind": organization.kind,
        "state": organization.state,
        "timezone": organization.timezone,
    }
    form = OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                organization=organization,
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                state=form.cleaned_data["state"],
                timezone_name=form.cleaned_data["timezone"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Organization settings saved.")
            return redirect("accounts:organization_settings")
    return render(
        request,
        "accounts/organization_settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@member_required()
def switch_organization(request: MemberRequest) -> HttpResponse:
    tenancy = request.tenancy
    wanted = request.POST.get("organization", "")
    chosen = next((org for org in tenancy.organizations if str(org.public_id) == wanted), None)
    if chosen is None:
        messages.error(request, "You are not a member of that organization.")
    else:
        request.session[SESSION_KEY] = str(chosen.public_id)
        messages.success(request, f"You are now working in {chosen.name}.")
    return redirect("core:dashboard")


@require_http_methods(["GET", "POST"])
@member_required()
def profile(request: MemberRequest) -> HttpResponse:
    user: User = request.user
    existing = ClinicianProfile.objects.filter(user=user).prefetch_related("degrees").first()
    initial = {
        "display_name": user.display_name,
        "credentials": existing.credentials if existing else "",
        "npi": existing.npi if existing else "",
        "modalities": existing.modalities if existing else [],
        "populations": existing.populations if existing else [],
        "languages": ", ".join(existing.languages) if existing else "",
        "bio": existing.bio if existing else "",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.clinician_profile_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Profile saved.")
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "degree_form": DegreeForm(),
            "degrees": existing.degrees.all() if existing else [],
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required()
def add_degree(request: MemberRequest) -> HttpResponse:
    form = DegreeForm(request.POST)
    if form.is_valid():
        services.degree_add(user=request.user, **form.cleaned_data)
        messages.success(request, "Degree added.")
        return redirect("accounts:profile")
    existing = ClinicianProfile.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": ProfileForm(initial={"display_name": request.user.display_name}),
            "degree_form": form,
            "degrees": existing.degrees.all() if existing else [],
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
@member_required()
def access_tokens(request: MemberRequest) -> HttpResponse:
    form = AccessTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = services.access_token_create(
                user=request.user,
                organization=request.organization,
                name=form.cleaned_data["name"],
                can_write=form.cleaned_data["can_write"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = AccessTokenForm()
    return render(
        request,
        "accounts/access_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.access_tokens_for(request.user, request.organization),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required()
def revoke_access_token(request: MemberRequest, token_id: uuid.UUID) -> HttpResponse:
    token = access_token_for_user(request.user, token_id)
    services.access_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts:access_tokens")


@public_view
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    needs_password = not User.objects.filter(email=invitation.email).exists()
    form = AcceptInvitationForm(request.POST or None) if needs_password else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"] if form is not None else None,
            )
        except ValidationError as error:
            if form is None:
                raise
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Welcome to {invitation.organization.name}. Sign in to continue; you will "
                "be asked to set up two-factor authentication.",
            )
            return redirect("account_login")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"invitation": invitation, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
