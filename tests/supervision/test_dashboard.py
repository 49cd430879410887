"""The supervisor's dashboard panel and the associate's progress panel."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.licensure.models import HoursEntry
from tests.conftest import Cast, signed_in
from tests.licensure.hours_helpers import documented_session
from tests.supervision.factories import make_relationship, make_session

TODAY = date(2026, 11, 24)
NOON = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # noon in the organization's Chicago


def test_the_supervisor_sees_queue_pending_hours_and_last_session(cast: Cast) -> None:
    relationship = make_relationship(cast)
    documented_session(cast, datetime(2026, 11, 2), cosign=False)  # noqa: DTZ001
    documented_session(cast, datetime(2026, 11, 3), minutes=60)  # noqa: DTZ001
    with time_machine.travel(NOON, tick=False):
        make_session(relationship, held_on=date(2026, 11, 17))
        page = signed_in(cast.supervisor).get(reverse("core:dashboard")).content.decode()
    assert "Your supervisees" in page
    assert "1, oldest waiting 3" in page  # one note, signed on Nov 2 at 20:00 UTC
    assert "1.0 h</a>" in page  # the co-signed 60-minute session awaits verification
    assert "last 7 days ago" in page
    assert "1 to sign" in page


def test_the_associate_sees_progress_on_the_dashboard(cast: Cast) -> None:
    make_relationship(cast)
    with time_machine.travel(TODAY, tick=False):
        HoursEntry.objects.create(organization=cast.organization, associate=cast.associate,
                                  category="direct_individual", worked_on=date(2026, 11, 2),
                                  minutes=600, source="manual", description="Work")  # fmt: skip
        page = signed_in(cast.associate).get(reverse("core:dashboard")).content.decode()
    assert "Progress toward licensure" in page
    assert "Direct client contact: 10 of 1,500 h" in page
    assert "Not yet verified: 10.0 h" in page


def test_the_supervisor_panel_queries_do_not_grow_with_supervisees(cast: Cast) -> None:
    from tests.conftest import make_member

    make_relationship(cast)
    client = signed_in(cast.supervisor)
    counts = []
    for batch in range(2):
        for n in range(3 * batch + 1):
            associate = make_member(cast.organization, cast.owner, f"a{batch}{n}@harbor.test",
                                    f"Assoc {batch}{n}", "associate")  # fmt: skip
            make_relationship(cast, supervisee=associate)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:dashboard")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
