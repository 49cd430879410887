"""Saved job searches and their daily email digest.

A digest lists, per saved search, the open postings created since that search's last
digest. The unsubscribe link carries a signed token (no lookup table, nothing to leak):
it names the user and, optionally, one saved search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tend.accounts.models import User
from tend.audit.services import audit_event_record
from tend.careers.eligibility import credentials_for
from tend.careers.forms import SearchForm
from tend.careers.models import JobPosting, SavedSearch
from tend.careers.selectors import matching_postings

MAX_SAVED_SEARCHES = 20
# A digest shows this many postings per search and links to the rest.
DIGEST_PER_SEARCH = 10
_UNSUBSCRIBE_SALT = "tend.careers.unsubscribe"


def _criteria_form(query: str) -> SearchForm:
    return SearchForm(QueryDict(query))


def saved_search_create(*, owner: User, name: str, query: str, alerts_enabled: bool) -> SavedSearch:
    """Keep a search under a name; its criteria are validated like the search page's."""
    form = _criteria_form(query)
    if not form.is_valid():
        raise ValidationError({"query": "This search has invalid criteria; run it again first."})
    if SavedSearch.objects.filter(owner=owner).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            {"name": f"You can keep at most {MAX_SAVED_SEARCHES} saved searches; delete one."}
        )
    saved = SavedSearch(
        owner=owner,
        name=name.strip(),
        query=form.criteria_query(),
        alerts_enabled=alerts_enabled,
        alerted_through=timezone.now(),
    )
    saved.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError:
        raise ValidationError({"name": "You already have a saved search with this name."}) from None
    audit_event_record(
        action="careers.search_saved",
        actor=owner,
        subject=saved,
        extra={"alerts_enabled": alerts_enabled},
    )
    return saved


def saved_search_set_alerts(
    *, saved: SavedSearch, enabled: bool, actor: User | None
) -> SavedSearch:
    """Turn a search's daily email on or off; turning it on starts from now."""
    if saved.alerts_enabled == enabled:
        return saved
    saved.alerts_enabled = enabled
    if enabled:
        saved.alerted_through = timezone.now()
    saved.save(update_fields=["alerts_enabled", "alerted_through", "updated_at"])
    audit_event_record(
        action="careers.search_alerts_changed",
        actor=actor,
        subject=saved,
        extra={"alerts_enabled": enabled},
    )
    return saved


def saved_search_delete(*, saved: SavedSearch, actor: User) -> None:
    audit_event_record(action="careers.search_deleted", actor=actor, subject=saved)
    saved.delete()


def unsubscribe_token(user: User, saved: SavedSearch | None = None) -> str:
    """A token that stops one search's emails, or all of the user's when `saved` is None."""
    payload = {"u": str(user.public_id), "s": str(saved.public_id) if saved else ""}
    return signing.dumps(payload, salt=_UNSUBSCRIBE_SALT, compress=True)


@dataclass(frozen=True)
class Unsubscribed:
    email: str
    stopped: list[str]


def _token_target(token: str) -> tuple[User, str] | None:
    """The user a token names and the saved search's public id ("" for all of them)."""
    try:
        payload = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(public_id=str(payload["u"])).first()
    return (user, str(payload["s"])) if user is not None else None


def unsubscribe_token_is_valid(token: str) -> bool:
    return _token_target(token) is not None


def unsubscribe(token: str) -> Unsubscribed | None:
    """Stop the emails a token names; None for a token this server did not sign."""
    target = _token_target(token)
    if target is None:
        return None
    user, saved_search_id = target
    searches = SavedSearch.objects.filter(owner=user, alerts_enabled=True)
    if saved_search_id:
        searches = searches.filter(public_id=saved_search_id)
    stopped = []
    for saved in searches:
        saved_search_set_alerts(saved=saved, enabled=False, actor=None)
        stopped.append(saved.name)
    return Unsubscribed(email=user.email, stopped=stopped)


@dataclass(frozen=True)
class DigestSection:
    saved: SavedSearch
    postings: list[JobPosting]
    more: int


def digest_sections(user: User, searches: list[SavedSearch], *, today: date) -> list[DigestSection]:
    """What a user's digest would say today: new matches per search, empty ones left out."""
    credentials = credentials_for(user, today=today)
    sections = []
    for saved in searches:
        form = _criteria_form(saved.query)
        if not form.is_valid():
            continue
        new = matching_postings(form.job_search(), today=today, credentials=credentials).filter(
            created_at__gt=saved.alerted_through
        )
        rows = list(new.order_by("-created_at", "-id")[: DIGEST_PER_SEARCH + 1])
        if rows:
            more = new.count() - DIGEST_PER_SEARCH if len(rows) > DIGEST_PER_SEARCH else 0
            sections.append(DigestSection(saved, rows[:DIGEST_PER_SEARCH], more))
    return sections


@dataclass(frozen=True)
class DigestReport:
    emails: int
    postings: int


UrlBuilder = Callable[[str], str]


def digests_send(*, today: date, absolute: UrlBuilder) -> DigestReport:
    """Email each user with alerting searches one digest of today's new matches.

    At most one digest per search per day, so running the command twice sends nothing new.
    `absolute` turns a site path into a full URL.
    """
    started = timezone.now()
    due = (
        SavedSearch.objects.filter(alerts_enabled=True, owner__is_active=True)
        .exclude(last_alert_on__gte=today)
        .select_related("owner")
        .order_by("owner_id", "name", "id")
    )
    by_owner: dict[int, list[SavedSearch]] = {}
    for saved in due:
        by_owner.setdefault(saved.owner_id, []).append(saved)
    emails = postings = 0
    for searches in by_owner.values():
        owner = searches[0].owner
        sections = digest_sections(owner, searches, today=today)
        if sections:
            _send_digest(owner, sections, absolute)
            emails += 1
            postings += sum(len(section.postings) + section.more for section in sections)
        SavedSearch.objects.filter(pk__in=[saved.pk for saved in searches]).update(
            alerted_through=started, last_alert_on=today
        )
    return DigestReport(emails=emails, postings=postings)


def _send_digest(owner: User, sections: list[DigestSection], absolute: UrlBuilder) -> None:
    count = sum(len(section.postings) + section.more for section in sections)
    unsubscribe_all = absolute(reverse("careers:unsubscribe", args=[unsubscribe_token(owner)]))
    context = {
        "sections": [
            {
                "name": section.saved.name,
                "more": section.more,
                "search_url": absolute(reverse("careers:search") + "?" + section.saved.query),
                "unsubscribe_url": absolute(
                    reverse("careers:unsubscribe", args=[unsubscribe_token(owner, section.saved)])
                ),
                "postings": [
                    {
                        "title": posting.title,
                        "employer": posting.organization.name,
                        "where": ", ".join(filter(None, [posting.city, posting.location_state])),
                        "arrangement": posting.get_work_arrangement_display(),
                        "pay": f"${posting.annual_pay_min:,} to ${posting.annual_pay_max:,} a year",
                        "url": absolute(reverse("careers:posting", args=[posting.public_id])),
                    }
                    for posting in section.postings
                ],
            }
            for section in sections
        ],
        "unsubscribe_all_url": unsubscribe_all,
        "manage_url": absolute(reverse("careers:saved_searches")),
    }
    message = EmailMessage(
        subject=f"{count} new job{'s' if count != 1 else ''} match your saved searches",
        body=render_to_string("careers/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[owner.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
