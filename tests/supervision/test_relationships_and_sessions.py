"""Supervision relationships (path, external supervisors, several at once, licence
warnings) and supervision sessions signed by both people, then locked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.care.notes import supervisor_of
from tend.licensure.services import license_create
from tend.supervision.models import SupervisionRelationship, SupervisionSession
from tend.supervision.selectors import supervisor_warnings
from tend.supervision.services import (
    supervision_contract_attach,
    supervision_relationship_end,
    supervision_session_sign,
)
from tests.care.helpers import make_client
from tests.conftest import Cast, signed_in
from tests.supervision.factories import make_relationship, make_session

TODAY = date(2026, 11, 24)


def _license(user: object, state: str = "TX", **changes: object) -> None:
    arguments: dict[str, object] = {
        "holder": user,
        "state": state,
        "family": "counselor",
        "title": "LPC-S",
        "number": f"{state}-555",
        "issued_on": date(2015, 1, 1),
        "expires_on": date(2027, 6, 30),
        "status": "active",
    }
    arguments.update(changes)
    license_create(**arguments)  # type: ignore[arg-type]


def test_an_associate_may_have_an_individual_and_an_external_group_supervisor(
    cast: Cast,
) -> None:
    individual = make_relationship(cast)
    group = make_relationship(
        cast,
        supervisor=None,
        external_supervisor_name="Dr. Ines Ward",
        external_supervisor_license="LPC-S TX 4411",
        format="group",
    )
    assert (individual.path_state, individual.path_family) == ("TX", "counselor")
    assert (group.is_external, group.supervisor_name) == (True, "Dr. Ines Ward")
    # Co-signature stays with the in-house supervisor.
    assert supervisor_of(cast.associate, cast.organization, TODAY) == cast.supervisor
    assert AuditEvent.objects.filter(action="supervision.relationship_started").count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"supervisor": None}, "supervisor"),
        ({"external_supervisor_name": "Someone Else"}, "supervisor"),
        ({"path_state": "TX", "path_family": ""}, "path_family"),
        ({"path_state": "GU", "path_family": "counselor"}, "path_state"),
    ],
)
def test_bad_relationships_are_refused_by_field(
    cast: Cast, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        make_relationship(cast, **changes)
    assert field in raised.value.message_dict
    assert SupervisionRelationship.objects.count() == 0


def test_the_supervisor_is_warned_about_without_an_active_licence_in_the_path_state(
    cast: Cast,
) -> None:
    relationship = make_relationship(cast)
    assert supervisor_warnings(relationship, on=TODAY) == [
        "Sage Supervisor has no active licence recorded in Tend on Nov 24, 2026."
    ]
    _license(cast.supervisor, state="OK")
    assert supervisor_warnings(relationship, on=TODAY) == [
        "Sage Supervisor has no active TX licence recorded on Nov 24, 2026."
    ]
    _license(cast.supervisor)
    assert supervisor_warnings(relationship, on=TODAY) == []
    # After the licence expires the warning is back for that date.
    assert len(supervisor_warnings(relationship, on=date(2027, 7, 1))) == 1


@time_machine.travel(TODAY, tick=False)
def test_a_session_records_the_warning_of_its_date_and_locks_once_both_sign(cast: Cast) -> None:
    relationship = make_relationship(cast)
    client = make_client(cast.organization, cast.associate)
    session = make_session(relationship, cases=[client])
    assert session.supervisor_warning.startswith("Sage Supervisor has no active licence")
    supervision_session_sign(session=session, actor=cast.associate)
    session.refresh_from_db()
    assert (session.locked, session.supervisor_signed_at) == (False, None)
    with pytest.raises(ValidationError):
        supervision_session_sign(session=session, actor=cast.associate)
    with pytest.raises(PermissionDenied):
        supervision_session_sign(session=session, actor=cast.clinician)
    supervision_session_sign(session=session, actor=cast.supervisor)
    session.refresh_from_db()
    assert session.locked is True
    assert len(session.content_hash) == 64
    assert list(
        AuditEvent.objects.filter(action="supervision.session_signed").values_list(
            "extra", flat=True
        )
    ) == [{"as": "supervisee", "locked": False}, {"as": "supervisor", "locked": True}]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": date(2025, 12, 1)}, "held_on"),
        ({"held_on": TODAY + timedelta(days=1)}, "held_on"),
        ({"format": "triadic", "member_count": 1}, "member_count"),
        ({"format": "individual", "member_count": 3}, "member_count"),
        ({"minutes": 2}, "minutes"),
    ],
)
def test_bad_sessions_are_refused_by_field(
    cast: Cast, changes: dict[str, object], field: str
) -> None:
    relationship = make_relationship(cast)
    with pytest.raises(ValidationError) as raised:
        make_session(relationship, **changes)
    assert field in raised.value.message_dict
    assert SupervisionSession.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_only_the_in_house_supervisor_logs_sessions(cast: Cast) -> None:
    relationship = make_relationship(cast)
    with pytest.raises(PermissionDenied):
        make_session(relationship, actor=cast.associate)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger on PostgreSQL only")
@time_machine.travel(TODAY, tick=False)
def test_postgresql_refuses_to_change_a_locked_session(cast: Cast) -> None:
    session = make_session(make_relationship(cast))
    supervision_session_sign(session=session, actor=cast.associate)
    supervision_session_sign(session=session, actor=cast.supervisor)
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        SupervisionSession.objects.filter(pk=session.pk).update(minutes=120)


def test_ending_keeps_the_relationship_and_refuses_a_second_end(cast: Cast) -> None:
    relationship = make_relationship(cast)
    supervision_relationship_end(relationship=relationship, actor=cast.owner, ended_on=TODAY)
    with pytest.raises(ValidationError):
        supervision_relationship_end(relationship=relationship, actor=cast.owner, ended_on=TODAY)
    assert SupervisionRelationship.objects.get().ended_on == TODAY


def test_the_contract_is_uploaded_and_downloaded_by_the_supervisor(cast: Cast) -> None:
    relationship = make_relationship(cast)
    supervision_contract_attach(
        relationship=relationship,
        actor=cast.supervisor,
        contract=SimpleUploadedFile("contract.pdf", b"%PDF-1.4 contract", "application/pdf"),
    )
    url = reverse("supervision:relationship_contract", args=[relationship.public_id])
    response = signed_in(cast.supervisor).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="supervision-contract-2026-01-01.pdf"'
    )
    assert signed_in(cast.associate).get(url).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_cases_discussed_show_only_to_those_who_may_see_the_client(cast: Cast) -> None:
    relationship = make_relationship(cast)
    theirs = make_client(cast.organization, cast.associate, "Wren", "Hale")
    other = make_client(cast.organization, cast.clinician, "Ivo", "Stark")
    make_session(relationship, cases=[theirs, other])
    page = signed_in(cast.associate).get(reverse("supervision:home")).content.decode()
    assert "Wren" in page
    assert "Ivo" not in page
    assert "1 case you cannot see" in page


def test_the_supervisor_logs_a_session_from_the_page_and_bad_input_keeps_the_form(
    cast: Cast,
) -> None:
    relationship = make_relationship(cast)
    url = reverse("supervision:relationship", args=[relationship.public_id])
    client = signed_in(cast.supervisor)
    with time_machine.travel(TODAY, tick=False):
        form = {"held_on": "2026-03-02", "minutes": "60", "format": "group"}
        form |= {"member_count": "1", "delivery": "video", "topics": "Ethics"}
        bad = client.post(url, form)
        assert bad.status_code == 400
        assert "Ethics" in bad.content.decode()
        good = client.post(url, form | {"minutes": "90", "member_count": "4"})
    assert good.status_code == 302
    session = SupervisionSession.objects.get()
    assert (session.minutes, session.member_count, session.format) == (90, 4, "group")


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("url_name", ["supervision:home", "supervision:relationship"])
def test_supervision_pages_run_the_same_queries_for_2_or_8_sessions(
    cast: Cast, url_name: str
) -> None:
    from django.test.utils import CaptureQueriesContext

    relationship = make_relationship(cast)
    client = signed_in(cast.supervisor)
    args = [relationship.public_id] if url_name == "supervision:relationship" else []
    counts = []
    for size in (2, 6):
        for n in range(size):
            case = make_client(cast.organization, cast.associate, f"Case{size}{n}", "Lee")
            make_session(relationship, held_on=date(2026, 3, 1 + n), cases=[case])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name, args=args)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
