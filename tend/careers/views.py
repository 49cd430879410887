from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.careers import alerts, selectors, services
from tend.careers.access import (
    application_for_applicant,
    application_for_employer,
    posting_for_employer,
    saved_search_for_owner,
)
from tend.careers.display import associate_outlook, posting_card
from tend.careers.eligibility import Credentials, credentials_for, hours_standing_for
from tend.careers.explore import career_path, explore_index
from tend.careers.forms import (
    ApplicationMoveForm,
    ApplyForm,
    PostingForm,
    SavedSearchForm,
    SearchForm,
)
from tend.careers.jsonld import json_ld_text, posting_json_ld
from tend.core.decorators import member_required, public_view
from tend.core.forms import add_service_errors
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest


def _credentials(request: HttpRequest) -> Credentials | None:
    if not request.user.is_authenticated:
        return None
    return credentials_for(request.user, today=timezone.localdate())


# --------------------------------------------------------------------- public pages


@public_view
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The job board. Anyone may search; signed-in clinicians also see their eligibility."""
    form = SearchForm(request.GET)
    today = timezone.localdate()
    credentials = _credentials(request)
    results = None
    save_form = None
    if form.is_valid():
        page = selectors.search_postings(form.job_search(), today=today, credentials=credentials)
        if credentials is not None:
            save_form = SavedSearchForm(
                initial={"name": form.summary()[:120], "query": form.criteria_query()}
            )
        results = {
            "page": page,
            "cards": [
                posting_card(posting, today=today, credentials=credentials)
                for posting in page.postings
            ],
            "query": _without_page(request),
        }
    context = {
        "form": form,
        "results": results,
        "signed_in": credentials is not None,
        "save_form": save_form,
    }
    template = "careers/search.html#results" if request.htmx else "careers/search.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=200 if results is not None else 400)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@public_view
@require_GET
def posting_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    today = timezone.localdate()
    posting = selectors.posting_public(job_id, today=today)
    if posting is None:
        raise Http404("This posting is closed or has expired.")
    credentials = _credentials(request)
    url = request.build_absolute_uri(reverse("careers:posting", args=[posting.public_id]))
    outlook = []
    if credentials is not None:
        standing = hours_standing_for(request.user, today=today)  # type: ignore[arg-type]
        outlook = associate_outlook(posting, credentials, standing=standing)
    return render(
        request,
        "careers/posting.html",
        {
            "card": posting_card(posting, today=today, credentials=credentials),
            "json_ld": json_ld_text(posting_json_ld(posting, url=url)),
            "outlook": outlook,
        },
    )


# --------------------------------------------------------------- the applicant's side


@require_http_methods(["GET", "POST"])
@member_required()
def apply(request: MemberRequest, job_id: uuid.UUID) -> HttpResponse:
    today = timezone.localdate()
    posting = selectors.posting_public(job_id, today=today)
    if posting is None:
        raise Http404("This posting is closed or has expired.")
    form = ApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                posting=posting,
                applicant=request.user,
                cover_note=form.cleaned_data["cover_note"],
                share=form.cleaned_data["share"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You applied to {posting.title}.")
            return redirect("careers:my_applications")
    return render(
        request,
        "careers/apply.html",
        {"posting": posting, "form": form, "profile": services.shareable_profile(request.user)},
        status=400 if form.errors else 200,
    )


@require_GET
@member_required()
def my_applications(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "careers/my_applications.html",
        {"applications": selectors.applications_of(request.user)},
    )


@require_POST
@member_required()
def application_withdraw(request: MemberRequest, my_application_id: uuid.UUID) -> HttpResponse:
    application = application_for_applicant(request.user, my_application_id)
    try:
        services.application_withdraw(application=application, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Application withdrawn.")
    return redirect("careers:my_applications")


# ---------------------------------------------------------------- the employer's side


@require_GET
@member_required(Capability.POST_JOBS)
def manage(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "careers/manage.html",
        {
            "postings": selectors.organization_postings(request.organization),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.POST_JOBS)
def posting_new(request: MemberRequest) -> HttpResponse:
    form = PostingForm(
        request.POST if request.method == "POST" else None,
        initial={"working_weeks_per_year": 52, "location_state": request.organization.state},
    )
    if request.method == "POST" and form.is_valid():
        try:
            posting = services.posting_create(
                organization=request.organization, actor=request.user, data=form.posting_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{posting.title} is published.")
            return redirect("careers:manage")
    return render(
        request,
        "careers/posting_form.html",
        {"form": form, "posting": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.POST_JOBS)
def posting_edit(request: MemberRequest, posting_id: uuid.UUID) -> HttpResponse:
    posting = posting_for_employer(request.tenancy, posting_id)
    form = PostingForm(
        request.POST if request.method == "POST" else None,
        initial=PostingForm.initial_from(posting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_update(posting=posting, actor=request.user, data=form.posting_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{posting.title} is updated.")
            return redirect("careers:manage")
    return render(
        request,
        "careers/posting_form.html",
        {"form": form, "posting": posting},
        status=400 if form.errors else 200,
    )


@require_POST
@member_required(Capability.POST_JOBS)
def posting_reconfirm(request: MemberRequest, posting_id: uuid.UUID) -> HttpResponse:
    posting = posting_for_employer(request.tenancy, posting_id)
    try:
        services.posting_reconfirm(posting=posting, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{posting.title} is open until {posting.valid_through}.")
    return redirect("careers:manage")


@require_POST
@member_required(Capability.POST_JOBS)
def posting_close(request: MemberRequest, posting_id: uuid.UUID) -> HttpResponse:
    posting = posting_for_employer(request.tenancy, posting_id)
    services.posting_close(posting=posting, actor=request.user)
    messages.success(request, f"{posting.title} is closed.")
    return redirect("careers:manage")


@require_GET
@member_required(Capability.POST_JOBS)
def pipeline(request: MemberRequest, posting_id: uuid.UUID) -> HttpResponse:
    posting = posting_for_employer(request.tenancy, posting_id)
    return render(
        request,
        "careers/pipeline.html",
        {"posting": posting, "applications": selectors.applications_for_posting(posting)},
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.POST_JOBS)
def application_detail(request: MemberRequest, application_id: uuid.UUID) -> HttpResponse:
    application = application_for_employer(request.tenancy, application_id)
    form = ApplicationMoveForm(
        request.POST if request.method == "POST" else None,
        initial={"status": application.status},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_move(
                application=application,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Moved to {application.get_status_display()}.")
            return redirect("careers:application", application.public_id)
    return render(
        request,
        "careers/application.html",
        {
            "application": application,
            "form": form,
            "notes": selectors.application_notes(application),
        },
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------- saved searches


@require_GET
@member_required()
def saved_searches(request: MemberRequest) -> HttpResponse:
    rows = []
    for saved in selectors.saved_searches_of(request.user):
        criteria = SearchForm(QueryDict(saved.query))
        rows.append({"saved": saved, "summary": criteria.summary() if criteria.is_valid() else ""})
    return render(request, "careers/saved_searches.html", {"rows": rows})


@require_POST
@member_required()
def saved_search_create(request: MemberRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            alerts.saved_search_create(
                owner=request.user,
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
                alerts_enabled=form.cleaned_data["alerts_enabled"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved “{form.cleaned_data['name']}”.")
            return redirect("careers:saved_searches")
    # The criteria travel in a hidden field; show what was wrong on a page of its own.
    return render(request, "careers/saved_search_form.html", {"form": form}, status=400)


@require_POST
@member_required()
def saved_search_alerts(request: MemberRequest, saved_search_id: uuid.UUID) -> HttpResponse:
    saved = saved_search_for_owner(request.user, saved_search_id)
    enabled = request.POST.get("alerts_enabled") == "on"
    alerts.saved_search_set_alerts(saved=saved, enabled=enabled, actor=request.user)
    state = "on" if enabled else "off"
    messages.success(request, f"Daily email for “{saved.name}” is {state}.")
    return redirect("careers:saved_searches")


@require_POST
@member_required()
def saved_search_delete(request: MemberRequest, saved_search_id: uuid.UUID) -> HttpResponse:
    saved = saved_search_for_owner(request.user, saved_search_id)
    alerts.saved_search_delete(saved=saved, actor=request.user)
    messages.success(request, f"Deleted “{saved.name}”.")
    return redirect("careers:saved_searches")


@public_view
@csrf_exempt  # Mail clients' one-click unsubscribe (RFC 8058) POSTs without a CSRF token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation; POST (the button, or a mail client) stops the emails."""
    if request.method == "GET":
        valid = alerts.unsubscribe_token_is_valid(token)
        return render(
            request,
            "careers/unsubscribe.html",
            {"valid": valid, "done": None},
            status=200 if valid else 404,
        )
    done = alerts.unsubscribe(token)
    return render(
        request,
        "careers/unsubscribe.html",
        {"valid": done is not None, "done": done},
        status=200 if done is not None else 404,
    )


# ------------------------------------------------------------------- explore careers


@public_view
@require_GET
def explore(request: HttpRequest) -> HttpResponse:
    return render(request, "careers/explore.html", {"families": explore_index()})


@public_view
@require_GET
def explore_path(request: HttpRequest, family: str, state: str) -> HttpResponse:
    path = career_path(family, state, today=timezone.localdate()) if state.isupper() else None
    if path is None:
        raise Http404("The requirement data has no path for this licence and state.")
    return render(request, "careers/explore_path.html", {"path": path})
