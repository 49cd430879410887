"""The supervision demo: a Texas associate near 60% of the hours with weekly supervision,
a California AMFT early in the path, verified and unverified months."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from django.utils import timezone

from tend.accounts.models import User
from tend.care import demo as care_demo
from tend.clients import demo as clients_demo
from tend.demo.people import create_demo_people
from tend.licensure import demo as licensure_demo
from tend.licensure.models import HoursEntry, HoursVerification
from tend.licensure.selectors import progress_for
from tend.supervision import demo as supervision_demo
from tend.supervision.models import SupervisionSession


def test_the_demo_builds_two_associates_ledgers_from_their_sessions(db: None) -> None:
    organizations = create_demo_people()
    clients_demo.load(organizations)
    care_demo.load(organizations)
    licensure_demo.load(organizations)
    supervision_demo.load(organizations)
    today = timezone.localdate()

    jordan = User.objects.get(email="jordan.pike@riverbend.example")
    report = progress_for(jordan, today=today)
    assert report is not None and report.progress is not None
    assert (report.path.state, report.path.family) == ("TX", "counselor")
    total = report.progress.line("total_hours")
    assert total.credited is not None and 0.55 * 3000 <= total.credited <= 0.65 * 3000
    projection = report.progress.projection
    assert projection.completes_on is not None and not projection.exceeds_max_window
    # At his current pace (Riverbend plus two evenings at a second site) within two years.
    assert projection.completes_on < today + timedelta(days=2 * 365)
    weekly = SupervisionSession.objects.filter(relationship__supervisee=jordan).order_by("held_on")
    gaps = {(b.held_on - a.held_on).days for a, b in pairwise(weekly)}
    assert gaps == {7}  # held and planned sessions alike
    planned = weekly.filter(status="planned")
    assert planned.count() == 4
    assert all(session.starts_at > timezone.now() for session in planned)
    assert not HoursEntry.objects.filter(source_reference__in=planned.values("public_id")).exists()
    assert HoursEntry.objects.filter(associate=jordan, source="session").count() > 20
    assert HoursVerification.objects.filter(associate=jordan).count() >= 3
    assert HoursEntry.objects.filter(associate=jordan, verification__isnull=True).exists()

    carlos = User.objects.get(email="carlos.mendoza@cedarvalley.example")
    early = progress_for(carlos, today=today)
    assert early is not None and early.progress is not None
    assert (early.path.state, early.path.family) == ("CA", "mft")
    credited = early.progress.line("total_hours").credited
    assert credited is not None and 0 < credited < 0.2 * 3000
    assert HoursEntry.objects.filter(associate=carlos, source="supervision").exists()
    # The ledger never names a client.
    assert set(HoursEntry.objects.values_list("description", flat=True)) <= {
        "",
        "Weekly total from the previous site's log",
        "Weekly individual supervision at the previous site",
        "Evening individual sessions",
        "Evening skills group",
        "Notes and case coordination",
    }
