"""Demo schedule and documentation: months of weekly and biweekly sessions for the demo
clients, a couple, a five-member group, and notes in every format (synthetic, seeded).

Appointments are booked through the scheduling service (one audit row per series); what
became of past sessions and their signed notes are written in bulk so the demo loads in
a few seconds. Everything here is invented.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from tend.accounts.models import Membership, Organization, User
from tend.care.cpt import suggest_cpt
from tend.care.models import Appointment, ProgressNote
from tend.care.note_templates import clean_content, note_formats, note_modalities
from tend.care.notes import content_hash
from tend.care.scheduling import to_local
from tend.care.services import appointment_book, room_create, therapy_group_create
from tend.clients.models import CaseGroup, Client
from tend.core.permissions import Role
from tend.supervision.models import SupervisionRelationship

HISTORY_WEEKS = 27  # a little over six months back
FUTURE_WEEKS = 8
FORMATS = ("soap", "dap", "birp", "girp")
_MODALITY_OF_INTEREST = {"cbt": "cbt", "dbt": "dbt", "psychodynamic": "psychodynamic"}
_MODALITY_OF_INTEREST["solution_focused"] = "solution_focused"

# Invented phrases; combined at random they read like a clinician's shorthand.
_SAYS = (
    "Reported a difficult week at work with two poor nights of sleep.",
    "Described an argument with a sibling and feeling unheard.",
    "Said the breathing practice helped before a presentation.",
    "Noticed more energy on days with a morning walk.",
    "Talked about worry before a medical appointment.",
    "Reported using the thought record three times.",
)
_OBSERVED = (
    "Engaged, affect congruent, speech normal in rate.",
    "Tearful at times, settled by the end of the session.",
    "Bright affect, good eye contact, on time.",
)
_ASSESSED = (
    "Gradual progress toward the plan; coping skills used more consistently.",
    "Symptoms stable; avoidance still maintains the worry.",
    "Mood improved compared with the last review.",
)
_PLANS = (
    "Continue weekly; practise the skill daily and bring the log.",
    "Continue; review the diary card next session.",
    "Continue biweekly; repeat the PHQ-9 next month.",
)
_INTERVENTIONS = (
    "Cognitive restructuring; psychoeducation on the worry cycle.",
    "Validation; skills coaching (distress tolerance).",
    "Behavioural activation planning; scaling questions.",
    "Exploration of relational themes; reflective listening.",
)
_CANCEL_REASONS = ("Client unwell", "Work conflict", "Childcare fell through", "Weather")


def note_text_content(rng: random.Random, note_format: str, modality: str) -> dict[str, object]:
    """Synthetic content for a note in `note_format` and `modality`, cleaned like a saved draft."""
    pools = {
        "subjective": _SAYS, "data": _SAYS, "behavior": _SAYS, "goals": _ASSESSED,
        "objective": _OBSERVED, "intervention": _INTERVENTIONS, "response": _OBSERVED,
        "assessment": _ASSESSED, "plan": _PLANS,
    }  # fmt: skip
    content: dict[str, dict[str, object]] = {"format": {}, "modality": {}}
    for field in note_formats()[note_format].fields:
        content["format"][field.key] = rng.choice(pools.get(field.key, _SAYS))
    for field in note_modalities()[modality].fields:
        if field.type == "multi_choice":
            content["modality"][field.key] = [rng.choice(field.options)[0]]
        elif field.type == "number":
            content["modality"][field.key] = rng.randint(3, 8)
        else:
            content["modality"][field.key] = rng.choice(_SAYS + _ASSESSED)
    return clean_content(note_format, modality, content)


def _modality_for(user: User) -> str:
    profile = getattr(user, "clinician_profile", None)
    for interest in getattr(profile, "modalities", None) or []:
        if interest in _MODALITY_OF_INTEREST:
            return _MODALITY_OF_INTEREST[interest]
    return "generic"


def _slots() -> list[tuple[int, int]]:
    return [(weekday, hour) for hour in (9, 10, 11, 13, 14, 15, 16, 17) for weekday in range(5)]


class _Booker:
    """Books each clinician's series into free weekly slots (no conflicts in the demo)."""

    def __init__(self, organization: Organization, actor: User, today: date) -> None:
        self.organization = organization
        self.actor = actor
        self.monday = today - timedelta(days=today.weekday())
        self.free: dict[int, list[tuple[int, int]]] = {}

    def book(
        self, clinician: User, *, kind: str, interval: int, minutes: int, **who: object
    ) -> None:
        slots = self.free.setdefault(clinician.pk, _slots())
        if not slots:
            return
        weekday, hour = slots.pop(0)
        first = self.monday - timedelta(weeks=HISTORY_WEEKS) + timedelta(days=weekday)
        count = (HISTORY_WEEKS + FUTURE_WEEKS) // interval
        appointment_book(
            organization=self.organization,
            actor=self.actor,
            clinician=clinician,
            kind=kind,
            start_local=datetime.combine(first, time(hour)),
            duration_minutes=minutes,
            rule=f"FREQ=WEEKLY;INTERVAL={interval};COUNT={count}",
            # Each series has its own weekly slot per clinician, so none can overlap.
            allow_conflicts=True,
            **who,  # type: ignore[arg-type]
        )


def _record_history(organization: Organization, rng: random.Random, now: datetime) -> None:
    """Mark past sessions kept, cancelled or missed, and write their notes."""
    past = list(
        Appointment.objects.filter(organization=organization, ends_at__lt=now)
        .select_related("clinician__clinician_profile")
        .prefetch_related("participants__client")
        .order_by("starts_at")
    )
    associates = set(
        Membership.objects.filter(organization=organization, role=Role.ASSOCIATE).values_list(
            "user_id", flat=True
        )
    )
    supervisors = {
        rel.supervisee_id: rel.supervisor
        for rel in SupervisionRelationship.objects.filter(
            organization=organization, ended_on__isnull=True
        ).select_related("supervisor")
    }
    # The last two weeks of each clinician's kept sessions stay undocumented or in draft.
    recent = now - timedelta(days=14)
    notes: list[ProgressNote] = []
    for index, appointment in enumerate(past):
        roll = rng.random()
        if roll < 0.05:
            appointment.status = Appointment.Status.CANCELLED
            appointment.cancellation_reason = rng.choice(_CANCEL_REASONS)
        elif roll < 0.08:
            appointment.status = Appointment.Status.LATE_CANCELLED
            appointment.cancellation_reason = rng.choice(_CANCEL_REASONS)
        elif roll < 0.12:
            appointment.status = Appointment.Status.NO_SHOW
        else:
            appointment.status = Appointment.Status.KEPT
        if appointment.status != Appointment.Status.KEPT:
            continue
        if appointment.ends_at > recent and rng.random() < 0.6:
            continue  # a note still to write
        note_format = FORMATS[index % len(FORMATS)]
        modality = _modality_for(appointment.clinician)
        minutes = appointment.duration_minutes - rng.choice((0, 2, 5, 8))
        suggestion = suggest_cpt(
            service=appointment.kind,
            minutes=minutes,
            telehealth=appointment.location == Appointment.Location.TELEHEALTH,
        )
        note = ProgressNote(
            organization=organization,
            appointment=appointment,
            author=appointment.clinician,
            note_format=note_format,
            modality=modality,
            content=note_text_content(rng, note_format, modality),
            actual_start=appointment.starts_at,
            actual_end=appointment.starts_at + timedelta(minutes=minutes),
            interventions=rng.choice(_INTERVENTIONS),
            risk_update=ProgressNote.RiskUpdate.NO_CHANGE,
            measures_given=rng.choice(("", "PHQ-9", "GAD-7", "PHQ-9 and GAD-7")),
            cpt_suggested=suggestion.code or "",
            cpt_code=suggestion.code or "",
        )
        if appointment.ends_at > recent:
            notes.append(note)  # a draft
            continue
        signed_after = timedelta(hours=rng.choice((2, 5, 20, 30, 50, 80)))
        note.signed_at = appointment.ends_at + signed_after
        note.late_entry = signed_after > timedelta(hours=72)
        note.content_hash = content_hash(note, objectives=[], members=[])
        supervisor = supervisors.get(appointment.clinician_id)
        if appointment.clinician_id in associates and supervisor is not None:
            if appointment.ends_at > now - timedelta(days=30):
                note.status = ProgressNote.Status.AWAITING_COSIGN
                notes.append(note)
                continue
            note.cosigned_by = supervisor
            note.cosigned_at = note.signed_at + timedelta(hours=rng.choice((4, 24, 40)))
        note.status = ProgressNote.Status.FINAL
        note.locked = True
        notes.append(note)
    Appointment.objects.bulk_update(past, ["status", "cancellation_reason"], batch_size=500)
    ProgressNote.objects.bulk_create(notes, batch_size=500)


@transaction.atomic
def _load_organization(organization: Organization, seed: str) -> None:
    rng = random.Random(seed)  # noqa: S311  (synthetic demo data, not security)
    now = timezone.now()
    today = to_local(now, organization.timezone).date()
    desk = (
        User.objects.filter(
            memberships__organization=organization,
            memberships__role__in=[Role.FRONT_DESK, Role.ADMIN, Role.OWNER],
        )
        .order_by("memberships__role")
        .first()
    )
    if desk is None:
        return
    booker = _Booker(organization, desk, today)
    rooms = [
        room_create(organization=organization, actor=desk, name=name)
        for name in ("Cedar room", "Birch room", "Group room")
    ]
    in_groups = set(
        CaseGroup.objects.filter(organization=organization).values_list(
            "members__client_id", flat=True
        )
    )
    individuals = list(
        Client.objects.filter(
            organization=organization,
            status=Client.Status.ACTIVE,
            primary_clinician__isnull=False,
        )
        .exclude(pk__in=in_groups)
        .select_related("primary_clinician")
        .order_by("id")
    )
    for index, client in enumerate(individuals):
        if client.primary_clinician is None:
            continue
        booker.book(
            client.primary_clinician,
            kind=Appointment.Kind.INDIVIDUAL,
            interval=1 if index % 3 else 2,
            minutes=rng.choice((50, 50, 45, 55)),
            clients=[client],
            location=Appointment.Location.TELEHEALTH if index % 4 == 0 else "office",
        )
    for group in CaseGroup.objects.filter(organization=organization).order_by("id"):
        first_member = group.members.select_related("client__primary_clinician").first()
        if first_member is None or first_member.client.primary_clinician is None:
            continue
        booker.book(
            first_member.client.primary_clinician,
            kind=Appointment.Kind.COUPLES if group.kind == "couple" else Appointment.Kind.FAMILY,
            interval=2,
            minutes=60,
            case_group=group,
        )
    by_clinician: dict[int, list[Client]] = {}
    for client in individuals:
        by_clinician.setdefault(client.primary_clinician_id or 0, []).append(client)
    members = max(by_clinician.values(), key=len, default=[])[:5]
    if len(members) == 5 and members[0].primary_clinician is not None:
        skills_group = therapy_group_create(
            organization=organization,
            actor=desk,
            name="Thursday coping skills group",
            facilitator=members[0].primary_clinician,
            members=members,
            joined_on=today - timedelta(weeks=HISTORY_WEEKS + 1),
        )
        booker.book(
            members[0].primary_clinician, kind=Appointment.Kind.GROUP, interval=1, minutes=90,
            therapy_group=skills_group, room=rooms[-1],
        )  # fmt: skip
    _record_history(organization, rng, now)


def load(organizations: dict[str, Organization]) -> None:
    for name, organization in organizations.items():
        _load_organization(organization, f"tend-care-{name}")
