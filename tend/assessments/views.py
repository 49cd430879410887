from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts.models import Organization
from tend.assessments import icd10, selectors, services
from tend.assessments.access import assessment_for_user, diagnosis_for_user
from tend.assessments.documents import assessment_pdf_html
from tend.assessments.forms import AddendumForm, AnswersForm, DiagnosisForm, TemplateSectionForm
from tend.assessments.models import Assessment
from tend.audit.services import audit_read_record
from tend.clients.access import client_for_user
from tend.core.decorators import member_required
from tend.core.downloads import attachment_response
from tend.core.forms import add_service_errors
from tend.core.pdf import render_pdf
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest

SEARCH_LIMIT = 15


def _local_time(moment: datetime, organization: Organization) -> str:
    return moment.astimezone(ZoneInfo(organization.timezone)).strftime("%H:%M")


def _record_view(request: MemberRequest, assessment: Assessment) -> None:
    audit_read_record(
        request,
        action="assessments.viewed",
        subject=assessment,
        organization=assessment.client.organization,
        client_id=assessment.client.public_id,
    )


# --------------------------------------------------------------------------- assessments


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def assessment_start(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    assessment = services.assessment_start(client=access.client, actor=request.user)
    return redirect("assessments:edit", assessment.public_id)


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def assessment_edit(request: MemberRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment = assessment_for_user(
        request.tenancy, request.user, assessment_id, write=True
    ).assessment
    if assessment.is_signed:
        return redirect("assessments:detail", assessment.public_id)
    definition = assessment.template.definition
    if request.method == "POST":
        form = AnswersForm(definition, request.POST)
        signing = request.POST.get("action") == "sign"
        if form.is_valid():
            try:
                saved = services.assessment_draft_save(
                    assessment=assessment, actor=request.user, answers=form.answers(), sign=signing
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if saved.is_signed:
                    messages.success(request, "Assessment signed.")
                    return redirect("assessments:detail", saved.public_id)
                messages.success(request, "Draft saved.")
                return redirect("assessments:edit", saved.public_id)
    else:
        _record_view(request, assessment)
        form = AnswersForm(definition, initial=AnswersForm.initial_from(assessment.answers))
    return render(
        request,
        "assessments/assessment_edit.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "form": form,
            "saved_at": _local_time(assessment.updated_at, assessment.client.organization),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def assessment_autosave(request: MemberRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """The htmx autosave: saves what is valid and answers with a small status line."""
    assessment = assessment_for_user(
        request.tenancy, request.user, assessment_id, write=True
    ).assessment
    form = AnswersForm(assessment.template.definition, request.POST)
    form.is_valid()
    context: dict[str, Any] = {"problems": []}
    try:
        saved, errors = services.assessment_autosave(
            assessment=assessment,
            actor=request.user,
            answers=form.answers(),
            unchanged=frozenset(form.errors),
        )
    except ValidationError as error:
        context["refused"] = " ".join(error.messages)
    else:
        context["saved_at"] = _local_time(saved.updated_at, saved.client.organization)
        problems = {name: list(found) for name, found in form.errors.items()} | errors
        for name, found in problems.items():
            label = form.fields[name].label if name in form.fields else "Answers"
            context["problems"].append(f"{label}: {' '.join(str(message) for message in found)}")
    return render(request, "assessments/assessment_edit.html#save_status", context)


@member_required(Capability.VIEW_CLINICAL)
def assessment_detail(request: MemberRequest, assessment_id: uuid.UUID) -> HttpResponse:
    found = assessment_for_user(request.tenancy, request.user, assessment_id)
    _record_view(request, found.assessment)
    return _detail_page(request, found.assessment, found.client_access.can_write_clinical)


def _detail_page(
    request: MemberRequest,
    assessment: Assessment,
    can_write: bool,
    addendum_form: AddendumForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "sections": selectors.answered_sections(assessment),
            "addenda": selectors.assessment_addenda(assessment),
            "can_write": can_write,
            "addendum_form": addendum_form or AddendumForm(),
        },
        status=status,
    )


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def addendum_add(request: MemberRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment = assessment_for_user(
        request.tenancy, request.user, assessment_id, write=True
    ).assessment
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_addendum_add(
                assessment=assessment,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Addendum added.")
            return redirect("assessments:detail", assessment.public_id)
    return _detail_page(request, assessment, True, form, status=400)


@member_required(Capability.VIEW_CLINICAL)
def assessment_pdf(request: MemberRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment = assessment_for_user(request.tenancy, request.user, assessment_id).assessment
    audit_read_record(
        request,
        action="assessments.printed",
        subject=assessment,
        organization=assessment.client.organization,
        client_id=assessment.client.public_id,
    )
    return attachment_response(
        render_pdf(assessment_pdf_html(assessment)),
        f"assessment-{assessment.public_id}.pdf",
        inline=True,
    )


# --------------------------------------------------------------------------- diagnoses


@member_required(Capability.VIEW_CLINICAL)
def diagnoses(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    histories = selectors.diagnosis_histories(access.client)
    audit_read_record(
        request,
        action="assessments.viewed",
        subject=access.client,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )
    return render(
        request,
        "assessments/diagnoses.html",
        {
            "client": access.client,
            "histories": histories,
            "can_write": access.can_write_clinical,
            "code_set_version": icd10.code_set_version(),
        },
    )


def _diagnosis_page(
    request: MemberRequest, context: dict[str, Any], form: DiagnosisForm
) -> HttpResponse:
    chosen = form["code"].value() or ""
    results = icd10.search(chosen, limit=1) if chosen and icd10.is_valid_code(chosen) else []
    return render(
        request,
        "assessments/diagnosis_form.html",
        {**context, "form": form, "results": results, "chosen": icd10.normalize_code(chosen)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def diagnosis_add(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    form = DiagnosisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.diagnosis_add(client=access.client, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Diagnosis added.")
            return redirect("assessments:diagnoses", access.client.public_id)
    return _diagnosis_page(request, {"client": access.client, "diagnosis": None}, form)


@require_http_methods(["GET", "POST"])
@member_required(Capability.WRITE_CLINICAL)
def diagnosis_change(request: MemberRequest, diagnosis_id: uuid.UUID) -> HttpResponse:
    diagnosis = diagnosis_for_user(
        request.tenancy, request.user, diagnosis_id, write=True
    ).diagnosis
    initial = {
        "code": diagnosis.code,
        "rank": diagnosis.rank,
        "status": diagnosis.status,
        "onset_date": diagnosis.onset_date,
        "resolution_date": diagnosis.resolution_date,
    }
    form = DiagnosisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.diagnosis_change(diagnosis=diagnosis, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Diagnosis updated; the previous entry is kept in its history."
            )
            return redirect("assessments:diagnoses", diagnosis.client.public_id)
    return _diagnosis_page(request, {"client": diagnosis.client, "diagnosis": diagnosis}, form)


@require_POST
@member_required(Capability.VIEW_CLINICAL)
def diagnosis_search(request: MemberRequest) -> HttpResponse:
    """The typeahead's results: billable ICD-10-CM codes for the words or code typed.

    POSTed so that the words typed (often the client's problem) never reach a URL or an
    access log."""
    query = request.POST.get("query", "")[:200]
    return render(
        request,
        "assessments/diagnosis_form.html#results",
        {"results": icd10.search(query, limit=SEARCH_LIMIT), "query": query, "chosen": ""},
    )


# --------------------------------------------------------------------------- template


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_ORGANIZATION)
def template_edit(request: MemberRequest) -> HttpResponse:
    """Add a section to the organization's assessment template (a new version).

    Organization settings, not client data: owners and admins (MANAGE_ORGANIZATION)
    shape the form the practice uses, as they do its other settings; clinicians fill it in.
    """
    organization = request.organization
    form = TemplateSectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.assessment_template_section_add(
                organization=organization,
                actor=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                fields=form.cleaned_data["fields_text"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Section added. New assessments use version {template.version}; "
                "assessments already started keep their version.",
            )
            return redirect("assessments:template")
    return render(
        request,
        "assessments/template_edit.html",
        {"definition": selectors.current_definition(organization), "form": form},
        status=400 if form.errors else 200,
    )
