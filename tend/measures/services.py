"""Every change in measurement-based care and the risk pathway goes through here."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from tend.accounts.models import User
from tend.audit.services import audit_event_record
from tend.clients.models import Client
from tend.measures.instruments import Instrument, ItemNumber, Score, load_instruments
from tend.measures.models import (
    ClientLink,
    MeasureResponse,
    MeasureSchedule,
    RiskAlert,
    RiskAssessment,
    SafetyPlan,
)
from tend.supervision.models import SupervisionRelationship

LINK_LIFETIME = timedelta(days=7)
SCREENING_INSTRUMENT = "cssrs_screener"

UrlBuilder = Callable[[str], str]


def _digest(raw: str) -> str:
    # 256 random bits: nothing to brute-force, so a fast hash is enough.
    return hashlib.sha256(raw.encode()).hexdigest()


def instrument_get(instrument_id: str, *, field: str = "instrument_id") -> Instrument:
    """The instrument with this id, or a ValidationError on `field`."""
    instrument = load_instruments().get(instrument_id)
    if instrument is None:
        raise ValidationError({field: "Choose an instrument from the list."})
    return instrument


def item_key(raw: str) -> ItemNumber:
    """The engine's item number for a stored key: "9" -> 9, "6a" -> "6a"."""
    return int(raw) if raw.isdigit() else raw


def _score(
    instrument: Instrument,
    *,
    answers: Mapping[str, float] | None,
    total: float | None,
    sex: str | None,
) -> Score:
    band_sex = sex if sex in instrument.bands_by_sex else None
    if answers:
        try:
            score = instrument.score({item_key(n): v for n, v in answers.items()}, sex=band_sex)
        except ValueError as error:
            raise ValidationError({"answers": str(error)}) from error
        if not score.complete and not score.prorated:
            raise ValidationError({f"item_{n}": "Answer this item." for n in score.missing_items})
        return score
    if total is None:
        raise ValidationError({"answers": "Answer the items, or enter the total score."})
    try:
        return instrument.score_total(total, sex=band_sex)
    except ValueError as error:
        raise ValidationError({"total": str(error)}) from error


class ScoredFields(TypedDict):
    """The fields of a `MeasureResponse` that come from scoring it."""

    total: float | None
    band: str
    subscales: dict[str, float | None]
    critical_flags: list[dict[str, str]]
    has_triggered_critical: bool
    risk_level: str


def scored_fields(
    instrument: Instrument,
    *,
    answers: Mapping[str, float] | None = None,
    total: float | None = None,
    sex: str | None = None,
) -> ScoredFields:
    """The stored score fields of one administration of `instrument`: scored from
    `answers` (item numbers as text), or from the `total` alone where no answers are
    given; `sex` picks sex-specific bands where the instrument has them. Writes nothing;
    raises ValidationError as `response_record` does."""
    score = _score(instrument, answers=answers, total=total, sex=sex)
    flags = [
        {"id": flag.id, "flag": flag.flag or "", "status": flag.status, "kind": "critical"}
        for flag in score.critical_flags
    ] + [
        {"id": flag.id, "flag": "", "status": flag.status, "kind": "alert"} for flag in score.alerts
    ]
    return ScoredFields(
        total=score.total,
        band=score.band_label or "",
        subscales=dict(score.subscale_totals),
        critical_flags=flags,
        has_triggered_critical=bool(_triggered_critical_items(flags)),
        risk_level=score.risk_level or "",
    )


def _triggered_critical_items(flags: list[dict[str, str]]) -> list[str]:
    """The ids of the critical items (not alerts) that triggered: these raise risk alerts."""
    return [
        flag["id"] for flag in flags if flag["kind"] == "critical" and flag["status"] == "triggered"
    ]


def _alert_recipients(client: Client, fallback: User | None) -> list[User]:
    primary = client.primary_clinician or fallback
    if primary is None:
        return []
    today = timezone.localdate()
    supervisors = (
        SupervisionRelationship.objects.filter(
            organization_id=client.organization_id,
            supervisee=primary,
            supervisor__isnull=False,
            started_on__lte=today,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("supervisor")
    )
    recipients = [primary]
    for relationship in supervisors:
        supervisor = relationship.supervisor
        if supervisor is not None and supervisor not in recipients:
            recipients.append(supervisor)
    return recipients


@transaction.atomic
def response_record(
    *,
    client: Client,
    instrument_id: str,
    mode: str,
    actor: User | None,
    administered_at: datetime | None = None,
    answers: Mapping[str, float] | None = None,
    total: float | None = None,
) -> MeasureResponse:
    """Score and store one administration; raise alerts for endorsed critical items.

    `answers` maps item numbers (as text) to values; for an instrument whose wording is
    licensed the clinician may enter the total only. Raises ValidationError on
    `answers`/`total` for anything the instrument does not accept. A response is never
    changed afterwards (see `response_void`).
    """
    instrument = instrument_get(instrument_id)
    fields = scored_fields(
        instrument, answers=answers, total=total, sex=client.sex_assigned_at_birth
    )
    triggered = _triggered_critical_items(fields["critical_flags"])
    response = MeasureResponse(
        organization=client.organization,
        client=client,
        instrument_id=instrument.id,
        administered_at=administered_at or timezone.now(),
        mode=mode,
        answers={str(n): v for n, v in (answers or {}).items()},
        **fields,
        entered_by=actor,
    )
    response.full_clean()
    response.save()
    audit_event_record(
        action="measures.response_recorded",
        actor=actor,
        organization=client.organization,
        subject=response,
        client_id=client.public_id,
        extra={
            "instrument": instrument.id,
            "mode": mode,
            "total_only": not answers,
            "critical_items": triggered,
        },
    )
    if triggered:
        for recipient in _alert_recipients(client, actor):
            alert = RiskAlert.objects.create(
                organization=client.organization,
                client=client,
                response=response,
                recipient=recipient,
                flags=triggered,
            )
            audit_event_record(
                action="measures.alert_raised",
                actor=actor,
                organization=client.organization,
                subject=alert,
                client_id=client.public_id,
                extra={"recipient": str(recipient.public_id), "critical_items": triggered},
            )
    return response


@transaction.atomic
def response_void(*, response: MeasureResponse, actor: User, reason: str) -> MeasureResponse:
    """Void a response entered in error (the correction is recorded as a new response)."""
    if response.is_void:
        raise ValidationError({"reason": "This score was already voided."})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this score is void."})
    response.voided_at = timezone.now()
    response.voided_by = actor
    response.void_reason = reason
    response.full_clean()
    response.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
    audit_event_record(
        action="measures.response_voided",
        actor=actor,
        organization=response.organization,
        subject=response,
        client_id=response.client.public_id,
        extra={"instrument": response.instrument_id},
    )
    return response


def _sendable(instrument: Instrument) -> None:
    if not instrument.text_included:
        raise ValidationError(
            {
                "instrument_id": f"{instrument.abbreviation} cannot be sent to a client: "
                "its wording is not licensed for display here. "
                f"{instrument.license_statement}"
            }
        )


def _link_new(
    *,
    client: Client,
    kind: str,
    actor: User | None,
    instrument_id: str = "",
    safety_plan: SafetyPlan | None = None,
    schedule: MeasureSchedule | None = None,
    due_on: date | None = None,
) -> tuple[ClientLink, str]:
    raw = secrets.token_urlsafe(32)
    link = ClientLink(
        organization=client.organization,
        client=client,
        kind=kind,
        instrument_id=instrument_id,
        safety_plan=safety_plan,
        token_hash=_digest(raw),
        expires_at=timezone.now() + LINK_LIFETIME,
        created_by=actor,
        schedule=schedule,
        due_on=due_on,
    )
    link.full_clean()
    link.save()
    audit_event_record(
        action="measures.link_created",
        actor=actor,
        organization=client.organization,
        subject=link,
        client_id=client.public_id,
        extra={"kind": kind, "instrument": instrument_id},
    )
    return link, raw


@transaction.atomic
def link_create(*, client: Client, instrument_id: str, actor: User) -> tuple[ClientLink, str]:
    """A one-time questionnaire link (7 days); returns it and the raw token, shown once."""
    instrument = instrument_get(instrument_id)
    _sendable(instrument)
    return _link_new(
        client=client, kind=ClientLink.Kind.QUESTIONNAIRE, actor=actor, instrument_id=instrument.id
    )


def link_email(*, link: ClientLink, url: str, actor: User | None) -> bool:
    """Email the link to the client's address; False (and nothing sent) without one.

    The message names the practice, not the instrument or anything clinical.
    """
    client = link.client
    if not client.email:
        return False
    send_mail(
        subject=f"A message from {client.organization.name}",
        message=render_to_string(
            "measures/email/link.txt",
            {"organization": client.organization, "url": url, "link": link},
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[client.email],
    )
    link.emailed_at = timezone.now()
    link.save(update_fields=["emailed_at", "updated_at"])
    audit_event_record(
        action="measures.link_sent",
        actor=actor,
        organization=client.organization,
        subject=link,
        client_id=client.public_id,
        extra={"kind": link.kind},
    )
    return True


def link_for_token(raw: str) -> ClientLink | None:
    """The link a raw token belongs to, whatever its state, or None."""
    return (
        ClientLink.objects.select_related("organization", "client", "safety_plan")
        .filter(token_hash=_digest(raw))
        .first()
    )


@transaction.atomic
def link_submit(*, link: ClientLink, answers: Mapping[str, float]) -> MeasureResponse:
    """Record the client's answers through their link and close it."""
    # Lock the link so a double submit cannot record two responses.
    locked = ClientLink.objects.select_for_update().get(pk=link.pk)
    if not locked.is_open or locked.kind != ClientLink.Kind.QUESTIONNAIRE:
        raise ValidationError("This link can no longer be used.")
    response = response_record(
        client=link.client,
        instrument_id=locked.instrument_id,
        mode=MeasureResponse.Mode.CLIENT_LINK,
        actor=None,
        answers=answers,
    )
    locked.used_at = timezone.now()
    locked.response = response
    locked.save(update_fields=["used_at", "response", "updated_at"])
    audit_event_record(
        action="measures.link_completed",
        actor=None,
        organization=link.organization,
        subject=locked,
        client_id=link.client.public_id,
    )
    return response


@transaction.atomic
def link_open_record(*, link: ClientLink) -> None:
    """Record that a client opened a safety-plan link (the first opening sets used_at)."""
    if link.used_at is None:
        link.used_at = timezone.now()
        link.save(update_fields=["used_at", "updated_at"])
    audit_event_record(
        action="measures.link_opened",
        actor=None,
        organization=link.organization,
        subject=link,
        client_id=link.client.public_id,
        extra={"kind": link.kind},
    )


@transaction.atomic
def alert_acknowledge(*, alert: RiskAlert, actor: User, note: str) -> RiskAlert:
    """Close a risk alert with a note of the action taken."""
    if not alert.is_open:
        raise ValidationError({"note": "This alert was already acknowledged."})
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Describe the action you took."})
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.action_note = note
    alert.full_clean()
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "action_note", "updated_at"])
    audit_event_record(
        action="measures.alert_acknowledged",
        actor=actor,
        organization=alert.organization,
        subject=alert,
        client_id=alert.client.public_id,
    )
    return alert


@transaction.atomic
def risk_assessment_record(
    *,
    client: Client,
    actor: User,
    answers: Mapping[str, float],
    level: str = "",
    override_reason: str = "",
    administered_at: datetime | None = None,
) -> RiskAssessment:
    """Record a suicide-risk screening by item number and the clinician's risk level.

    The screen's level comes from the data's risk rules; `level` overrides it (e.g. to
    imminent) and then needs `override_reason`.
    """
    instrument = instrument_get(SCREENING_INSTRUMENT)
    screened = _score(instrument, answers=answers, total=None, sex=None).risk_level or ""
    chosen = level or screened
    if chosen not in RiskAssessment.Level.values:
        raise ValidationError({"level": "Choose a risk level from the list."})
    override_reason = override_reason.strip()
    if chosen != screened and not override_reason:
        raise ValidationError(
            {"override_reason": "Give the reason for changing the screen's risk level."}
        )
    response = response_record(
        client=client,
        instrument_id=instrument.id,
        mode=MeasureResponse.Mode.IN_SESSION,
        actor=actor,
        administered_at=administered_at,
        answers=answers,
    )
    assessment = RiskAssessment(
        organization=client.organization,
        client=client,
        screening=response,
        screened_level=screened,
        level=chosen,
        override_reason=override_reason if chosen != screened else "",
        assessed_at=response.administered_at,
        assessed_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    audit_event_record(
        action="measures.risk_assessed",
        actor=actor,
        organization=client.organization,
        subject=assessment,
        client_id=client.public_id,
        extra={"screened_level": screened, "level": chosen, "override": chosen != screened},
    )
    return assessment


SAFETY_PLAN_FIELDS = (
    "warning_signs",
    "coping_strategies",
    "distraction_people_places",
    "help_contacts",
    "professionals_agencies",
    "environment_safety",
    "reasons_for_living",
)


@transaction.atomic
def safety_plan_save(
    *,
    client: Client,
    actor: User,
    reviewed_with_client_on: date | None,
    **parts: str,
) -> SafetyPlan:
    """Save the client's safety plan as a new version (earlier versions stay as they were)."""
    unknown = set(parts) - set(SAFETY_PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown safety plan parts: {sorted(unknown)}")
    if reviewed_with_client_on and reviewed_with_client_on > timezone.localdate():
        raise ValidationError({"reviewed_with_client_on": "This date is in the future."})
    # Lock the client row so two saves cannot claim the same version number.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    latest = SafetyPlan.objects.filter(client=client).aggregate(latest=Max("version"))["latest"]
    plan = SafetyPlan(
        organization=client.organization,
        client=client,
        version=(latest or 0) + 1,
        reviewed_with_client_on=reviewed_with_client_on,
        created_by=actor,
        **{name: parts.get(name, "").strip() for name in SAFETY_PLAN_FIELDS},
    )
    plan.full_clean()
    plan.save()
    audit_event_record(
        action="measures.safety_plan_saved",
        actor=actor,
        organization=client.organization,
        subject=plan,
        client_id=client.public_id,
        extra={"version": plan.version},
    )
    return plan


@transaction.atomic
def safety_plan_share(*, plan: SafetyPlan, actor: User) -> tuple[ClientLink, str]:
    """A read-only link to this version of the plan for the client (7 days)."""
    link, raw = _link_new(
        client=plan.client, kind=ClientLink.Kind.SAFETY_PLAN, actor=actor, safety_plan=plan
    )
    audit_event_record(
        action="measures.safety_plan_shared",
        actor=actor,
        organization=plan.organization,
        subject=plan,
        client_id=plan.client.public_id,
        extra={"version": plan.version},
    )
    return link, raw


@transaction.atomic
def schedule_create(
    *,
    client: Client,
    actor: User,
    instrument_id: str,
    interval_days: int,
    first_due_on: date,
) -> MeasureSchedule:
    """Send `instrument_id` to the client every `interval_days`, from `first_due_on`."""
    instrument = instrument_get(instrument_id)
    _sendable(instrument)
    if not client.email:
        raise ValidationError(
            {"instrument_id": "Add the client's email address before scheduling questionnaires."}
        )
    if not 1 <= interval_days <= 365:
        raise ValidationError({"interval_days": "Choose between 1 and 365 days."})
    if first_due_on < timezone.localdate():
        raise ValidationError({"first_due_on": "The first date cannot be in the past."})
    schedule = MeasureSchedule(
        organization=client.organization,
        client=client,
        instrument_id=instrument.id,
        interval_days=interval_days,
        next_due_on=first_due_on,
        created_by=actor,
    )
    schedule.full_clean()
    schedule.save()
    audit_event_record(
        action="measures.schedule_created",
        actor=actor,
        organization=client.organization,
        subject=schedule,
        client_id=client.public_id,
        extra={"instrument": instrument.id, "interval_days": interval_days},
    )
    return schedule


@transaction.atomic
def schedule_stop(*, schedule: MeasureSchedule, actor: User) -> MeasureSchedule:
    if schedule.stopped_at is None:
        schedule.stopped_at = timezone.now()
        schedule.save(update_fields=["stopped_at", "updated_at"])
        audit_event_record(
            action="measures.schedule_stopped",
            actor=actor,
            organization=schedule.organization,
            subject=schedule,
            client_id=schedule.client.public_id,
        )
    return schedule


@dataclass(frozen=True)
class SendReport:
    sent: int
    without_email: int


def schedules_send_due(*, today: date, url_builder: UrlBuilder) -> SendReport:
    """Create and email the link for every schedule due on or before `today`.

    Idempotent per due date: a schedule's due date gets one link however often this runs.
    A schedule that missed several dates (the command did not run) sends one link, for
    the latest of them, rather than a burst.
    """
    sent = without_email = 0
    due = MeasureSchedule.objects.select_related("client", "client__organization").filter(
        stopped_at__isnull=True, next_due_on__lte=today
    )
    for schedule in due:
        with transaction.atomic():
            locked = MeasureSchedule.objects.select_for_update().get(pk=schedule.pk)
            if locked.stopped_at is not None or locked.next_due_on > today:
                continue
            missed = (today - locked.next_due_on).days // locked.interval_days
            due_on = locked.next_due_on + timedelta(days=missed * locked.interval_days)
            link: ClientLink | None = None
            if not ClientLink.objects.filter(schedule=locked, due_on=due_on).exists():
                link, raw = _link_new(
                    client=schedule.client,
                    kind=ClientLink.Kind.QUESTIONNAIRE,
                    actor=None,
                    instrument_id=locked.instrument_id,
                    schedule=locked,
                    due_on=due_on,
                )
                link.client = schedule.client
                if link_email(link=link, url=url_builder(raw), actor=None):
                    sent += 1
                else:
                    without_email += 1
            locked.next_due_on = due_on + timedelta(days=locked.interval_days)
            locked.save(update_fields=["next_due_on", "updated_at"])
    return SendReport(sent=sent, without_email=without_email)
