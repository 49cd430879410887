from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tend.core.decorators import member_required
from tend.core.forms import add_service_errors
from tend.core.typing import MemberRequest
from tend.licensure import requirements, selectors, services
from tend.licensure.access import license_for_holder
from tend.licensure.forms import (
    CompactPrivilegeForm,
    ExamAttemptForm,
    LicenseForm,
    LicenseUpdateForm,
)
from tend.licensure.models import License


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
