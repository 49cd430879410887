from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import Organization
from tend.audit.services import audit_read_record
from tend.clients.access import ClientAccess, client_for_user
from tend.clients.selectors import care_team_section
from tend.coordination import selectors, services
from tend.coordination.access import (
    consent_for_user,
    disclosure_for_user,
    provider_for_user,
    referral_for_user,
    resource_for_user,
)
from tend.coordination.forms import (
    ClientCopyForm,
    ConsentForm,
    ContactForm,
    PacketForm,
    ProviderForm,
    ReferralForm,
    ReferralUpdateForm,
    ResourceFilterForm,
    ResourceForm,
    RevocationForm,
    TeamMemberForm,
)
from tend.coordination.models import Consent, ExternalProvider, Referral
from tend.core.decorators import member_required
from tend.core.downloads import attachment_response, stored_file_response
from tend.core.forms import add_service_errors
from tend.core.pdf import render_pdf
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest

RESOURCES_PER_PAGE = 50
# The referral form lists this many matching resources, whatever the directory's size.
REFERRAL_RESOURCE_CHOICES = 20
MAX_RESOURCE_QUERY = 100


def _status(form: Any) -> int:
    return 400 if form.errors else 200


# Directories -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required(Capability.RECORD_CONSENT_FORMS)
def providers(request: MemberRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(
                organization=request.organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, f"{provider.name} added to the directory.")
            return redirect("coordination:providers")
    return render(
        request,
        "coordination/providers.html",
        {"providers": selectors.providers_of(request.organization), "form": form},
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.RECORD_CONSENT_FORMS)
def provider_edit(request: MemberRequest, provider_id: uuid.UUID) -> HttpResponse:
    provider = provider_for_user(request.tenancy, provider_id)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(provider=provider, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, f"{provider.name} updated.")
            return redirect("coordination:providers")
    return render(
        request,
        "coordination/provider_edit.html",
        {"provider": provider, "form": form},
        status=_status(form),
    )


@require_GET
@member_required()
def resources(request: MemberRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.resources_search(
        request.organization,
        text=filters.get("q", ""),
        category=filters.get("category", ""),
        telehealth=filters.get("telehealth", False),
    )[:RESOURCES_PER_PAGE]
    template = "coordination/resources.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "resources": results,
            "can_edit": request.tenancy.can(Capability.WRITE_CLINICAL),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def resource_new(request: MemberRequest) -> HttpResponse:
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        categories = fields.pop("categories")
        try:
            resource = services.resource_create(
                organization=request.organization,
                actor=request.user,
                categories=categories,
                **fields,
            )
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, f"{resource.name} added to the directory.")
            return redirect("coordination:resource", resource_id=resource.public_id)
    return render(request, "coordination/resource_form.html", {"form": form}, status=_status(form))


@require_GET
@member_required()
def resource(request: MemberRequest, resource_id: uuid.UUID) -> HttpResponse:
    found = resource_for_user(request.tenancy, resource_id)
    return render(
        request,
        "coordination/resource.html",
        {"resource": found, "can_edit": request.tenancy.can(Capability.WRITE_CLINICAL)},
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def resource_edit(request: MemberRequest, resource_id: uuid.UUID) -> HttpResponse:
    found = resource_for_user(request.tenancy, resource_id)
    initial = {"categories": [tag.category for tag in found.tags.all()]}
    form = ResourceForm(request.POST or None, instance=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        categories = fields.pop("categories")
        try:
            services.resource_update(
                resource=found, actor=request.user, categories=categories, **fields
            )
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, f"{found.name} updated.")
            return redirect("coordination:resource", resource_id=found.public_id)
    return render(
        request,
        "coordination/resource_form.html",
        {"form": form, "resource": found},
        status=_status(form),
    )


# A client's coordination record ---------------------------------------------------------


def _audit_viewed(request: MemberRequest, record: Model, access: ClientAccess) -> None:
    """Record the read of one of the client's coordination records (as the API does)."""
    audit_read_record(
        request,
        action="coordination.viewed",
        subject=record,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )


def _coordination_context(access: ClientAccess) -> dict[str, Any]:
    client = access.client
    today = selectors.organization_today(client.organization)
    consents = selectors.consents_of(client)
    return {
        "client": client,
        "today": today,
        "consents": [(consent, consent.status_on(today)) for consent in consents],
        "referrals": list(selectors.referrals_of(client)),
        "contacts": list(selectors.contacts_of(client)),
        "can_write": access.can_write_clinical,
    }


def _client_page(
    request: MemberRequest, access: ClientAccess, team_form: TeamMemberForm
) -> dict[str, Any]:
    return {
        "client": access.client,
        "team": care_team_section(access, request),
        "coordination": _coordination_context(access),
        "team_form": team_form,
        "copy_form": ClientCopyForm(),
        "can_disclose": request.tenancy.can(Capability.DISCLOSE_RECORDS),
    }


@require_GET
@member_required(Capability.VIEW_CLINICAL)
def client_coordination(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    _audit_viewed(request, access.client, access)
    form = TeamMemberForm(providers=list(selectors.providers_of(access.client.organization)))
    return render(request, "coordination/client.html", _client_page(request, access, form))


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def team_member_add(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    client = access.client
    form = TeamMemberForm(request.POST, providers=list(selectors.providers_of(client.organization)))
    if form.is_valid():
        try:
            services.external_team_member_add(
                client=client, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, "Added to the care team.")
            return redirect("coordination:client", client_id=client.public_id)
    return render(
        request, "coordination/client.html", _client_page(request, access, form), status=400
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.RECORD_CONSENT_FORMS)
def consents(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id)
    client = access.client
    providers_list = list(selectors.providers_of(client.organization))
    form = ConsentForm(request.POST or None, request.FILES or None, providers=providers_list)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(client=client, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("coordination:consents", client_id=client.public_id)
    today = selectors.organization_today(client.organization)
    return render(
        request,
        "coordination/consents.html",
        {
            "client": client,
            "section_context": {
                "client": client,
                "consents": [
                    (consent, consent.status_on(today)) for consent in selectors.consents_of(client)
                ],
            },
            "form": form,
            "can_view_clinical": access.can_view_clinical,
        },
        status=_status(form),
    )


@require_GET
@member_required(Capability.RECORD_CONSENT_FORMS)
def consent(request: MemberRequest, consent_id: uuid.UUID) -> HttpResponse:
    found, access = consent_for_user(request.tenancy, request.user, consent_id)
    _audit_viewed(request, found, access)
    today = selectors.organization_today(access.client.organization)
    return render(
        request,
        "coordination/consent.html",
        {
            "consent": found,
            "client": access.client,
            "status": found.status_on(today),
            "form": RevocationForm(initial={"revoked_on": today}),
        },
    )


@require_POST
@member_required(Capability.RECORD_CONSENT_FORMS)
def consent_revoke(request: MemberRequest, consent_id: uuid.UUID) -> HttpResponse:
    found, access = consent_for_user(request.tenancy, request.user, consent_id)
    form = RevocationForm(request.POST)
    if form.is_valid():
        try:
            services.consent_revoke(consent=found, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, "Revocation recorded; the consent no longer covers anything.")
            return redirect("coordination:consent", consent_id=found.public_id)
    today = selectors.organization_today(access.client.organization)
    return render(
        request,
        "coordination/consent.html",
        {"consent": found, "client": access.client, "status": found.status_on(today), "form": form},
        status=400,
    )


@require_GET
@member_required(Capability.RECORD_CONSENT_FORMS)
def consent_scan(request: MemberRequest, consent_id: uuid.UUID) -> HttpResponse:
    found, access = consent_for_user(request.tenancy, request.user, consent_id)
    if not found.signature_scan:
        raise Http404
    audit_read_record(
        request,
        action="coordination.consent_scan_viewed",
        subject=found,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )
    return stored_file_response(found.signature_scan, f"consent-{found.signed_on:%Y-%m-%d}")


def _recipient_choices(access: ClientAccess) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Recipients a packet can go to: the external team and everyone named in a consent."""
    client = access.client
    today = selectors.organization_today(client.organization)
    options: dict[str, tuple[str, ExternalProvider | None, str]] = {}
    labels: dict[str, str] = {}
    for member in selectors.external_team_of(client, today):
        key = f"provider:{member.provider.public_id}"
        options[key] = (Consent.RecipientKind.PROVIDER, member.provider, "")
        labels[key] = f"{member.provider.name} ({member.provider.get_role_display()})"
    for found in selectors.consents_of(client):
        if found.recipient_kind == Consent.RecipientKind.PROVIDER and found.provider is not None:
            key = f"provider:{found.provider.public_id}"
            options[key] = (found.recipient_kind, found.provider, "")
            labels[key] = f"{found.provider.name} ({found.provider.get_role_display()})"
        elif found.recipient_kind != Consent.RecipientKind.CLIENT:
            key = f"{found.recipient_kind}:{found.recipient_name}"
            options[key] = (found.recipient_kind, None, found.recipient_name)
            labels[key] = found.recipient_name
    return sorted(labels.items(), key=lambda item: item[1]), options


@require_http_methods(["GET", "POST"])
@member_required(Capability.DISCLOSE_RECORDS)
def packet(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    choices, options = _recipient_choices(access)
    form = PacketForm(request.POST or None, recipients=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipient_kind, provider, recipient_name = options[data["recipient"]]
        try:
            disclosure = services.disclosure_release(
                client=access.client,
                actor=request.user,
                recipient_kind=recipient_kind,
                provider=provider,
                recipient_name=recipient_name,
                categories=data["categories"],
                records_from=data["records_from"],
                records_to=data["records_to"],
                purpose=data["purpose"],
                delivery=data["delivery"],
            )
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, "Packet released and recorded in the accounting.")
            return redirect("coordination:disclosure", disclosure_id=disclosure.public_id)
    return render(
        request,
        "coordination/packet.html",
        {"client": access.client, "form": form},
        status=_status(form),
    )


@require_POST
@member_required(Capability.DISCLOSE_RECORDS)
def client_copy(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    form = ClientCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how the copy is delivered.")
        return redirect("coordination:client", client_id=access.client.public_id)
    disclosure = services.client_copy_release(
        client=access.client, actor=request.user, delivery=form.cleaned_data["delivery"]
    )
    messages.success(request, "The client's copy is ready.")
    return redirect("coordination:disclosure", disclosure_id=disclosure.public_id)


@require_GET
@member_required(Capability.DISCLOSE_RECORDS)
def disclosure(request: MemberRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    found, access = disclosure_for_user(request.tenancy, request.user, disclosure_id)
    _audit_viewed(request, found, access)
    return render(
        request, "coordination/disclosure.html", {"disclosure": found, "client": access.client}
    )


@require_GET
@member_required(Capability.DISCLOSE_RECORDS)
def disclosure_file(request: MemberRequest, disclosure_id: uuid.UUID, fmt: str) -> HttpResponse:
    found, access = disclosure_for_user(request.tenancy, request.user, disclosure_id)
    if fmt not in {"pdf", "fhir"}:
        raise Http404
    audit_read_record(
        request,
        action="coordination.packet_downloaded",
        subject=found,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )
    day = f"{found.released_at:%Y-%m-%d}"
    if fmt == "fhir":
        return stored_file_response(
            found.fhir_bundle, f"records-{day}", content_type="application/fhir+json"
        )
    with found.packet_html.open("rb") as snapshot:
        pdf = render_pdf(snapshot.read().decode())
    return attachment_response(pdf, f"records-{day}.pdf")


@require_GET
@member_required(Capability.DISCLOSE_RECORDS)
def accounting(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    audit_read_record(
        request,
        action="coordination.accounting_viewed",
        subject=access.client,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )
    return render(
        request,
        "coordination/accounting.html",
        {"client": access.client, "disclosures": selectors.disclosures_of(access.client)},
    )


@require_GET
@member_required(Capability.DISCLOSE_RECORDS)
def accounting_pdf(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    client = access.client
    audit_read_record(
        request,
        action="coordination.accounting_printed",
        subject=client,
        organization=client.organization,
        client_id=client.public_id,
    )
    html = render_to_string(
        "coordination/accounting_pdf.html",
        {
            "client": client,
            "organization": client.organization,
            "disclosures": selectors.disclosures_of(client),
            "today": selectors.organization_today(client.organization),
        },
    )
    return attachment_response(render_pdf(html), "accounting-of-disclosures.pdf")


def _referral_targets(
    organization: Organization, *, resource_query: str, chosen: str
) -> tuple[dict[str, Any], list[tuple[str, list[tuple[str, str]]]]]:
    """Who a referral can go to: the external providers, the community resources matching
    the search (a bounded few, however large the directory) and the one already chosen."""
    resources = selectors.resource_choices(
        organization, resource_query, limit=REFERRAL_RESOURCE_CHOICES
    )
    chosen_kind, _, chosen_id = chosen.partition(":")
    if chosen_kind == "resource" and chosen_id not in {str(r.public_id) for r in resources}:
        found = selectors.directory_resource(organization, chosen_id)
        if found is not None:
            resources.insert(0, found)
    provider_list = list(selectors.providers_of(organization))
    targets: dict[str, Any] = {f"resource:{item.public_id}": item for item in resources}
    targets.update({f"provider:{item.public_id}": item for item in provider_list})
    target_choices = [
        (
            "Community resources",
            [(f"resource:{item.public_id}", item.name) for item in resources],
        ),
        (
            "External providers",
            [
                (f"provider:{item.public_id}", f"{item.name} ({item.get_role_display()})")
                for item in provider_list
            ],
        ),
    ]
    return targets, target_choices


def _referral_form(
    access: ClientAccess, data: Any = None, *, resource_query: str, initial: Any = None
) -> ReferralForm:
    client = access.client
    today = selectors.organization_today(client.organization)
    chosen = (data or initial or {}).get("target", "")
    targets, target_choices = _referral_targets(
        client.organization, resource_query=resource_query, chosen=chosen
    )
    active = {
        str(found.public_id): found
        for found in selectors.consents_of(client)
        if found.is_active_on(today)
    }
    return ReferralForm(
        data, initial=initial, targets=targets, target_choices=target_choices, consents=active
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def referral_new(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    resource_query = request.POST.get("resource_query", "")[:MAX_RESOURCE_QUERY]
    if "find_resources" in request.POST:
        # The search's own button (the page without JavaScript): list the matches and keep
        # what was typed, without judging a form that is not finished yet.
        form = _referral_form(access, resource_query=resource_query, initial=request.POST.dict())
    else:
        form = _referral_form(access, request.POST or None, resource_query=resource_query)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = form.targets[data.pop("target")]
        is_resource = not isinstance(target, ExternalProvider)
        try:
            services.referral_create(
                client=access.client,
                actor=request.user,
                resource=target if is_resource else None,
                provider=None if is_resource else target,
                **data,
            )
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, f"Referral to {target.name} recorded.")
            return redirect("coordination:client", client_id=access.client.public_id)
    return render(
        request,
        "coordination/referral_new.html",
        {
            "client": access.client,
            "form": form,
            "resource_query": resource_query,
            "resource_limit": REFERRAL_RESOURCE_CHOICES,
        },
        status=_status(form),
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def referral_targets(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    """The referral form's "Refer to" list for the words typed in its resource search (the
    form's htmx partial), from the directory of the client's organization, which need not
    be the one the user is acting in.

    POSTed so that the words typed (a client's need, in a clinician's words) never reach a
    URL or an access log."""
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    chosen = request.POST.get("target", "")
    targets, target_choices = _referral_targets(
        access.client.organization,
        resource_query=request.POST.get("resource_query", "")[:MAX_RESOURCE_QUERY],
        chosen=chosen,
    )
    form = ReferralForm(
        initial={"target": chosen}, targets=targets, target_choices=target_choices, consents={}
    )
    return render(request, "coordination/referral_new.html#target", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def referral(request: MemberRequest, referral_id: uuid.UUID) -> HttpResponse:
    found, access = referral_for_user(request.tenancy, request.user, referral_id, write=True)
    initial = {"status": found.status, "follow_up_on": found.follow_up_on, "outcome": found.outcome}
    form = ReferralUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_update(referral=found, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            closed = form.cleaned_data["status"] == Referral.Status.CLOSED
            messages.success(request, "Referral closed." if closed else "Referral updated.")
            return redirect("coordination:client", client_id=access.client.public_id)
    if request.method == "GET":
        _audit_viewed(request, found, access)
    return render(
        request,
        "coordination/referral.html",
        {"referral": found, "client": access.client, "form": form},
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def contact_new(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    form = ContactForm(
        request.POST or None, providers=list(selectors.providers_of(access.client.organization))
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record(client=access.client, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)
        else:
            messages.success(request, "Contact note recorded.")
            return redirect("coordination:client", client_id=access.client.public_id)
    return render(
        request,
        "coordination/contact_new.html",
        {"client": access.client, "form": form},
        status=_status(form),
    )
