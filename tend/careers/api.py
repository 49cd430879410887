"""The careers API: the job board, the caller's applications and saved searches, and the
employer's postings and pipeline. Careers holds no client data."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router

from tend.careers import alerts, selectors, services
from tend.careers.access import (
    application_for_employer,
    posting_for_employer,
    saved_search_for_owner,
)
from tend.careers.display import PostingCard, posting_card
from tend.careers.eligibility import Credentials, credentials_for
from tend.careers.forms import SearchForm
from tend.careers.models import JobApplication, JobPosting, SavedSearch
from tend.careers.schemas import (
    ApplicantApplicationOut,
    ApplyIn,
    EligibilityOut,
    ManagedPostingOut,
    MyApplicationOut,
    PayOut,
    PostingDetailOut,
    PostingOut,
    PostingsPageOut,
    PostingsQuery,
    SavedSearchIn,
    SavedSearchOut,
    StageIn,
)
from tend.core.api import requires
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest

router = Router(tags=["careers"])


def _credentials(request: MemberRequest) -> Credentials:
    return credentials_for(request.user, today=timezone.localdate())


def _posting_fields(card: PostingCard, request: HttpRequest) -> dict[str, Any]:
    posting = card.posting
    eligibility = card.eligibility
    return {
        "id": posting.public_id,
        "title": posting.title,
        "employer": posting.organization.name,
        "setting": posting.setting,
        "employment_type": posting.employment_type,
        "work_arrangement": posting.work_arrangement,
        "city": posting.city,
        "location_state": posting.location_state,
        "licensed_states": posting.licensed_state_list,
        "license_families": posting.license_family_list,
        "accepts_associates": posting.accepts_associates,
        "supervision_provided": posting.supervision_provided,
        "modalities": posting.modality_list,
        "populations": posting.population_list,
        "sessions_per_week": posting.sessions_per_week,
        "pay": PayOut(
            basis=posting.pay_basis,
            stated_min=str(posting.pay_min),
            stated_max=str(posting.pay_max),
            annual_low=card.annual_pay.low,
            annual_high=card.annual_pay.high,
            assumptions=card.annual_pay.assumptions,
            bls_median=card.wage.annual_median_usd,
            bls_median_label=card.wage.label,
        ),
        "posted_on": posting.posted_on,
        "valid_through": posting.valid_through,
        "freshness": card.freshness,
        "url": request.build_absolute_uri(reverse("careers:posting", args=[posting.public_id])),
        "eligibility": EligibilityOut(
            outcome=eligibility.outcome.value, label=eligibility.label, reasons=eligibility.reasons
        )
        if eligibility is not None
        else None,
    }


@router.get("/postings", response=PostingsPageOut)
@requires(None)
def postings(request: MemberRequest, query: Query[PostingsQuery]) -> PostingsPageOut:
    """Search open postings (20 a page), with the caller's eligibility for each."""
    params = QueryDict(mutable=True)
    for name, value in query.dict().items():
        if value not in ("", None, False):
            params[name] = "on" if value is True else str(value)
    form = SearchForm(params)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    today = timezone.localdate()
    credentials = _credentials(request)
    page = selectors.search_postings(form.job_search(), today=today, credentials=credentials)
    return PostingsPageOut(
        page=page.page,
        has_next=page.has_next,
        sort=page.sort,
        results=[
            PostingOut(
                **_posting_fields(
                    posting_card(posting, today=today, credentials=credentials), request
                )
            )
            for posting in page.postings
        ],
    )


def _open_posting(job_id: uuid.UUID) -> JobPosting:
    posting = selectors.posting_public(job_id, today=timezone.localdate())
    if posting is None:
        raise Http404("This posting is closed or has expired.")
    return posting


@router.get("/postings/{job_id}", response=PostingDetailOut)
@requires(None)
def posting(request: MemberRequest, job_id: uuid.UUID) -> PostingDetailOut:
    """One open posting in full, with the caller's eligibility."""
    found = _open_posting(job_id)
    card = posting_card(found, today=timezone.localdate(), credentials=_credentials(request))
    return PostingDetailOut(
        **_posting_fields(card, request),
        description=found.description,
        benefits=found.benefits,
        supervisor_credential=found.supervisor_credential,
        supervision_hours_per_week=(
            str(found.supervision_hours_per_week)
            if found.supervision_hours_per_week is not None
            else None
        ),
        education_requirements=found.education_requirements,
        experience_requirements=found.experience_requirements,
    )


def _my_application_out(application: JobApplication) -> MyApplicationOut:
    return MyApplicationOut(
        id=application.public_id,
        posting=application.posting.public_id,
        title=application.posting.title,
        employer=application.posting.organization.name,
        status=application.status,
        applied_at=application.created_at,
    )


@router.post("/postings/{job_id}/applications", response={201: MyApplicationOut})
@requires(None)
def apply(
    request: MemberRequest, job_id: uuid.UUID, payload: ApplyIn
) -> tuple[int, MyApplicationOut]:
    """Apply, sharing the chosen parts of the caller's profile (needs a read-write token)."""
    application = services.application_submit(
        posting=_open_posting(job_id),
        applicant=request.user,
        cover_note=payload.cover_note,
        share=payload.share,
    )
    return 201, _my_application_out(application)


@router.get("/applications", response=list[MyApplicationOut])
@requires(None)
def my_applications(request: MemberRequest) -> list[MyApplicationOut]:
    """The caller's applications and where each stands."""
    return [_my_application_out(a) for a in selectors.applications_of(request.user)]


def _saved_out(saved: SavedSearch) -> SavedSearchOut:
    return SavedSearchOut(
        id=saved.public_id,
        name=saved.name,
        query=saved.query,
        alerts_enabled=saved.alerts_enabled,
        last_alert_on=saved.last_alert_on,
    )


@router.get("/saved-searches", response=list[SavedSearchOut])
@requires(None)
def saved_searches(request: MemberRequest) -> list[SavedSearchOut]:
    return [_saved_out(saved) for saved in selectors.saved_searches_of(request.user)]


@router.post("/saved-searches", response={201: SavedSearchOut})
@requires(None)
def saved_search_create(
    request: MemberRequest, payload: SavedSearchIn
) -> tuple[int, SavedSearchOut]:
    """Keep a search (its query string, as the search page's URL has it)."""
    saved = alerts.saved_search_create(
        owner=request.user,
        name=payload.name,
        query=payload.query,
        alerts_enabled=payload.alerts_enabled,
    )
    return 201, _saved_out(saved)


@router.delete("/saved-searches/{saved_search_id}", response={204: None})
@requires(None)
def saved_search_delete(request: MemberRequest, saved_search_id: uuid.UUID) -> tuple[int, None]:
    saved = saved_search_for_owner(request.user, saved_search_id)
    alerts.saved_search_delete(saved=saved, actor=request.user)
    return 204, None


# ---------------------------------------------------------------- the employer's side


@router.get("/manage/postings", response=list[ManagedPostingOut])
@requires(Capability.POST_JOBS)
def managed_postings(request: MemberRequest) -> list[ManagedPostingOut]:
    """The organization's postings, open or not, with their application counts."""
    today = timezone.localdate()
    rows = selectors.organization_postings(request.organization).annotate(
        application_count=Count("applications")
    )
    return [
        ManagedPostingOut(
            id=row.public_id,
            title=row.title,
            posted_on=row.posted_on,
            valid_through=row.valid_through,
            reconfirmed_on=row.reconfirmed_on,
            is_open=row.is_open_on(today),
            applications=row.application_count,
        )
        for row in rows
    ]


def _applicant_out(application: JobApplication) -> ApplicantApplicationOut:
    return ApplicantApplicationOut(
        id=application.public_id,
        applicant_name=application.applicant.display_name,
        applicant_email=application.applicant.email,
        status=application.status,
        cover_note=application.cover_note,
        shared_profile=application.shared_profile,
        applied_at=application.created_at,
    )


@router.get("/manage/postings/{posting_id}/applications", response=list[ApplicantApplicationOut])
@requires(Capability.POST_JOBS)
def pipeline(request: MemberRequest, posting_id: uuid.UUID) -> list[ApplicantApplicationOut]:
    posting = posting_for_employer(request.tenancy, posting_id)
    return [_applicant_out(a) for a in selectors.applications_for_posting(posting)]


@router.post("/manage/applications/{application_id}/stage", response=ApplicantApplicationOut)
@requires(Capability.POST_JOBS)
def application_stage(
    request: MemberRequest, application_id: uuid.UUID, payload: StageIn
) -> ApplicantApplicationOut:
    """Move an application to another stage, with an optional note the applicant never sees."""
    application = application_for_employer(request.tenancy, application_id)
    services.application_move(
        application=application, actor=request.user, status=payload.status, note=payload.note
    )
    return _applicant_out(application)
