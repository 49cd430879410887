"""Supervision sessions planned ahead: planned by either person, listed as upcoming (or
"not yet recorded" once their time has passed), cancelled with a reason, and recorded
through the usual form — only then signed and counted."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.licensure.models import HoursEntry
from tend.supervision.models import SupervisionSession
from tend.supervision.services import (
    supervision_relationship_end,
    supervision_session_cancel,
    supervision_session_sign,
)
from tests.conftest import Cast, make_member, signed_in
from tests.supervision.factories import make_planned, make_relationship, make_session

NOON = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # Tuesday noon in the organization's Chicago
now = time_machine.travel(NOON, tick=False)


@now
def test_either_person_plans_and_the_start_is_read_in_the_organizations_zone(
    cast: Cast,
) -> None:
    relationship = make_relationship(cast)
    by_supervisee = make_planned(relationship, actor=cast.associate, delivery="phone")
    by_supervisor = make_planned(relationship, held_on=date(2026, 12, 10), format="group")
    # 10:00 in Chicago (CST, UTC-6) in December.
    assert by_supervisee.starts_at == datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
    assert (by_supervisee.status, by_supervisee.topics, by_supervisee.locked) == (
        "planned",
        "",
        False,
    )
    assert (by_supervisor.format, by_supervisor.member_count) == ("group", 2)
    planned = AuditEvent.objects.filter(action="supervision.session_planned")
    assert sorted(planned.values_list("actor_id", flat=True)) == sorted(
        [cast.associate.public_id, cast.supervisor.public_id]
    )


@now
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": date(2026, 11, 24), "start_time": time(11, 0)}, "held_on"),  # past
        ({"held_on": date(2025, 12, 3)}, "held_on"),  # before the relationship
        ({"format": "group", "as_supervisee": True}, "format"),
        ({"format": "weekly"}, "format"),
    ],
)
def test_bad_plans_are_refused_by_field(cast: Cast, changes: dict[str, object], field: str) -> None:
    relationship = make_relationship(cast)
    if changes.pop("as_supervisee", False):
        changes["actor"] = cast.associate
    with pytest.raises(ValidationError) as raised:
        make_planned(relationship, **changes)
    assert field in raised.value.message_dict
    assert not SupervisionSession.objects.exists()


@now
def test_no_plans_in_ended_or_external_relationships_nor_by_others(cast: Cast) -> None:
    external = make_relationship(
        cast, supervisor=None, external_supervisor_name="Dr. Ines Ward", format="group"
    )
    with pytest.raises(ValidationError, match="external supervisor"):
        make_planned(external, actor=cast.associate)
    relationship = make_relationship(cast)
    with pytest.raises(PermissionDenied):
        make_planned(relationship, actor=cast.clinician)
    supervision_relationship_end(
        relationship=relationship, actor=cast.owner, ended_on=date(2026, 11, 30)
    )
    with pytest.raises(ValidationError, match="ended"):
        make_planned(relationship)
    assert not SupervisionSession.objects.exists()


@now
def test_a_planned_session_is_cancelled_with_a_reason_and_audited(cast: Cast) -> None:
    planned = make_planned(make_relationship(cast))
    with pytest.raises(ValidationError) as raised:
        supervision_session_cancel(session=planned, actor=cast.associate, reason="  ")
    assert "reason" in raised.value.message_dict
    cancelled = supervision_session_cancel(
        session=planned, actor=cast.associate, reason="Supervisor at a conference."
    )
    assert (cancelled.status, cancelled.cancel_reason) == (
        "cancelled",
        "Supervisor at a conference.",
    )
    assert AuditEvent.objects.filter(action="supervision.session_cancelled").count() == 1
    with pytest.raises(ValidationError, match="planned"):
        supervision_session_cancel(session=cancelled, actor=cast.associate, reason="Again.")
    with pytest.raises(ValidationError, match="recorded"):
        supervision_session_sign(session=cancelled, actor=cast.supervisor)


def test_a_planned_session_is_recorded_then_signed_and_only_then_counted(cast: Cast) -> None:
    relationship = make_relationship(cast)
    with time_machine.travel(NOON, tick=False):
        planned = make_planned(relationship)
    with time_machine.travel(datetime(2026, 12, 4, 18, 0, tzinfo=UTC), tick=False):
        with pytest.raises(ValidationError, match="recorded"):
            supervision_session_sign(session=planned, actor=cast.supervisor)
        page = signed_in(cast.supervisor)
        response = page.post(
            reverse("supervision:relationship", args=[relationship.public_id]),
            {
                "held_on": "2026-12-03",
                "minutes": "75",
                "format": "individual",
                "member_count": "1",
                "delivery": "video",
                "topics": "Exposure hierarchy for a client with panic disorder.",
                "planned": str(planned.public_id),
            },
        )
        assert response.status_code == 302
        assert SupervisionSession.objects.count() == 1
        planned.refresh_from_db()
        assert (planned.status, planned.minutes, planned.topics[:8]) == ("held", 75, "Exposure")
        assert HoursEntry.objects.count() == 0
        supervision_session_sign(session=planned, actor=cast.supervisor)
        supervision_session_sign(session=planned, actor=cast.associate)
    assert list(HoursEntry.objects.values_list("minutes", "source_reference")) == [
        (75, planned.public_id)
    ]
    recorded = AuditEvent.objects.get(action="supervision.session_recorded")
    assert recorded.extra["was_planned"] is True


@now
def test_the_plan_form_plans_and_bad_input_gets_a_400_that_keeps_it(cast: Cast) -> None:
    relationship = make_relationship(cast)
    client = signed_in(cast.associate)
    fields = {
        "relationship": str(relationship.public_id),
        "held_on": "2026-12-03",
        "start_time": "09:30",
        "minutes": "60",
        "format": "individual",
        "delivery": "in_person",
    }
    bad = client.post(reverse("supervision:session_plan"), {**fields, "held_on": "2026-11-20"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Plan a session that starts in the future." in page
    assert 'value="09:30"' in page
    assert not SupervisionSession.objects.exists()
    assert (
        client.post(reverse("supervision:session_plan"), {**fields, "minutes": "2"}).status_code
        == 400
    )
    assert client.post(reverse("supervision:session_plan"), fields).status_code == 302
    session = SupervisionSession.objects.get()
    assert session.starts_at == datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
    # A stranger to the relationship cannot choose it.
    other = signed_in(cast.clinician).post(reverse("supervision:session_plan"), fields)
    assert other.status_code == 400
    assert SupervisionSession.objects.count() == 1


@now
def test_cancelling_without_a_reason_is_a_400_and_changes_nothing(cast: Cast) -> None:
    planned = make_planned(make_relationship(cast))
    client = signed_in(cast.associate)
    url = reverse("supervision:session_cancel", args=[planned.public_id])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Say why the session is cancelled." in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == "planned"
    assert client.post(url, {"reason": "Illness."}).status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.cancel_reason) == ("cancelled", "Illness.")


def test_pages_and_panels_show_upcoming_and_not_yet_recorded_sessions(cast: Cast) -> None:
    relationship = make_relationship(cast)
    with time_machine.travel(datetime(2026, 11, 10, 18, 0, tzinfo=UTC), tick=False):
        make_planned(relationship, held_on=date(2026, 11, 19))
    with time_machine.travel(NOON, tick=False):
        make_planned(relationship, delivery="in_person")
        make_session(relationship, held_on=date(2026, 11, 17))
        home = signed_in(cast.associate).get(reverse("supervision:home")).content.decode()
        supervisor_page = signed_in(cast.supervisor).get(
            reverse("supervision:relationship", args=[relationship.public_id])
        )
        supervisor_dashboard = signed_in(cast.supervisor).get(reverse("core:dashboard"))
        associate_dashboard = signed_in(cast.associate).get(reverse("core:dashboard"))
    assert "Thu Dec 3, 2026, 10:00 AM" in home
    assert "Not yet recorded" in home  # Nov 19 passed without a record
    assert "Thu Dec 3, 2026, 10:00 AM" in supervisor_page.content.decode()
    # The planned session of Nov 19 may be recorded now.
    assert "Nov 19, 2026, 60 min" in supervisor_page.content.decode()
    panel = supervisor_dashboard.content.decode()
    assert "Upcoming supervision" in panel
    assert f"Thu Dec 3, 10:00 AM — {cast.associate.display_name}" in panel
    assert "last 7 days ago" in panel  # the planned sessions are not the last session
    assert "1 to sign" in panel  # nor sessions to sign
    progress = associate_dashboard.content.decode()
    assert "Next supervision:" in progress
    assert "Thu Dec 3, 10:00 AM" in progress
    assert f"with {cast.supervisor}" in progress


def _query_count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200  # type: ignore[attr-defined]
    return len(captured)


@now
@pytest.mark.parametrize("viewer", ["supervisor", "associate"])
def test_queries_stay_flat_with_planned_sessions(cast: Cast, viewer: str) -> None:
    relationship = make_relationship(cast)
    client = signed_in(getattr(cast, viewer))
    urls = [reverse("supervision:home"), reverse("core:dashboard")]
    if viewer == "supervisor":
        urls.append(reverse("supervision:relationship", args=[relationship.public_id]))
    make_planned(relationship)
    one = [_query_count(client, url) for url in urls]
    second = make_relationship(
        cast,
        supervisee=make_member(
            cast.organization, cast.owner, "a2@harbor.test", "Assoc Two", "associate"
        ),
    )
    for week in range(1, 20):
        make_planned(relationship if week % 2 else second, held_on=date(2026, 12, 3 + week % 20))
    assert SupervisionSession.objects.count() == 20
    assert [_query_count(client, url) for url in urls] == one
