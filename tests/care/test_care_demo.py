"""The care demo: months of sessions with every kind of outcome and note."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Max, Min
from django.utils import timezone

from tend.care import demo as care_demo
from tend.care.models import Appointment, ProgressNote, TherapyGroup
from tend.care.notes import note_content_hash
from tend.clients import demo as clients_demo
from tend.demo.people import create_demo_people


def test_the_demo_has_months_of_sessions_and_notes_in_every_state(db: None) -> None:
    organizations = create_demo_people()
    clients_demo.load(organizations)
    care_demo.load(organizations)

    span = Appointment.objects.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    assert span["first"] < timezone.now() - timedelta(days=180)
    statuses = dict(Appointment.objects.values_list("status").annotate(n=Count("id")))
    assert set(statuses) == {"scheduled", "kept", "cancelled", "late_cancelled", "no_show"}
    kinds = set(Appointment.objects.values_list("kind", flat=True))
    assert {"individual", "couples", "group"} <= kinds
    assert set(ProgressNote.objects.values_list("note_format", flat=True)) == {
        "soap",
        "dap",
        "birp",
        "girp",
    }
    note_states = set(ProgressNote.objects.values_list("status", flat=True))
    assert note_states == {"draft", "awaiting_cosign", "final"}
    assert ProgressNote.objects.filter(status="final", locked=False).count() == 0
    group = TherapyGroup.objects.annotate(size=Count("members")).first()
    assert group is not None
    assert group.size == 5
    group_rooms = set(
        Appointment.objects.filter(therapy_group=group).values_list("room__name", flat=True)
    )
    assert group_rooms == {"Group room"}
    for note in ProgressNote.objects.filter(status="final").select_related("appointment", "author")[
        :20
    ]:
        assert note.content_hash == note_content_hash(note)
