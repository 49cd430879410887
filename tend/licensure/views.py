from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts.models import Organization, User
from tend.audit.services import audit_event_record, audit_read_record
from tend.core.decorators import member_required
from tend.core.downloads import attachment_response, stored_file_response
from tend.core.forms import add_service_errors
from tend.core.pdf import render_pdf
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest
from tend.licensure import requirements, selectors, services
from tend.licensure.access import (
    license_for_holder,
    own_hours_entry,
    supervisee_for_supervisor,
)
from tend.licensure.forms import (
    CompactPrivilegeForm,
    ExamAttemptForm,
    HoursEntryForm,
    LicenseForm,
    LicenseUpdateForm,
    VerifyPeriodForm,
    WhatIfForm,
)
from tend.licensure.models import HoursCategory, HoursEntry, License


def _page(request: MemberRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    context = {
        "licenses": list(selectors.licenses_for(user)),
        "privileges": list(selectors.privileges_for(user)),
        "attempts": list(selectors.exam_attempts_for(user)),
        "exams": requirements.exams_catalogue(),
        "compacts": [c for c in requirements.compacts().values() if c.status != "none_found"],
        "today": timezone.localdate(),
        "license_form": forms.get("license_form") or LicenseForm(),
        "privilege_form": forms.get("privilege_form") or CompactPrivilegeForm(holder=user),
        "exam_form": forms.get("exam_form") or ExamAttemptForm(),
        "update_form": forms.get("update_form"),
        "update_license": forms.get("update_license"),
    }
    return render(request, "licensure/licenses.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required()
def my_licenses(request: MemberRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = LicenseForm(request.POST)
    if form.is_valid():
        try:
            services.license_create(holder=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Licence recorded.")
            return redirect("licensure:licenses")
    return _page(request, status=400, license_form=form)


@require_POST
@member_required()
def license_update(request: MemberRequest, license_id: uuid.UUID) -> HttpResponse:
    license_: License = license_for_holder(request.user, license_id)
    form = LicenseUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.license_update(license_=license_, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{license_} updated.")
            return redirect("licensure:licenses")
    return _page(request, status=400, update_form=form, update_license=license_)


@require_POST
@member_required()
def privilege_add(request: MemberRequest) -> HttpResponse:
    form = CompactPrivilegeForm(request.POST, holder=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.compact_privilege_add(
                holder=request.user,
                home_license=license_for_holder(request.user, uuid.UUID(data["home_license"])),
                compact_code=data["compact_code"],
                state=data["state"],
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Compact privilege recorded.")
            return redirect("licensure:licenses")
    return _page(request, status=400, privilege_form=form)


@require_POST
@member_required()
def exam_attempt_add(request: MemberRequest) -> HttpResponse:
    form = ExamAttemptForm(request.POST)
    if form.is_valid():
        try:
            services.exam_attempt_record(candidate=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Exam attempt recorded.")
            return redirect("licensure:licenses")
    return _page(request, status=400, exam_form=form)


# ----------------------------------------------------------------------- hours ledger


def _scope_for(request: MemberRequest, associate: User) -> Organization | None:
    """The associate reads their whole ledger's verifications; anyone else only those of
    the organization they act in."""
    return None if associate == request.user else request.organization


def _ledger_context(request: MemberRequest, associate: User) -> dict[str, Any]:
    """What every ledger page shows: entries recorded in this organization, the totals
    and verifications (a fixed number of queries whatever the size of the ledger)."""
    today = timezone.localdate()
    return {
        "associate": associate,
        "entries": list(
            selectors.ledger_for(associate).filter(organization=request.organization)[:500]
        ),
        "summary": selectors.ledger_summary(associate, today=today),
        "verifications": list(
            selectors.verifications_for(associate, _scope_for(request, associate))
        ),
        "report": selectors.progress_for(associate, today=today),
        "today": today,
    }


def _audit_ledger_read(request: MemberRequest, associate: User) -> None:
    audit_read_record(
        request,
        action="licensure.ledger_viewed",
        subject=associate,
        organization=request.organization,
    )


def _my_hours_page(
    request: MemberRequest, *, status: int = 200, form: HoursEntryForm | None = None
) -> HttpResponse:
    context = _ledger_context(request, request.user)
    context["form"] = form or HoursEntryForm(initial={"worked_on": context["today"]})
    _audit_ledger_read(request, request.user)
    return render(request, "licensure/my_hours.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required(Capability.LOG_LICENSURE_HOURS)
def my_hours(request: MemberRequest) -> HttpResponse:
    if request.method != "POST":
        return _my_hours_page(request)
    form = HoursEntryForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.hours_entry_add(
                organization=request.organization, associate=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Hours added to your ledger.")
            return redirect("licensure:my_hours")
    return _my_hours_page(request, status=400, form=form)


@require_POST
@member_required(Capability.LOG_LICENSURE_HOURS)
def hours_entry_remove(request: MemberRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry = own_hours_entry(request.user, entry_id)
    try:
        services.hours_entry_remove(entry=entry, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Entry removed.")
    return redirect("licensure:my_hours")


@member_required(Capability.LOG_LICENSURE_HOURS)
def hours_entry_attachment(request: MemberRequest, entry_id: uuid.UUID) -> HttpResponse:
    entry: HoursEntry = own_hours_entry(request.user, entry_id)
    if not entry.attachment:
        raise Http404("No attachment.")
    return stored_file_response(entry.attachment, f"hours-{entry.worked_on:%Y-%m-%d}")


@member_required(Capability.LOG_LICENSURE_HOURS)
def my_progress(request: MemberRequest) -> HttpResponse:
    form = WhatIfForm(request.GET or None)
    what_if_state = form.cleaned_data["state"] if form.is_bound and form.is_valid() else ""
    report = selectors.progress_for(
        request.user, today=timezone.localdate(), what_if_state=what_if_state
    )
    _audit_ledger_read(request, request.user)
    context = {"report": report, "form": form, "associate": request.user}
    if request.htmx and report is not None:  # type: ignore[attr-defined]
        return render(request, "licensure/progress.html#what-if", context)
    return render(request, "licensure/progress.html", context)


def _verification_pdf(request: MemberRequest, associate: User) -> HttpResponse:
    today = timezone.localdate()
    verifications = list(selectors.verifications_for(associate, _scope_for(request, associate)))
    report = selectors.progress_for(associate, today=today)
    totals = {
        category: sum(v.minutes_by_category()[category] for v in verifications) / 60
        for category, _ in HoursCategory.choices
    }
    audit_event_record(
        action="licensure.verification_exported",
        actor=request.user,
        organization=request.organization,
        subject=associate,
        extra={"format": "pdf", "verifications": len(verifications)},
    )
    html = render_to_string(
        "licensure/verification_pdf.html",
        {
            "associate": associate,
            "verifications": verifications,
            "totals": totals,
            "grand_total": sum(totals.values()),
            "categories": HoursCategory.choices,
            "report": report,
            "associate_license": selectors.license_line_for(
                associate, on=today, state=report.path.state if report else ""
            ),
            "supervisors": sorted(
                {(v.supervisor_name, v.supervisor_license) for v in verifications}
            ),
            "today": today,
        },
    )
    return attachment_response(render_pdf(html), "experience-verification.pdf")


@member_required(Capability.LOG_LICENSURE_HOURS)
def my_verification_pdf(request: MemberRequest) -> HttpResponse:
    return _verification_pdf(request, request.user)


def _supervisee_page(
    request: MemberRequest,
    supervisee: User,
    *,
    status: int = 200,
    form: VerifyPeriodForm | None = None,
) -> HttpResponse:
    context = _ledger_context(request, supervisee)
    context["form"] = form or VerifyPeriodForm(initial={"containing": context["today"]})
    _audit_ledger_read(request, supervisee)
    return render(request, "licensure/supervisee_hours.html", context, status=status)


@member_required(Capability.SUPERVISE)
def supervisee_hours(request: MemberRequest, supervisee_id: uuid.UUID) -> HttpResponse:
    supervisee = supervisee_for_supervisor(request.tenancy, request.user, supervisee_id)
    return _supervisee_page(request, supervisee)


@require_POST
@member_required(Capability.SUPERVISE)
def supervisee_verify(request: MemberRequest, supervisee_id: uuid.UUID) -> HttpResponse:
    supervisee = supervisee_for_supervisor(request.tenancy, request.user, supervisee_id)
    form = VerifyPeriodForm(request.POST)
    if form.is_valid():
        try:
            verification = services.hours_verify_period(
                organization=request.organization,
                supervisor=request.user,
                associate=supervisee,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Verified {verification.entries} entries from "
                f"{verification.period_start:%b %-d} to {verification.period_end:%b %-d, %Y}.",
            )
            return redirect("licensure:supervisee_hours", supervisee_id=supervisee.public_id)
    return _supervisee_page(request, supervisee, status=400, form=form)


@member_required(Capability.SUPERVISE)
def supervisee_verification_pdf(request: MemberRequest, supervisee_id: uuid.UUID) -> HttpResponse:
    supervisee = supervisee_for_supervisor(request.tenancy, request.user, supervisee_id)
    return _verification_pdf(request, supervisee)


@member_required(Capability.MANAGE_MEMBERS)
def organization_hours(request: MemberRequest) -> HttpResponse:
    audit_event_record(
        action="licensure.ledger_viewed",
        actor=request.user,
        organization=request.organization,
        subject=request.organization,
        extra={"totals_only": True},
    )
    return render(
        request,
        "licensure/organization_hours.html",
        {"rows": selectors.organization_ledger_totals(request.organization)},
    )
