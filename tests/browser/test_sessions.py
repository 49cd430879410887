"""A week of practice: the front desk books a weekly series; the clinician marks the first
session kept, writes a DAP note with CBT sections against two plan objectives, gets 90834
suggested for 45 minutes, signs, cannot edit any more and adds an addendum. An associate's
note is returned by the supervisor, corrected, signed again and co-signed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, Response, expect

from tend.accounts.models import User
from tend.accounts.services import membership_roles_set
from tend.care.models import Appointment, NoteAddendum, ProgressNote
from tend.care.notes import note_save_draft, note_sign, note_start
from tend.care.scheduling import to_local
from tend.care.services import appointment_book, appointment_status_set
from tend.clients.models import Client
from tend.clients.services import client_create, episode_open
from tend.core.permissions import Role
from tend.supervision.services import supervision_relationship_start
from tests.browser.conftest import axe_violations, sign_in
from tests.care.helpers import make_plan
from tests.conftest import PASSWORD, Cast, make_user


def _member(cast: Cast, email: str, name: str, *roles: Role) -> User:
    user = make_user(email, name, mfa=False)
    membership_roles_set(organization=cast.organization, user=user, roles=roles, actor=cast.owner)
    return user


def _client(cast: Cast, clinician: User, first: str, last: str) -> Client:
    client = client_create(
        organization=cast.organization,
        actor=cast.owner,
        primary_clinician=clinician,
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=date(1987, 9, 12),
    )
    episode_open(client=client, actor=clinician, admission_date=date(2026, 1, 5))
    return client


def _switch_to(page: Page, base_url: str, user: User) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, user.email, PASSWORD)


def _field(page: Page, label: str) -> Locator:
    """The form field with exactly this label (Django adds a colon to labels)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def _is_autosave(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/draft/")


@contextmanager
def _autosaved(page: Page) -> Iterator[None]:
    """Wrap one change to the note form: wait until its autosave has answered and the page
    shows the draft saved, so the next submission never overtakes a save in flight."""
    with page.expect_response(_is_autosave) as autosave:
        yield
    assert autosave.value.status == 200
    expect(page.locator("form.note-form")).not_to_have_class(re.compile(r"\bhtmx-request\b"))
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at")


def _write(page: Page, label: str) -> Callable[[str], None]:
    def write(text: str) -> None:
        field = _field(page, label)
        with _autosaved(page):
            field.fill(text)
            field.blur()  # the form saves on "change", which a text field fires on blur

    return write


@pytest.mark.django_db(transaction=True)
def test_a_session_is_booked_kept_documented_signed_and_amended(
    page: Page,
    live_server: object,
    demo_settings: None,
    console_errors: list[str],
    cast: Cast,
) -> None:
    base_url = str(live_server)
    clinician = _member(cast, "rhea.ridley@harbor.test", "Rhea Ridley", Role.CLINICIAN)
    client = _client(cast, clinician, "Tamsin", "Oakhurst")
    make_plan(client, clinician)
    zone = cast.organization.timezone
    yesterday = to_local(timezone.now(), zone).date() - timedelta(days=1)

    # The front desk books six weekly sessions, the first of them yesterday morning.
    _switch_to(page, base_url, cast.front_desk)
    page.goto(f"{base_url}/care/appointments/new/")
    _field(page, "Clinician").select_option(label="Rhea Ridley")
    _field(page, "Type").select_option("individual")
    _field(page, "Clients").select_option(label="Tamsin Oakhurst")
    _field(page, "Date").fill(yesterday.isoformat())
    _field(page, "Start time").fill("09:00")
    _field(page, "Length (minutes)").fill("50")
    _field(page, "Repeat").select_option(label="Every week")
    _field(page, "Number of sessions").fill("6")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_text("Booked 6 appointments.")).to_be_visible()
    assert Appointment.objects.filter(clinician=clinician, series__isnull=False).count() == 6

    # The clinician finds yesterday's session on the calendar and marks it kept.
    _switch_to(page, base_url, clinician)
    page.get_by_role("link", name="Schedule").click()
    page.goto(f"{page.url.split('?')[0]}?view=day&date={yesterday.isoformat()}")
    page.get_by_role("link", name=re.compile("Tamsin Oakhurst")).click()
    _field(page, "Status").select_option("kept")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("Status saved.")).to_be_visible()
    page.get_by_role("button", name="Write the progress note").click()
    page.wait_for_url(re.compile(r"/care/notes/[0-9a-f-]{36}/$"))
    note_url = page.url

    # DAP with CBT sections.
    with _autosaved(page):
        _field(page, "Format").select_option(label="DAP")
    with _autosaved(page):
        _field(page, "Modality").select_option(label="Cognitive behavioral therapy (CBT)")
    page.get_by_role("button", name="Apply format and modality").click()
    expect(page.get_by_role("heading", name="Cognitive behavioral therapy (CBT)")).to_be_visible()
    assert axe_violations(page) == []

    # 45 minutes of individual psychotherapy: 90834.
    _write(page, "Actual start")("09:00")
    _write(page, "Actual end")("09:45")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator(".cpt-suggestion")).to_contain_text("Suggested: 90834")

    _write(page, "Data")("Reported two panic episodes at work; practised paced breathing.")
    _write(page, "Assessment")("Recognises catastrophic predictions sooner than last month.")
    _write(page, "Plan")("Continue weekly; review the thought record next session.")
    _write(page, "Situation")("Presenting to the team on Monday.")
    _write(page, "Automatic thoughts")("I will freeze and everyone will see I am incompetent.")
    with _autosaved(page):
        page.get_by_role("checkbox", name="Catastrophizing").check()
    _write(page, "Alternative or balanced thoughts")("I have presented before and got through.")
    _write(page, "Homework")("Thought record before each meeting this week.")
    for objective in ("Rate mood 7 or more on most days", "Use a coping skill when distressed"):
        with _autosaved(page):
            _field(page, objective).select_option("progressing")
    with _autosaved(page):
        _field(page, "Risk since the last session").select_option("no_change")

    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_text("Signed. The note is now locked.")).to_be_visible()
    note = ProgressNote.objects.get(appointment__clinician=clinician)
    assert (note.status, note.locked, note.note_format, note.modality, note.cpt_code) == (
        "final",
        True,
        "dap",
        "cbt",
        "90834",
    )
    assert note.content["modality"]["distortions"] == ["catastrophizing"]
    assert sorted(note.objectives.values_list("progress", flat=True)) == [
        "progressing",
        "progressing",
    ]

    # The signed note offers no editing, and an edit sent anyway is refused.
    expect(page.get_by_role("button", name="Sign note")).to_have_count(0)
    expect(_field(page, "Data")).to_have_count(0)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    refused = page.request.post(
        f"{note_url}draft/",
        form={"csrfmiddlewaretoken": token or "", "note_format": "dap", "modality": "cbt"},
    )
    assert refused.status == 403
    note.refresh_from_db()
    assert note.content["format"]["data"].startswith("Reported two panic episodes")

    _field(page, "Reason").fill("Omitted from the session record")
    _field(page, "Addendum").fill("Client also reported sleeping five hours a night.")
    page.get_by_role("button", name="Add addendum").click()
    expect(page.get_by_text("Addendum added.")).to_be_visible()
    expect(page.locator(".addendum")).to_contain_text("Reason: Omitted from the session record")
    assert NoteAddendum.objects.filter(note=note).count() == 1
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_returns_an_associates_note_then_co_signs_it(
    page: Page,
    live_server: object,
    demo_settings: None,
    console_errors: list[str],
    cast: Cast,
) -> None:
    base_url = str(live_server)
    associate = _member(cast, "ari.lowe@harbor.test", "Ari Lowe", Role.ASSOCIATE)
    supervisor = _member(cast, "mina.shaw@harbor.test", "Mina Shaw", Role.SUPERVISOR)
    supervision_relationship_start(
        organization=cast.organization,
        actor=cast.owner,
        supervisor=supervisor,
        supervisee=associate,
        started_on=date(2026, 1, 5),
    )
    client = _client(cast, associate, "Jonah", "Birchfield")
    start = to_local(timezone.now(), cast.organization.timezone) - timedelta(days=1)
    session = appointment_book(
        organization=cast.organization,
        actor=associate,
        clinician=associate,
        kind="individual",
        start_local=start.replace(hour=14, minute=0, second=0, microsecond=0),
        duration_minutes=55,
        clients=[client],
    )[0]
    appointment_status_set(appointment=session, actor=associate, status="kept")
    note = note_save_draft(
        note=note_start(appointment=session, actor=associate),
        actor=associate,
        note_format="soap",
        modality="generic",
        content={"format": {"subjective": "Low mood after a family argument."}},
        actual_start=session.starts_at,
        actual_end=session.ends_at,
        risk_update="no_change",
    )
    note_sign(note=note, actor=associate)

    # The supervisor returns it from the co-sign queue.
    _switch_to(page, base_url, supervisor)
    page.get_by_role("link", name="Co-sign", exact=True).click()
    page.get_by_role("link", name=re.compile("Individual session")).click()
    _field(page, "Comments for the associate").fill("Add your assessment of the mood.")
    page.get_by_role("button", name="Return with comments").click()
    expect(page.get_by_text("Returned to the associate with your comments.")).to_be_visible()

    # The associate sees the comments, completes the assessment and signs again.
    _switch_to(page, base_url, associate)
    page.goto(f"{base_url}/care/notes/{note.public_id}/")
    expect(page.locator(".note-return")).to_contain_text("Add your assessment of the mood.")
    _write(page, "Assessment")("Mood low but reactive; no change in risk.")
    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_text("Signed and sent to your supervisor to co-sign.")).to_be_visible()

    # The supervisor co-signs; the note is final and locked, its return kept.
    _switch_to(page, base_url, supervisor)
    page.goto(f"{base_url}/care/notes/{note.public_id}/")
    expect(page.locator(".note-return")).to_have_count(1)
    page.get_by_role("button", name="Co-sign note").click()
    expect(page.get_by_text("Co-signed. The note is final and locked.")).to_be_visible()
    note.refresh_from_db()
    assert (note.status, note.locked, note.cosigned_by_id) == ("final", True, supervisor.pk)
    assert note.content["format"]["assessment"] == "Mood low but reactive; no change in risk."
    assert note.returns.count() == 1
    assert console_errors == []
