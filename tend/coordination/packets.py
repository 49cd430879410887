"""Records packets: what a disclosure contains, as a PDF and as a FHIR R4 Bundle.

A packet is assembled from one section per information category. Each category has a
builder that reads the record through the owning app's selectors; apps that keep records
of a category register its builder with `register_packet_section`. A category no app
registers is one Tend keeps no records of as a kind of their own (HIV/STI information:
what a clinician writes about it sits in notes, assessments or diagnoses and goes with
those categories); the packet says exactly that rather than "no records in the range".

Psychotherapy notes follow their own rule (45 CFR 164.508(a)(2)): they leave Tend only
under a consent that covers psychotherapy notes and nothing else (the coverage check in
`disclosure_release`), and only the notes their author has released one by one (the
section builder in `sections.py`). The client's own copy never asks for them.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.template.loader import render_to_string
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.resource import Resource

from tend.clients.models import Client
from tend.coordination.models import Consent, InformationCategory

NOTICE_PATH = Path(settings.BASE_DIR) / "data" / "coordination" / "redisclosure_notice.yaml"
PART2_SECURITY_LABEL = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
    "code": "42CFRPart2",
    "display": "42 CFR Part2",
}


@dataclass(frozen=True)
class PacketItem:
    heading: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionContent:
    items: list[PacketItem] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    note: str = ""  # printed under the section in the PDF, the same whatever it holds


@dataclass(frozen=True)
class PacketScope:
    client: Client
    patient_reference: str
    records_from: date | None
    records_to: date | None


SectionBuilder = Callable[[PacketScope], SectionContent]

_BUILDERS: dict[str, SectionBuilder] = {}


def register_packet_section(category: InformationCategory, builder: SectionBuilder) -> None:
    """Let the app that keeps records of `category` say how they go into a packet."""
    _BUILDERS[category.value] = builder


@dataclass(frozen=True)
class PacketSection:
    category: InformationCategory
    content: SectionContent
    kept_separately: bool  # False: Tend keeps no records of this category as their own kind

    @property
    def title(self) -> str:
        return self.category.label[:1].upper() + self.category.label[1:]


@dataclass(frozen=True)
class Packet:
    client: Client
    title: str
    recipient: str
    purpose: str
    released_at: datetime
    released_by: str
    records_from: date | None
    records_to: date | None
    sections: list[PacketSection]
    consents: list[Consent]
    includes_part2: bool
    part2_notice: dict[str, Any] | None
    bundle: Bundle

    def html(self) -> str:
        return render_to_string("coordination/packet_pdf.html", {"packet": self})

    def bundle_json(self) -> str:
        return str(self.bundle.json(indent=2))


@cache
def part2_notice() -> dict[str, Any]:
    """The 42 CFR 2.32 notice with its source (data/coordination/redisclosure_notice.yaml)."""
    with NOTICE_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _patient(scope: PacketScope, *, full_demographics: bool) -> Patient:
    client = scope.client
    data: dict[str, Any] = {
        "id": str(client.public_id),
        "identifier": [{"system": "urn:tend:client", "value": str(client.public_id)}],
        "name": [{"family": client.legal_last_name, "given": [client.legal_first_name]}],
        "birthDate": client.date_of_birth.isoformat(),
    }
    if full_demographics:
        telecom = []
        if client.phone:
            telecom.append({"system": "phone", "value": client.phone})
        if client.email:
            telecom.append({"system": "email", "value": client.email})
        if telecom:
            data["telecom"] = telecom
        if client.address_line1 or client.city:
            data["address"] = [
                {
                    "line": [line for line in (client.address_line1, client.address_line2) if line],
                    "city": client.city or None,
                    "state": client.state or None,
                    "postalCode": client.postal_code or None,
                }
            ]
        data["communication"] = [{"language": {"text": client.preferred_language}}]
    return Patient.model_validate(data)


def _demographics(scope: PacketScope) -> SectionContent:
    client = scope.client
    lines = [
        f"Legal name: {client.legal_name}",
        f"Date of birth: {client.date_of_birth:%Y-%m-%d}",
    ]
    if client.pronouns:
        lines.append(f"Pronouns: {client.pronouns}")
    if client.phone:
        lines.append(f"Phone: {client.phone}")
    if client.email:
        lines.append(f"Email: {client.email}")
    address = ", ".join(
        part
        for part in (client.address_line1, client.address_line2, client.city, client.state)
        if part
    )
    if address:
        lines.append(f"Address: {address} {client.postal_code}".rstrip())
    lines.append(f"Preferred language: {client.preferred_language}")
    return SectionContent(items=[PacketItem("Demographics", tuple(lines))])


def _builder_for(category: str) -> SectionBuilder | None:
    if category == InformationCategory.DEMOGRAPHICS:
        return _demographics
    return _BUILDERS.get(category)


def packet_assemble(
    *,
    client: Client,
    title: str,
    categories: Iterable[str],
    recipient: str,
    purpose: str,
    records_from: date | None,
    records_to: date | None,
    consents: list[Consent],
    released_at: datetime,
    released_by: str,
) -> Packet:
    """Build the packet's sections and its FHIR Bundle (validated as it is constructed)."""
    chosen = [InformationCategory(value) for value in InformationCategory.values]
    chosen = [category for category in chosen if category.value in set(categories)]
    patient_reference = f"urn:uuid:{client.public_id}"
    scope = PacketScope(client, patient_reference, records_from, records_to)
    sections = []
    resources: list[Resource] = []
    for category in chosen:
        builder = _builder_for(category)
        content = builder(scope) if builder is not None else SectionContent()
        sections.append(PacketSection(category, content, kept_separately=builder is not None))
        resources.extend(content.resources)
    includes_part2 = InformationCategory.SUBSTANCE_USE in chosen
    notice = part2_notice() if includes_part2 else None
    patient = _patient(scope, full_demographics=InformationCategory.DEMOGRAPHICS in chosen)
    entries: list[dict[str, Any]] = [{"fullUrl": patient_reference, "resource": patient}]
    # Builders give every resource a UUID id, so references between entries are urn:uuid.
    entries.extend(
        {"fullUrl": f"urn:uuid:{resource.id}", "resource": resource} for resource in resources
    )
    bundle_data: dict[str, Any] = {
        "type": "collection",
        "timestamp": released_at.isoformat(),
        "identifier": {"system": "urn:tend:packet", "value": str(uuid.uuid4())},
        "entry": entries,
    }
    if notice is not None:
        bundle_data["meta"] = {"security": [PART2_SECURITY_LABEL]}
        notice_reference = DocumentReference.model_validate(
            {
                "id": str(uuid.uuid4()),
                "status": "current",
                "description": "Notice to accompany disclosure (42 CFR 2.32)",
                "subject": {"reference": patient_reference},
                "content": [
                    {
                        "attachment": {
                            "contentType": "text/plain",
                            "data": base64.b64encode(notice["statement"].encode()).decode(),
                            "title": notice["source"]["citation"],
                        }
                    }
                ],
            }
        )
        entries.append({"fullUrl": f"urn:uuid:{notice_reference.id}", "resource": notice_reference})
    return Packet(
        client=client,
        title=title,
        recipient=recipient,
        purpose=purpose,
        released_at=released_at,
        released_by=released_by,
        records_from=records_from,
        records_to=records_to,
        sections=sections,
        consents=consents,
        includes_part2=includes_part2,
        part2_notice=notice,
        bundle=Bundle.model_validate(bundle_data),
    )
