from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.audit.services import audit_read_record
from tend.clients.access import ClientAccess, caseload_filter, client_for_user
from tend.clients.models import Client
from tend.core.decorators import member_required, public_view
from tend.core.downloads import attachment_response
from tend.core.forms import add_service_errors
from tend.core.pdf import render_pdf
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest
from tend.measures import selectors, services
from tend.measures.access import (
    alert_for_user,
    response_for_user,
    safety_plan_for_user,
    schedule_for_user,
)
from tend.measures.forms import (
    AcknowledgeForm,
    ChooseInstrumentForm,
    InstrumentForm,
    RiskLevelForm,
    SafetyPlanForm,
    ScheduleForm,
    VoidForm,
)
from tend.measures.instruments import load_instruments
from tend.measures.models import ClientLink, MeasureResponse

PUBLIC_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}


def _public(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """A page for a client without an account: never cached, no referrer to other sites."""
    response = render(request, template, context, status=status)
    for name, value in PUBLIC_HEADERS.items():
        response[name] = value
    return response


def _errors_to(form_list: list[forms.Form], error: ValidationError) -> None:
    """Show a service error next to the field of whichever form has it (else above)."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form_list[0], error)
        return
    for name, messages_ in error.message_dict.items():
        target = next((f for f in form_list if name in f.fields), form_list[0])
        for message in messages_:
            target.add_error(name if name in target.fields else None, message)


def _link_url(request: HttpRequest, raw: str) -> str:
    return request.build_absolute_uri(reverse("measures:client_link", args=[raw]))


def _overview_context(access: ClientAccess) -> dict[str, Any]:
    return {
        "access": access,
        "client": access.client,
        "overview": selectors.measures_overview(access.client),
        "choose_form": ChooseInstrumentForm(auto_id="choose_%s"),
        "send_form": ChooseInstrumentForm(sendable_only=True, auto_id="send_%s"),
        "schedule_form": ScheduleForm(
            initial={"first_due_on": timezone.localdate()}, auto_id="schedule_%s"
        ),
    }


@require_GET
@member_required(Capability.VIEW_CLINICAL)
def client_measures(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    client = access.client
    audit_read_record(
        request,
        action="measures.viewed",
        subject=client,
        organization=client.organization,
        client_id=client.public_id,
    )
    return render(request, "measures/client_measures.html", _overview_context(access))


@require_GET
@member_required(Capability.WRITE_CLINICAL)
def choose_instrument(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    form = ChooseInstrumentForm(request.GET or None)
    if form.is_valid():
        return redirect(
            "measures:administer", access.client.public_id, form.cleaned_data["instrument_id"]
        )
    return redirect("measures:client_measures", access.client.public_id)


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def administer(request: MemberRequest, client_id: uuid.UUID, instrument_id: str) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    instrument = load_instruments().get(instrument_id)
    if instrument is None or instrument.id == services.SCREENING_INSTRUMENT:
        raise Http404
    form = InstrumentForm(
        request.POST or None, instrument=instrument, allow_total=True, ask_date=True
    )
    if request.method == "POST" and form.is_valid():
        on = form.administered_on()
        try:
            response = services.response_record(
                client=access.client,
                instrument_id=instrument.id,
                mode=MeasureResponse.Mode.IN_SESSION,
                actor=request.user,
                administered_at=timezone.make_aware(datetime.combine(on, time(12))) if on else None,
                answers=form.answers(),
                total=form.total(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _recorded_message(response))
            return redirect("measures:client_measures", access.client.public_id)
    return render(
        request,
        "measures/administer.html",
        {"client": access.client, "instrument": instrument, "form": form},
        status=400 if form.errors else 200,
    )


def _recorded_message(response: MeasureResponse) -> str:
    instrument = load_instruments()[response.instrument_id]
    text = f"{instrument.abbreviation} recorded"
    if response.total is not None:
        text += f": {response.total:g}"
    if response.band:
        text += f" ({response.band})"
    text += "."
    if response.has_triggered_critical:
        text += " A critical item was endorsed: a risk alert was raised."
    return text


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def send_link(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    form = ChooseInstrumentForm(request.POST, sendable_only=True, auto_id="send_%s")
    if form.is_valid():
        try:
            link, raw = services.link_create(
                client=access.client,
                instrument_id=form.cleaned_data["instrument_id"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            url = _link_url(request, raw)
            emailed = services.link_email(link=link, url=url, actor=request.user)
            return render(
                request,
                "measures/link_created.html",
                {"client": access.client, "link": link, "url": url, "emailed": emailed},
            )
    context = _overview_context(access)
    context["send_form"] = form
    return render(request, "measures/client_measures.html", context, status=400)


@require_http_methods(["GET", "POST"])
@member_required(Capability.VIEW_CLINICAL)
def response_detail(request: MemberRequest, response_id: uuid.UUID) -> HttpResponse:
    response, access = response_for_user(
        request.tenancy, request.user, response_id, write=request.method == "POST"
    )
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_void(
                response=response, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The score was voided. Record the correct one as new.")
            return redirect("measures:client_measures", access.client.public_id)
    if request.method == "GET":
        audit_read_record(
            request,
            action="measures.response_viewed",
            subject=response,
            organization=response.organization,
            client_id=access.client.public_id,
        )
    instrument = load_instruments()[response.instrument_id]
    answers = [
        {
            "item": item,
            "value": response.answers.get(str(item.n)),
            "label": next(
                (
                    option.label
                    for option in item.options
                    if option.value == response.answers.get(str(item.n))
                ),
                None,
            ),
        }
        for item in instrument.items
    ]
    return render(
        request,
        "measures/response_detail.html",
        {
            "response": response,
            "client": access.client,
            "instrument": instrument,
            "answers": answers,
            "form": form,
            "can_write": access.can_write_clinical,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def alert_detail(request: MemberRequest, alert_id: uuid.UUID) -> HttpResponse:
    alert, access = alert_for_user(request.tenancy, request.user, alert_id)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_acknowledge(
                alert=alert, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Risk alert acknowledged.")
            return redirect("measures:client_measures", access.client.public_id)
    return render(
        request,
        "measures/alert.html",
        {
            "alert": alert,
            "client": access.client,
            "instrument": load_instruments()[alert.response.instrument_id],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def risk_assessment(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    instrument = load_instruments()[services.SCREENING_INSTRUMENT]
    form = InstrumentForm(request.POST or None, instrument=instrument)
    level_form = RiskLevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and level_form.is_valid():
        try:
            assessment = services.risk_assessment_record(
                client=access.client,
                actor=request.user,
                answers=form.answers(),
                level=level_form.cleaned_data["level"],
                override_reason=level_form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            _errors_to([form, level_form], error)
        else:
            messages.success(
                request, f"Risk assessment recorded: {assessment.get_level_display()}."
            )
            return redirect("measures:client_measures", access.client.public_id)
    return render(
        request,
        "measures/risk_assessment.html",
        {
            "client": access.client,
            "instrument": instrument,
            "form": form,
            "level_form": level_form,
        },
        status=400 if form.errors or level_form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def safety_plan_edit(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    current = selectors.current_safety_plan(access.client)
    initial = (
        {name: getattr(current, name) for name in services.SAFETY_PLAN_FIELDS}
        if current
        else {"professionals_agencies": "988 Suicide & Crisis Lifeline: call or text 988\n911"}
    )
    form = SafetyPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reviewed = data.pop("reviewed_with_client_on")
        try:
            plan = services.safety_plan_save(
                client=access.client, actor=request.user, reviewed_with_client_on=reviewed, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Safety plan version {plan.version} saved.")
            return redirect("measures:safety_plan", plan.public_id)
    return render(
        request,
        "measures/safety_plan_edit.html",
        {
            "client": access.client,
            "form": form,
            "current": current,
            "plans": selectors.safety_plan_versions(access.client),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@member_required(Capability.VIEW_CLINICAL)
def safety_plan(request: MemberRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan, access = safety_plan_for_user(request.tenancy, request.user, plan_id)
    audit_read_record(
        request,
        action="measures.safety_plan_viewed",
        subject=plan,
        organization=plan.organization,
        client_id=access.client.public_id,
    )
    return render(
        request,
        "measures/safety_plan.html",
        {"plan": plan, "client": access.client, "can_write": access.can_write_clinical},
    )


@require_GET
@member_required(Capability.VIEW_CLINICAL)
def safety_plan_pdf(request: MemberRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan, access = safety_plan_for_user(request.tenancy, request.user, plan_id)
    audit_read_record(
        request,
        action="measures.safety_plan_printed",
        subject=plan,
        organization=plan.organization,
        client_id=access.client.public_id,
    )
    html = render_to_string(
        "measures/safety_plan_pdf.html", {"plan": plan, "client": access.client}
    )
    return attachment_response(
        render_pdf(html),
        f"safety-plan-v{plan.version}.pdf",
        inline=True,
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def safety_plan_share(request: MemberRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan, access = safety_plan_for_user(request.tenancy, request.user, plan_id, write=True)
    link, raw = services.safety_plan_share(plan=plan, actor=request.user)
    url = _link_url(request, raw)
    emailed = services.link_email(link=link, url=url, actor=request.user)
    return render(
        request,
        "measures/link_created.html",
        {"client": access.client, "link": link, "url": url, "emailed": emailed},
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def schedule_create(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    form = ScheduleForm(request.POST, auto_id="schedule_%s")
    if form.is_valid():
        try:
            services.schedule_create(client=access.client, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Schedule saved.")
            return redirect("measures:client_measures", access.client.public_id)
    context = _overview_context(access)
    context["schedule_form"] = form
    return render(request, "measures/client_measures.html", context, status=400)


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def schedule_stop(request: MemberRequest, schedule_id: uuid.UUID) -> HttpResponse:
    schedule, access = schedule_for_user(request.tenancy, request.user, schedule_id)
    services.schedule_stop(schedule=schedule, actor=request.user)
    messages.success(request, "Schedule stopped.")
    return redirect("measures:client_measures", access.client.public_id)


@require_GET
@member_required(Capability.VIEW_CLINICAL)
def caseload_outcomes(request: MemberRequest) -> HttpResponse:
    organization = request.organization
    clients = Client.objects.filter(organization=organization).filter(
        caseload_filter(request.user, organization)
    )
    audit_read_record(
        request,
        action="measures.outcomes_viewed",
        subject=organization,
        organization=organization,
    )
    return render(
        request,
        "measures/outcomes.html",
        {
            "scope": "Your caseload",
            "outcomes": selectors.caseload_outcomes(clients, today=timezone.localdate()),
        },
    )


@require_GET
@member_required(Capability.MANAGE_ORGANIZATION)
def organization_outcomes(request: MemberRequest) -> HttpResponse:
    organization = request.organization
    audit_read_record(
        request,
        action="measures.outcomes_viewed",
        subject=organization,
        organization=organization,
    )
    return render(
        request,
        "measures/outcomes.html",
        {
            "scope": organization.name,
            "outcomes": selectors.caseload_outcomes(
                Client.objects.filter(organization=organization), today=timezone.localdate()
            ),
        },
    )


# --------------------------------------------------------------------------- client links


def _link_unavailable(request: HttpRequest, link: ClientLink | None) -> HttpResponse:
    reason = "unknown"
    if link is not None:
        reason = "expired" if link.is_expired else "used"
    return _public(
        request,
        "measures/public/unavailable.html",
        {"reason": reason},
        status=410 if link is not None else 404,
    )


@public_view
@require_http_methods(["GET", "POST"])
def client_link(request: HttpRequest, token: str) -> HttpResponse:
    """The client's one-time page: the questionnaire (or their safety plan), nothing else."""
    link = services.link_for_token(token)
    if link is None or not link.is_open:
        return _link_unavailable(request, link)
    if link.kind == ClientLink.Kind.SAFETY_PLAN:
        if request.method != "GET":
            return _link_unavailable(request, None)
        services.link_open_record(link=link)
        return _public(request, "measures/public/safety_plan.html", {"plan": link.safety_plan})
    instrument = load_instruments()[link.instrument_id]
    form = InstrumentForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_submit(link=link, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("measures:client_link_thanks")
    return _public(
        request,
        "measures/public/questionnaire.html",
        {"instrument": instrument, "form": form, "expires_at": link.expires_at},
        status=400 if form.errors else 200,
    )


@public_view
@require_GET
def client_link_thanks(request: HttpRequest) -> HttpResponse:
    return _public(request, "measures/public/thanks.html")
