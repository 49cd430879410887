"""The demo's synthetic clients: a realistic spread, made through the services."""

from __future__ import annotations

from collections import Counter

import time_machine

from tend.audit.services import audit_chain_verify
from tend.clients import demo
from tend.clients.models import CaseGroup, Client, Episode
from tend.demo.people import create_demo_people
from tend.supervision.models import SupervisionRelationship


@time_machine.travel("2026-11-27 10:00:00-06:00", tick=False)
def test_each_demo_organization_gets_forty_clients_across_statuses(db: None) -> None:
    organizations = create_demo_people()
    demo.load(organizations)
    for organization in organizations.values():
        clients = Client.objects.filter(organization=organization)
        assert Counter(clients.values_list("status", flat=True)) == {
            "active": 29,
            "inquiry": 4,
            "waitlist": 4,
            "discharged": 3,
        }
        assert (
            Episode.objects.filter(
                client__organization=organization, discharge_date__isnull=True
            ).count()
            == 29
        )
        assert (
            Episode.objects.filter(client__organization=organization, discharge_date__isnull=False)
            .exclude(discharge_summary="")
            .count()
            == 3
        )
        minors = [c for c in clients if c.age_on(c.created_at.date()) < 18]
        assert len(minors) == 8
        assert all(minor.guardian_name for minor in minors)
        assert sorted(
            CaseGroup.objects.filter(organization=organization).values_list("kind", flat=True)
        ) == ["couple", "family"]
        clinicians = set(clients.values_list("primary_clinician__email", flat=True)) - {None}
        assert len(clinicians) == 5
        relationships = SupervisionRelationship.objects.filter(organization=organization)
        assert relationships.count() == 2
        assert relationships.values("supervisor").distinct().count() == 1
    assert audit_chain_verify().intact
