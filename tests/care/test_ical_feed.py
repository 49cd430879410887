"""The clinician's iCalendar feed: secret, revocable, and free of client names."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from icalendar import Calendar

from tend.audit.models import AuditEvent
from tend.care.services import calendar_feed_create, care_settings_update
from tests.care.helpers import book, make_client, make_couple, wall
from tests.conftest import Cast, signed_in

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def _feed(raw: str) -> tuple[int, bytes]:
    response = HttpClient().get(reverse("care:ical_feed", args=[raw]))
    return response.status_code, response.content


def _booked(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician, "Marisol", "Okonkwo-Hart")
    book(
        cast.organization,
        cast.clinician,
        client,
        wall(2026, 12, 1, 10, 0),
        rule="FREQ=WEEKLY;COUNT=3",
    )
    couple = make_couple(cast.organization, cast.clinician)
    from tend.care.services import appointment_book

    appointment_book(
        organization=cast.organization,
        actor=cast.clinician,
        clinician=cast.clinician,
        kind="couples",
        start_local=wall(2026, 12, 2, 15, 0),
        duration_minutes=60,
        case_group=couple,
        location="telehealth",
        video_link="https://video.example/private-room-42",
    )


@time_machine.travel(NOW, tick=False)
def test_the_feed_has_times_and_types_and_no_client_names(cast: Cast) -> None:
    _booked(cast)
    _, raw = calendar_feed_create(organization=cast.organization, clinician=cast.clinician)

    status, body = _feed(raw)

    assert status == 200
    text = body.decode()
    for private in ("Marisol", "Okonkwo", "Hart", "Vale", "Jun", "Noor", "private-room-42", "M.O."):
        assert private not in text
    events = Calendar.from_ical(body).walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [
        ("Individual session", datetime(2026, 12, 1, 16, 0, tzinfo=UTC)),
        ("Couples session", datetime(2026, 12, 2, 21, 0, tzinfo=UTC)),
        ("Individual session", datetime(2026, 12, 8, 16, 0, tzinfo=UTC)),
        ("Individual session", datetime(2026, 12, 15, 16, 0, tzinfo=UTC)),
    ]
    assert {str(e["location"]) for e in events} == {"Office", "Telehealth"}


@time_machine.travel(NOW, tick=False)
def test_initials_appear_only_when_the_organization_chooses_them(cast: Cast) -> None:
    _booked(cast)
    care_settings_update(
        organization=cast.organization,
        actor=cast.owner,
        late_entry_hours=72,
        calendar_feed_initials=True,
    )
    _, raw = calendar_feed_create(organization=cast.organization, clinician=cast.clinician)

    _, body = _feed(raw)

    summaries = [str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT")]
    assert summaries[:2] == ["Individual session (M.O.)", "Couples session (J.V. N.V.)"]
    assert "Marisol" not in body.decode()


@time_machine.travel(NOW, tick=False)
def test_a_new_address_revokes_the_old_one_and_revoking_turns_it_off(cast: Cast) -> None:
    _, first = calendar_feed_create(organization=cast.organization, clinician=cast.clinician)
    page = signed_in(cast.clinician).post(reverse("care:calendar_feed_create"))
    assert page.status_code == 200
    assert _feed(first)[0] == 404

    revoke = signed_in(cast.clinician).post(reverse("care:calendar_feed_revoke"))
    assert revoke.status_code == 302
    assert AuditEvent.objects.filter(action="care.calendar_feed_revoked").count() == 2
    assert _feed("not-a-token")[0] == 404


@time_machine.travel(NOW, tick=False)
def test_the_feed_address_is_shown_once_and_is_not_stored_in_the_clear(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(reverse("care:calendar_feed_create"))
    body = response.content.decode()
    start = body.index("/care/feed/") + len("/care/feed/")
    raw = body[start : body.index(".ics", start)]
    from tend.care.models import CalendarFeed

    assert CalendarFeed.objects.get().token_hash != raw
    assert _feed(raw)[0] == 200


def test_front_desk_has_no_feed_of_its_own(cast: Cast) -> None:
    response = signed_in(cast.front_desk).post(reverse("care:calendar_feed_create"))
    assert response.status_code == 403
