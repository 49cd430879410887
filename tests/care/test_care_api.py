"""The care API: the caller's schedule and note metadata; never a psychotherapy note."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tend.care.notes import note_start, psychotherapy_note_release, psychotherapy_note_save
from tests.care.helpers import book, kept_session, make_client, wall
from tests.conftest import Cast, signed_in

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
SECRET = "Process: my own impatience in this session"


@time_machine.travel(NOW, tick=False)
def test_the_appointments_route_lists_the_callers_schedule_with_client_ids_only(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician, "Priya", "Dune")
    book(
        cast.organization, cast.clinician, client, wall(2026, 12, 1, 10), rule="FREQ=WEEKLY;COUNT=3"
    )
    other = make_client(cast.organization, cast.supervisor, "Eli", "Fern")
    book(cast.organization, cast.supervisor, other, wall(2026, 12, 1, 10))

    response = signed_in(cast.clinician).get(
        "/api/v1/care/appointments", {"start": "2026-12-01T00:00Z", "end": "2026-12-10T00:00Z"}
    )

    assert response.status_code == 200
    rows = response.json()
    assert [(row["starts_at"], row["kind"], row["clients"]) for row in rows] == [
        ("2026-12-01T16:00:00Z", "individual", [str(client.public_id)]),
        ("2026-12-08T16:00:00Z", "individual", [str(client.public_id)]),
    ]
    assert "Priya" not in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_appointments_route_refuses_a_window_too_long_with_the_error_envelope(
    cast: Cast,
) -> None:
    response = signed_in(cast.clinician).get(
        "/api/v1/care/appointments", {"start": "2026-12-01T00:00Z", "end": "2027-06-01T00:00Z"}
    )
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"] == "Give an end after the start, at most 92 days later."
    )


@time_machine.travel(NOW, tick=False)
def test_the_appointments_route_runs_the_same_queries_for_few_and_many(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    book(cast.organization, cast.clinician, client, wall(2026, 12, 1, 8))
    api = signed_in(cast.clinician)
    api.get("/api/v1/care/appointments")
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/care/appointments")
    book(
        cast.organization, cast.clinician, client, wall(2026, 12, 2, 8), rule="FREQ=DAILY;COUNT=20"
    )
    with CaptureQueriesContext(connection) as many:
        rows = api.get("/api/v1/care/appointments").json()
    assert len(rows) == 21
    assert len(few) == len(many)


def _api_get_routes() -> list[str]:
    templates: list[str] = []

    def walk(patterns: list[object], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                templates.append(prefix + str(entry.pattern))

    walk(get_resolver().url_patterns, "")
    return [t for t in templates if t.startswith("api/v1/") and "<" not in t and "{" not in t]


@time_machine.travel(NOW, tick=False)
def test_no_api_route_serves_a_psychotherapy_note_even_after_release(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    appointment = kept_session(cast.organization, cast.clinician, client, wall(2026, 11, 24, 10))
    note = note_start(appointment=appointment, actor=cast.clinician)
    process = psychotherapy_note_save(appointment=appointment, actor=cast.clinician, body=SECRET)
    psychotherapy_note_release(note=process, actor=cast.clinician, reason="Court order of 20 Nov")
    api = signed_in(cast.clinician)
    bodies = [api.get("/" + route).content.decode() for route in _api_get_routes()]
    bodies.append(api.get(f"/api/v1/care/notes/{note.public_id}").content.decode())
    notes = api.get("/api/v1/care/notes").json()
    assert [row["id"] for row in notes] == [str(note.public_id)]
    assert len(bodies) >= 5
    for body in bodies:
        assert SECRET not in body
        assert str(process.public_id) not in body


@time_machine.travel(NOW, tick=False)
def test_note_metadata_is_refused_to_a_clinician_off_the_case(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    appointment = kept_session(cast.organization, cast.clinician, client, wall(2026, 11, 24, 10))
    note = note_start(appointment=appointment, actor=cast.clinician)
    response = signed_in(cast.associate).get(f"/api/v1/care/notes/{note.public_id}")
    assert response.status_code == 403
    assert signed_in(cast.outsider).get(f"/api/v1/care/notes/{note.public_id}").status_code == 404
    assert reverse("care:note", args=[note.public_id]) not in response.content.decode()
    assert date(2026, 11, 24) == appointment.starts_at.date()
