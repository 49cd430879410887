"""Step 4: the schedule and its documentation.

Each episode becomes a weekly, biweekly or monthly series in its slot (the first session an
intake). Past sessions are kept, cancelled, late-cancelled or missed; kept sessions get a
note in every format: the last two weeks partly undocumented or in draft, associates'
recent notes awaiting co-signature (a few returned), everything older signed, hashed and
locked (co-signed for associates). Written clinician by clinician to bound memory.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import time, timedelta
from functools import cache

from tend.care.cpt import suggest_cpt
from tend.care.demo import note_text_content
from tend.care.models import (
    Appointment,
    AppointmentClient,
    AppointmentSeries,
    CareSettings,
    NoteReturn,
    ProgressNote,
    Room,
)
from tend.care.notes import content_hash, is_late_entry
from tend.care.selectors import care_settings_for
from tend.scale.run import EpisodePlan, SeedRun

FORMATS = ("soap", "dap", "birp", "girp")
MODALITIES = ("generic", "cbt", "dbt", "psychodynamic", "solution_focused")
CONTENT_VARIANTS = 40
DRAFT_DAYS = 14  # kept sessions this recent may still be undocumented or in draft
COSIGN_DAYS = 30  # associates' notes signed this recently still wait for the supervisor
_CANCEL_REASONS = ("Client unwell", "Work conflict", "Childcare fell through", "Transport")
_INTERVENTIONS = (
    "Cognitive restructuring; psychoeducation on the worry cycle.",
    "Validation; skills coaching (distress tolerance).",
    "Behavioural activation planning; scaling questions.",
    "Exploration of relational themes; reflective listening.",
)
_RETURN_COMMENTS = "Please add the client's response to the intervention and the plan."


@cache
def _cpt(kind: str, minutes: int, telehealth: bool) -> str:
    return suggest_cpt(service=kind, minutes=minutes, telehealth=telehealth).code or ""


def seed_care(run: SeedRun) -> None:
    by_clinician: dict[int, list[EpisodePlan]] = defaultdict(list)
    for plan in run.episodes:
        by_clinician[plan.clinician.pk].append(plan)
    sessions = sum(len(plan.weeks()) for plan in run.episodes)
    run.start_step("schedule and notes", round(sessions * 2.8))
    contents = {
        (note_format, modality): [
            note_text_content(run.rng, note_format, modality) for _ in range(CONTENT_VARIANTS)
        ]
        for note_format in FORMATS
        for modality in MODALITIES
    }
    rooms = run.save(
        Room,
        (
            Room(organization=run.organization, name=f"Office {index + 101}")
            for index in range(len(run.staff.clinical))
        ),
    )
    settings = care_settings_for(run.organization)
    for clinician, room in zip(run.staff.clinical, rooms, strict=True):
        _seed_clinician(run, by_clinician[clinician.pk], room, contents, settings)
    run.finish_step()


def _seed_clinician(
    run: SeedRun,
    plans: list[EpisodePlan],
    room: Room,
    contents: dict[tuple[str, str], list[dict[str, object]]],
    settings: CareSettings,
) -> None:
    rng = run.rng
    organization = run.organization
    series_rows = []
    for plan in plans:
        weeks = plan.weeks()
        series_rows.append(
            AppointmentSeries(
                organization=organization,
                clinician=plan.clinician,
                rule=f"FREQ=WEEKLY;INTERVAL={plan.interval};COUNT={len(weeks)}",
                first_date=run.day_of(weeks[0], plan.weekday),
                start_time=time(plan.hour),
                duration_minutes=plan.minutes,
                timezone=organization.timezone,
            )
        )
    series = run.save(AppointmentSeries, series_rows)
    appointments: list[Appointment] = []
    owners: list[EpisodePlan] = []
    for plan, one_series in zip(plans, series, strict=True):
        for position, week in enumerate(plan.weeks()):
            starts = run.at(week, plan.weekday, plan.hour)
            kind = Appointment.Kind.INTAKE if position == 0 else Appointment.Kind.INDIVIDUAL
            appointment = Appointment(
                organization=organization,
                clinician=plan.clinician,
                series=one_series,
                kind=kind,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=60 if position == 0 else plan.minutes),
                location=(Appointment.Location.TELEHEALTH if plan.telehealth else "office"),
                video_link="https://video.example/session" if plan.telehealth else "",
                room=None if plan.telehealth else room,
            )
            if appointment.ends_at < run.now:
                _outcome(run, appointment)
            appointments.append(appointment)
            owners.append(plan)
    appointments = run.save(Appointment, appointments)
    run.save(
        AppointmentClient,
        (
            AppointmentClient(appointment=appointment, client=plan.client)
            for appointment, plan in zip(appointments, owners, strict=True)
        ),
    )
    notes = [
        note
        for appointment in appointments
        if appointment.status == Appointment.Status.KEPT
        and (note := _note(run, appointment, contents, settings, rng.random())) is not None
    ]
    notes = run.save(ProgressNote, notes)
    supervisor = run.staff.supervisor_of.get(plans[0].clinician.pk) if plans else None
    if supervisor is not None:
        run.save(
            NoteReturn,
            (
                NoteReturn(note=note, supervisor=supervisor, comments=_RETURN_COMMENTS)
                for note in notes
                if note.status == ProgressNote.Status.RETURNED
            ),
        )


def _outcome(run: SeedRun, appointment: Appointment) -> None:
    roll = run.rng.random()
    if roll < 0.08:
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancellation_reason = run.rng.choice(_CANCEL_REASONS)
    elif roll < 0.12:
        appointment.status = Appointment.Status.LATE_CANCELLED
        appointment.cancellation_reason = run.rng.choice(_CANCEL_REASONS)
    elif roll < 0.18:
        appointment.status = Appointment.Status.NO_SHOW
    else:
        appointment.status = Appointment.Status.KEPT


def _note(
    run: SeedRun,
    appointment: Appointment,
    contents: dict[tuple[str, str], list[dict[str, object]]],
    settings: CareSettings,
    roll: float,
) -> ProgressNote | None:
    rng = run.rng
    age = run.now - appointment.ends_at
    recent = age < timedelta(days=DRAFT_DAYS)
    if recent and roll < 0.4:
        return None  # still to be written
    author = appointment.clinician
    note_format = FORMATS[appointment.pk % len(FORMATS)]
    modality = run.staff.modality_of[author.pk]
    minutes = appointment.duration_minutes - rng.choice((0, 2, 5, 8))
    telehealth = appointment.location == Appointment.Location.TELEHEALTH
    cpt = _cpt(appointment.kind, minutes, telehealth)
    note = ProgressNote(
        organization=run.organization,
        appointment=appointment,
        author=author,
        note_format=note_format,
        modality=modality,
        content=rng.choice(contents[(note_format, modality)]),
        actual_start=appointment.starts_at,
        actual_end=appointment.starts_at + timedelta(minutes=minutes),
        interventions=rng.choice(_INTERVENTIONS),
        risk_update=ProgressNote.RiskUpdate.NO_CHANGE,
        measures_given=rng.choice(("", "", "PHQ-9", "GAD-7", "PHQ-9 and GAD-7")),
        cpt_suggested=cpt,
        cpt_code=cpt,
    )
    if recent and roll < 0.75:
        return note  # a draft
    signed_after = timedelta(hours=rng.choice((1, 3, 6, 20, 30, 50, 90)))
    signed_at = min(appointment.ends_at + signed_after, run.now)
    supervisor = run.staff.supervisor_of.get(author.pk)
    if supervisor is not None and age < timedelta(days=COSIGN_DAYS):
        if roll > 0.97:
            note.status = ProgressNote.Status.RETURNED  # back with the associate, unsigned
            return note
        note.status = ProgressNote.Status.AWAITING_COSIGN
    else:
        note.status = ProgressNote.Status.FINAL
        note.locked = True
        if supervisor is not None:
            note.cosigned_by = supervisor
            note.cosigned_at = min(signed_at + timedelta(hours=rng.choice((4, 24, 40))), run.now)
    note.signed_at = signed_at
    note.late_entry = is_late_entry(
        ended_at=appointment.ends_at, signed_at=signed_at, settings=settings
    )
    note.content_hash = content_hash(note, objectives=[], members=[])
    return note
