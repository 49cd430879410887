from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from tend.assessments.services import diagnosis_add
from tend.audit.models import AuditEvent
from tend.care.models import Appointment
from tend.care.notes import psychotherapy_note_release, psychotherapy_note_save
from tend.care.services import appointment_book
from tend.clients.models import Client, Episode
from tend.coordination import services
from tend.coordination.models import Consent, Disclosure, ExternalProvider, InformationCategory
from tend.coordination.packets import packet_assemble, part2_notice
from tend.plans import services as plan_services
from tests.conftest import Cast, signed_in
from tests.coordination.helpers import (
    assert_read_audited,
    make_client,
    make_consent,
    make_provider,
    release,
    stored_bundle,
)

NOV_27 = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."


@time_machine.travel(NOV_27, tick=False)
def test_a_packet_without_a_covering_consent_is_refused_naming_the_missing_category(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    make_consent(client, cast.clinician, provider, ["diagnoses", "treatment_plan"])
    response = signed_in(cast.clinician).post(
        reverse("coordination:packet", args=[client.public_id]),
        {
            "recipient": f"provider:{provider.public_id}",
            "categories": ["diagnoses", "treatment_plan", "progress_notes"],
            "purpose": "Medication management",
            "delivery": "fax",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["categories"] == [
        "No active consent covers 'full progress notes' for Dr. Imani Reyes on 2026-11-27."
    ]
    assert Disclosure.objects.count() == 0
    assert not AuditEvent.objects.filter(action="coordination.disclosed").exists()


@time_machine.travel(NOV_27, tick=False)
def test_a_consent_to_obtain_or_for_someone_else_covers_nothing(cast: Cast) -> None:
    client = make_client(cast)
    psychiatrist = make_provider(cast.organization, cast.clinician)
    pcp = make_provider(
        cast.organization, cast.clinician, "Dr. Tomas Lind", "primary_care", "1245319599"
    )
    make_consent(client, cast.clinician, psychiatrist, ["diagnoses"], direction="obtain")
    make_consent(client, cast.clinician, pcp, ["diagnoses"])
    with pytest.raises(ValidationError) as refused:
        release(client, cast, psychiatrist, ["diagnoses"])
    assert refused.value.message_dict["categories"] == [
        "No active consent covers 'diagnoses' for Dr. Imani Reyes on 2026-11-27."
    ]


@time_machine.travel(NOV_27, tick=False)
def test_an_allowed_packet_is_recorded_with_the_consents_used_and_audited(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    consent = make_consent(client, cast.clinician, provider, ["diagnoses", "treatment_plan"])
    response = signed_in(cast.clinician).post(
        reverse("coordination:packet", args=[client.public_id]),
        {
            "recipient": f"provider:{provider.public_id}",
            "categories": ["treatment_plan", "diagnoses"],
            "records_from": "2026-01-01",
            "records_to": "2026-11-27",
            "purpose": "Medication management",
            "delivery": "secure_email",
        },
    )
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coordination:disclosure", args=[disclosure.public_id])
    assert (disclosure.recipient_name, disclosure.categories) == (
        "Dr. Imani Reyes",
        ["diagnoses", "treatment_plan"],
    )
    assert list(disclosure.consents.all()) == [consent]
    assert disclosure.released_by == cast.clinician
    assert disclosure.released_at == NOV_27
    event = AuditEvent.objects.get(action="coordination.disclosed")
    assert event.extra == {
        "consent_ids": [str(consent.public_id)],
        "categories": ["diagnoses", "treatment_plan"],
        "delivery": "secure_email",
    }
    assert event.subject_id == str(disclosure.public_id)
    pdf = signed_in(cast.clinician).get(
        reverse("coordination:disclosure_pdf", args=[disclosure.public_id])
    )
    assert pdf.content[:5] == b"%PDF-"
    assert pdf["Content-Disposition"] == 'attachment; filename="records-2026-11-27.pdf"'
    assert AuditEvent.objects.filter(action="coordination.packet_downloaded").count() == 1


@time_machine.travel(NOV_27, tick=False)
def test_opening_a_disclosure_is_recorded_in_the_audit_trail(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    make_consent(client, cast.clinician, provider, ["diagnoses"])
    disclosure = release(client, cast, provider, ["diagnoses"])
    assert_read_audited(
        "coordination:disclosure", disclosure, client,
        reader=cast.clinician, refused=cast.front_desk, outsider=cast.outsider,
    )  # fmt: skip


@time_machine.travel(NOV_27, tick=False)
def test_the_part2_notice_is_present_exactly_when_part2_records_are_included(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    make_consent(client, cast.clinician, provider, ["diagnoses", "substance_use"])
    without = release(client, cast, provider, ["diagnoses"])
    with_part2 = release(client, cast, provider, ["diagnoses", "substance_use"])
    assert (without.includes_part2, with_part2.includes_part2) == (False, True)
    assert part2_notice()["statement"] == NOTICE
    assert stored_bundle(without).meta is None
    part2_bundle = stored_bundle(with_part2)
    assert [label.code for label in part2_bundle.meta.security] == ["42CFRPart2"]
    notices = [
        entry.resource
        for entry in part2_bundle.entry
        if entry.resource.get_resource_type() == "DocumentReference"
    ]
    assert [n.content[0].attachment.data.decode() for n in notices] == [NOTICE]
    assert not any(
        entry.resource.get_resource_type() == "DocumentReference"
        for entry in stored_bundle(without).entry
    )
    for categories, expected in ((["diagnoses"], 0), (["diagnoses", "substance_use"], 1)):
        packet = packet_assemble(
            client=client, title="t", categories=categories, recipient="Dr. Imani Reyes",
            purpose="p", records_from=None, records_to=None, consents=[], released_at=NOV_27,
            released_by="Cleo Clinician",
        )  # fmt: skip
        html = render_to_string("coordination/packet_pdf.html", {"packet": packet})
        assert html.count(NOTICE) == expected


def _process_note(cast: Cast, client: Client, day: int, body: str, *, release: bool) -> None:
    appointment = appointment_book(
        organization=cast.organization, actor=cast.clinician, clinician=cast.clinician,
        kind=Appointment.Kind.INDIVIDUAL, start_local=datetime(2026, 11, day, 10),  # noqa: DTZ001
        duration_minutes=50, clients=[client],
    )[0]  # fmt: skip
    note = psychotherapy_note_save(appointment=appointment, actor=cast.clinician, body=body)
    if release:
        psychotherapy_note_release(note=note, actor=cast.clinician, reason="Client's authorization")


@time_machine.travel(NOV_27, tick=False)
def test_psychotherapy_notes_are_excluded_in_every_path(cast: Cast) -> None:
    client = make_client(cast)
    Episode.objects.create(client=client, admission_date=date(2026, 10, 1))
    provider = make_provider(cast.organization, cast.clinician)
    _process_note(cast, client, 10, "Released process note", release=True)
    _process_note(cast, client, 17, "Private process note", release=False)
    make_consent(client, cast.clinician, provider, ["diagnoses"])
    # Without a psychotherapy-note consent, asking for them is refused.
    with pytest.raises(ValidationError) as refused:
        release(client, cast, provider, ["diagnoses", "psychotherapy_notes"])
    assert refused.value.message_dict["categories"] == [
        "No active consent covers 'psychotherapy notes' for Dr. Imani Reyes on 2026-11-27."
    ]
    # A packet of other categories carries no process note.
    other = release(client, cast, provider, ["diagnoses"])
    assert [e.resource.get_resource_type() for e in stored_bundle(other).entry] == ["Patient"]
    # With the specific consent, only the note its author released goes.
    make_consent(client, cast.clinician, provider, ["psychotherapy_notes"])
    packet = release(client, cast, provider, ["psychotherapy_notes"])
    documents = [
        e.resource
        for e in stored_bundle(packet).entry
        if e.resource.get_resource_type() == "DocumentReference"
    ]
    assert [d.content[0].attachment.data.decode() for d in documents] == ["Released process note"]
    with packet.packet_html.open("rb") as handle:
        html = handle.read().decode()
    assert ("Released process note" in html, "Private process note" in html) == (True, False)
    # The client's own copy never includes them (45 CFR 164.524(a)(1)(i)).
    copy = services.client_copy_release(client=client, actor=cast.clinician, delivery="portal")
    assert copy.categories == [
        value for value in InformationCategory.values if value != "psychotherapy_notes"
    ]
    with copy.packet_html.open("rb") as handle:
        assert "process note" not in handle.read().decode()
    copy_documents = [
        e.resource.description
        for e in stored_bundle(copy).entry
        if e.resource.get_resource_type() == "DocumentReference"
    ]
    assert copy_documents == ["Notice to accompany disclosure (42 CFR 2.32)"]


def _plan_for(client: Client, cast: Cast) -> None:
    Episode.objects.create(client=client, admission_date=date(2026, 10, 1))
    plan = plan_services.plan_create(client=client, actor=cast.clinician)
    problem = plan_services.problem_add(plan=plan, actor=cast.clinician, statement="Panic attacks")
    goal = plan_services.goal_add(
        problem=problem, actor=cast.clinician, client_words="Ride the bus again",
        statement="Reduce panic frequency",
    )  # fmt: skip
    plan_services.objective_add(
        goal=goal, actor=cast.clinician, description="Panic attacks per week at most 1",
        metric_kind="frequency_per_week", instrument_id="", baseline=Decimal(5),
        target=Decimal(1), direction="at_most", target_date=date(2027, 2, 1),
    )  # fmt: skip
    plan_services.plan_activate(
        plan=plan, actor=cast.clinician, signature=cast.clinician.display_name,
        agreement_kind="typed_signature", agreed_by_name=client.legal_name,
        agreed_on=date(2026, 11, 20), review_days=90,
    )  # fmt: skip


@time_machine.travel(NOV_27, tick=False)
def test_the_fhir_bundle_validates_and_round_trips_diagnoses_and_plan(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    diagnosis_add(
        client=client, actor=cast.clinician, code="F41.0", rank="principal",
        status="confirmed", onset_date=date(2026, 9, 1),
    )  # fmt: skip
    _plan_for(client, cast)
    make_consent(client, cast.clinician, provider, ["demographics", "diagnoses", "treatment_plan"])
    disclosure = release(client, cast, provider, ["demographics", "diagnoses", "treatment_plan"])
    with disclosure.fhir_bundle.open("rb") as handle:
        raw = json.loads(handle.read())
    bundle: Any = Bundle.model_validate(raw)
    by_type: dict[str, list[object]] = {}
    for entry in bundle.entry:
        by_type.setdefault(entry.resource.get_resource_type(), []).append(entry.resource)
    assert sorted(by_type) == ["CarePlan", "Condition", "Goal", "Patient"]
    patient = by_type["Patient"][0]
    assert (patient.name[0].family, str(patient.birthDate)) == ("Quill", "1991-03-14")  # type: ignore[attr-defined]
    condition = by_type["Condition"][0]
    coding = condition.code.coding[0]  # type: ignore[attr-defined]
    assert (coding.system, coding.code) == ("http://hl7.org/fhir/sid/icd-10-cm", "F41.0")
    assert condition.subject.reference == f"urn:uuid:{client.public_id}"  # type: ignore[attr-defined]
    goal = by_type["Goal"][0]
    assert goal.description.text == "Reduce panic frequency"  # type: ignore[attr-defined]
    assert [str(t.dueDate) for t in goal.target] == ["2027-02-01"]  # type: ignore[attr-defined]
    care_plan = by_type["CarePlan"][0]
    assert [ref.reference for ref in care_plan.goal] == [f"urn:uuid:{goal.id}"]  # type: ignore[attr-defined]
    full_urls = {entry.fullUrl for entry in bundle.entry}
    assert f"urn:uuid:{goal.id}" in full_urls  # type: ignore[attr-defined]
    assert Bundle.model_validate_json(bundle.json()).json() == bundle.json()


@time_machine.travel(NOV_27, tick=False)
def test_the_accounting_lists_every_disclosure_and_prints_as_pdf(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    make_consent(client, cast.clinician, provider, ["diagnoses", "measures"])
    first = release(client, cast, provider, ["diagnoses"])
    second = release(client, cast, provider, ["measures"])
    copy = services.client_copy_release(client=client, actor=cast.clinician, delivery="portal")
    other_client = make_client(cast, "Other", "Person")
    services.client_copy_release(client=other_client, actor=cast.clinician, delivery="mail")
    browser = signed_in(cast.clinician)
    response = browser.get(reverse("coordination:accounting", args=[client.public_id]))
    assert response.status_code == 200
    assert [d.public_id for d in response.context["disclosures"]] == [
        copy.public_id, second.public_id, first.public_id,
    ]  # fmt: skip
    printed = browser.get(reverse("coordination:accounting_pdf", args=[client.public_id]))
    assert printed.content[:5] == b"%PDF-"
    assert AuditEvent.objects.filter(action="coordination.accounting_printed").count() == 1


def _accounting_queries(cast: Cast, client: Client, provider: ExternalProvider, count: int) -> int:
    for _ in range(count):
        Disclosure.objects.create(
            client=client, kind="packet", recipient_kind="provider", provider=provider,
            recipient_name=provider.name, categories=["diagnoses"], purpose="Care",
            delivery="fax", released_by=cast.clinician, released_at=NOV_27,
            packet_html="disclosures/x.html", fhir_bundle="disclosures/x.json",
        )  # fmt: skip
    browser = signed_in(cast.clinician)
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(reverse("coordination:accounting", args=[client.public_id]))
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(NOV_27, tick=False)
def test_the_accounting_runs_the_same_queries_for_few_and_many_disclosures(cast: Cast) -> None:
    provider = make_provider(cast.organization, cast.clinician)
    few = _accounting_queries(cast, make_client(cast), provider, 2)
    many = _accounting_queries(cast, make_client(cast, "Many", "Rows"), provider, 40)
    assert few == many


@time_machine.travel(NOV_27, tick=False)
def test_the_client_copy_needs_no_consent_and_is_audited(cast: Cast) -> None:
    client = make_client(cast)
    response = signed_in(cast.clinician).post(
        reverse("coordination:client_copy", args=[client.public_id]), {"delivery": "portal"}
    )
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302
    assert (disclosure.kind, disclosure.recipient_kind) == (
        "client_copy",
        Consent.RecipientKind.CLIENT,
    )
    assert list(disclosure.consents.all()) == []
    event = AuditEvent.objects.get(action="coordination.client_copy_released")
    assert event.extra["consent_ids"] == []


@time_machine.travel(NOV_27, tick=False)
def test_a_packet_says_tend_keeps_no_separate_hiv_sti_records(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    make_consent(client, cast.clinician, provider, ["diagnoses", "hiv_sti"])

    disclosure = release(client, cast, provider, ["diagnoses", "hiv_sti"])

    packet = packet_assemble(
        client=client, title="t", categories=["diagnoses", "hiv_sti"], recipient="Dr. Imani Reyes",
        purpose="p", records_from=None, records_to=None, consents=[], released_at=NOV_27,
        released_by="Cleo Clinician",
    )  # fmt: skip
    assert [(s.category.value, s.kept_separately) for s in packet.sections] == [
        ("diagnoses", True),
        ("hiv_sti", False),
    ]
    with disclosure.packet_html.open("rb") as handle:
        html = handle.read().decode()
    assert html.count("No records of this kind in the range released.") == 1
    assert (
        html.count(
            "Tend does not keep HIV/STI information as a separate kind of record, so nothing is "
            "released under this category."
        )
        == 1
    )
    assert " yet" not in html
    assert [e.resource.get_resource_type() for e in stored_bundle(disclosure).entry] == ["Patient"]
