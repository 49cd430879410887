"""The demo adds assessments and diagnoses to the demo clients."""

from __future__ import annotations

import pytest

from tend.assessments import demo as assessments_demo
from tend.assessments.models import Assessment, Diagnosis
from tend.clients import demo as clients_demo
from tend.clients.models import Client
from tend.demo.people import create_demo_people


@pytest.mark.django_db
def test_the_demo_assesses_and_diagnoses_most_active_clients_the_same_way_each_time() -> None:
    organizations = create_demo_people()
    clients_demo.load(organizations)
    assessments_demo.load(organizations)

    active = Client.objects.filter(status=Client.Status.ACTIVE, primary_clinician__isnull=False)
    signed = Assessment.objects.filter(status=Assessment.Status.SIGNED)
    drafts = Assessment.objects.filter(status=Assessment.Status.DRAFT)
    assert signed.count() > active.count() * 0.6
    assert 1 <= drafts.count() < signed.count()
    assert set(Assessment.objects.values_list("client__status", flat=True)) == {"active"}
    assert set(signed.values_list("author", flat=True)) == set(
        signed.values_list("client__primary_clinician", flat=True)
    )
    diagnosed = Client.objects.filter(diagnoses__isnull=False).distinct()
    assert set(diagnosed) == {assessment.client for assessment in signed}
    current = Diagnosis.objects.filter(superseded_by__isnull=True)
    assert set(current.values_list("status", flat=True)) == {"confirmed"}
    assert Diagnosis.objects.filter(supersedes__isnull=False).exists()
    per_client = [
        client.diagnoses.filter(superseded_by__isnull=True).count() for client in diagnosed
    ]
    assert set(per_client) <= {1, 2, 3}
    principals = current.filter(rank="principal").values_list("client", flat=True)
    assert sorted(principals) == sorted(diagnosed.values_list("pk", flat=True))
