"""Demo care coordination: external providers, care teams, consents in every state,
disclosures, a community-resource directory and referrals in every status.

Everyone here is synthetic. Provider organizations carry "(demo)" in their names and
their NPIs are made up to pass the check digit; local resources are fictional and marked
"(demo)"; the three national lines are real public services (data/coordination).
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from tend.accounts.models import Organization, User
from tend.clients.models import Client
from tend.coordination import services
from tend.coordination.models import (
    Consent,
    ConsentRevocation,
    Disclosure,
    ExternalProvider,
    Referral,
)
from tend.coordination.selectors import organization_today
from tend.core.validators import npi_is_valid

NATIONAL_RESOURCES = Path(settings.BASE_DIR) / "data" / "coordination" / "national_resources.yaml"

PROVIDERS = (
    ("Dr. Priya Natarajan", ExternalProvider.Role.PSYCHIATRIST, "Lakeside Psychiatry (demo)"),
    (
        "Dr. Owen Fairbanks",
        ExternalProvider.Role.PRIMARY_CARE,
        "Maple Street Family Medicine (demo)",
    ),
    (
        "Jordan Ellery, PMHNP",
        ExternalProvider.Role.PSYCHIATRIC_NP,
        "Northgate Behavioral Health (demo)",
    ),
    (
        "Ms. Carla Dunmore",
        ExternalProvider.Role.SCHOOL_COUNSELOR,
        "Pine Ridge Middle School (demo)",
    ),
    ("Marcus Webb", ExternalProvider.Role.CASE_MANAGER, "Second Step Recovery Services (demo)"),
    ("Renata Solis, Esq.", ExternalProvider.Role.ATTORNEY, "Solis Family Law (demo)"),
)

# (name, categories, services, cost, telehealth)
LOCAL_RESOURCES = (
    (
        "Harbor Light Emergency Shelter",
        ["housing", "crisis"],
        "Emergency overnight shelter and case management.",
        "Free",
        False,
    ),
    (
        "Front Porch Rental Assistance",
        ["housing", "financial"],
        "One-time rent and utility assistance.",
        "Free",
        False,
    ),
    (
        "Greenway Supportive Housing",
        ["housing", "psychiatry"],
        "Permanent supportive housing for adults with serious mental illness.",
        "Income-based rent",
        False,
    ),
    ("Open Table Food Pantry", ["food"], "Weekly groceries; no ID required.", "Free", False),
    (
        "Community Kitchen on Fifth",
        ["food", "older_adults"],
        "Hot lunch Monday to Saturday.",
        "Free",
        False,
    ),
    (
        "Bright Futures Benefits Clinic",
        ["financial", "legal"],
        "Help applying for SNAP, Medicaid and disability benefits.",
        "Free",
        True,
    ),
    (
        "Riverside Legal Aid",
        ["legal", "domestic_violence"],
        "Civil legal help: protective orders, eviction defense, custody.",
        "Free for eligible clients",
        True,
    ),
    (
        "Workforce Bridge",
        ["employment"],
        "Job coaching, resume help and supported employment.",
        "Free",
        True,
    ),
    (
        "Valley Free Clinic",
        ["medical"],
        "Primary care for uninsured adults, sliding scale.",
        "Sliding scale",
        False,
    ),
    (
        "Lakeview Psychiatric Urgent Care",
        ["psychiatry", "crisis"],
        "Walk-in psychiatric evaluation and medication bridge.",
        "Insurance; sliding scale",
        False,
    ),
    (
        "New Dawn Intensive Outpatient Program",
        ["psychiatry", "substance_use"],
        "IOP three evenings a week for co-occurring disorders.",
        "Insurance",
        True,
    ),
    (
        "Second Step Recovery Services",
        ["substance_use"],
        "Outpatient SUD treatment and medication for opioid use disorder.",
        "Insurance; sliding scale",
        True,
    ),
    (
        "Clear Path Detox Unit",
        ["substance_use", "medical"],
        "Medically supervised withdrawal management.",
        "Insurance",
        False,
    ),
    (
        "Tuesday Night Recovery Circle",
        ["substance_use", "support_groups"],
        "Peer-led recovery support group.",
        "Free",
        True,
    ),
    (
        "Grief Share of the Valley",
        ["support_groups"],
        "Eight-week grief support group.",
        "Free",
        True,
    ),
    (
        "Parents Together Group",
        ["support_groups", "youth"],
        "Support group for parents of teens in treatment.",
        "Free",
        True,
    ),
    (
        "Safe Harbor Domestic Violence Services",
        ["domestic_violence", "crisis", "housing"],
        "24-hour hotline, safety planning and confidential shelter.",
        "Free",
        False,
    ),
    (
        "Rainbow Bridge Community Center",
        ["lgbtq", "support_groups", "youth"],
        "Drop-in center, peer groups and affirming provider list.",
        "Free",
        True,
    ),
    (
        "Trans Wellness Collective",
        ["lgbtq", "medical"],
        "Gender-affirming primary care navigation.",
        "Sliding scale",
        True,
    ),
    (
        "Teen Line Text Support",
        ["youth", "crisis"],
        "Peer text support for teens, evenings.",
        "Free",
        True,
    ),
    (
        "Boys and Girls Mentoring Program",
        ["youth"],
        "After-school mentoring, ages 8 to 17.",
        "Free",
        False,
    ),
    (
        "Silver Years Senior Services",
        ["older_adults"],
        "Caregiver respite, meals on wheels and benefits counseling.",
        "Free",
        False,
    ),
    (
        "Memory Care Caregiver Group",
        ["older_adults", "support_groups"],
        "Monthly group for caregivers of people with dementia.",
        "Free",
        True,
    ),
    (
        "Veterans Resource Center",
        ["veterans", "employment"],
        "Benefits navigation and peer mentors for veterans.",
        "Free",
        True,
    ),
    (
        "Home Front Veterans Housing",
        ["veterans", "housing"],
        "Transitional housing for veterans.",
        "Free",
        False,
    ),
    (
        "Access Ability Center",
        ["disability", "employment"],
        "Independent living skills and vocational rehabilitation.",
        "Free",
        True,
    ),
    (
        "Welcome Neighbors Refugee Services",
        ["immigrants", "legal"],
        "Resettlement case management and immigration legal clinic.",
        "Free",
        False,
    ),
)


def _synthetic_npi(rng: random.Random) -> str:
    """A ten-digit number starting 19 that passes the NPI check digit (not a real NPI)."""
    while True:
        base = "19" + "".join(str(rng.randrange(10)) for _ in range(7))
        for check in range(10):
            candidate = f"{base}{check}"
            if npi_is_valid(candidate):
                return candidate


def _resources(organization: Organization) -> list[Any]:
    with NATIONAL_RESOURCES.open(encoding="utf-8") as handle:
        national = yaml.safe_load(handle)["resources"]
    created = []
    for entry in national:
        fields = {key: value for key, value in entry.items() if key != "categories"}
        created.append(
            services.resource_create(
                organization=organization,
                actor=None,
                categories=entry["categories"],
                **fields,
            )
        )
    city = "Riverbend" if organization.state == "TX" else "Cedar Valley"
    for index, (name, categories, what, cost, telehealth) in enumerate(LOCAL_RESOURCES):
        created.append(
            services.resource_create(
                organization=organization,
                actor=None,
                categories=categories,
                name=f"{name} (demo)",
                services=what,
                eligibility="Residents of the county; fictional listing for the demo",
                languages="English, Spanish" if index % 3 == 0 else "English",
                cost=cost,
                hours="Mon-Fri 9:00-17:00" if index % 2 else "24/7",
                address=f"{100 + index * 7} Demo Street",
                city=city,
                state=organization.state,
                offers_telehealth=telehealth,
                phone=f"555-01{index % 100:02d}",
                source="Fictional demo entry",
            )
        )
    return created


def _consent(
    client: Client, actor: User, provider: ExternalProvider | None, **fields: Any
) -> Consent:
    values: dict[str, Any] = {
        "signer": Consent.Signer.CLIENT,
        "signer_name": client.legal_name,
        "recipient_kind": Consent.RecipientKind.PROVIDER
        if provider
        else Consent.RecipientKind.ORGANIZATION,
        "provider": provider,
        "recipient_name": "",
        "direction": Consent.Direction.BOTH,
        "purpose": "Coordination of care",
        "expires_on": None,
        "expiry_event": "",
        "signature_method": Consent.SignatureMethod.TYPED,
        "typed_signature": client.legal_name,
    }
    values.update(fields)
    values.setdefault("signed_on", values["effective_on"])
    return services.consent_record(client=client, actor=actor, **values)


def _load_organization(organization: Organization, rng: random.Random) -> None:
    today = organization_today(organization)
    clients = list(
        Client.objects.filter(
            organization=organization,
            status=Client.Status.ACTIVE,
            primary_clinician__isnull=False,
        )
        .select_related("primary_clinician")
        .order_by("legal_last_name", "legal_first_name")[:8]
    )
    if not clients:
        return
    owner = clients[0].primary_clinician
    if owner is None:  # excluded by the query; keeps the type checker informed
        return
    providers = [
        services.provider_create(
            organization=organization,
            actor=owner,
            name=name,
            role=role,
            practice=practice,
            npi=_synthetic_npi(rng) if role != ExternalProvider.Role.ATTORNEY else "",
            phone=f"555-01{rng.randrange(100):02d}",
            fax=f"555-01{rng.randrange(100):02d}",
            secure_email=f"{name.split()[-1].lower().strip(',.')}@providers.example",
            address=f"{rng.randrange(100, 999)} Clinic Road, {organization.get_state_display()}",
        )
        for name, role, practice in PROVIDERS
    ]
    psychiatrist, pcp, nurse_practitioner, school, case_manager, _attorney = providers
    resources = _resources(organization)
    housing = [r for r in resources if "Housing" in r.name or "Shelter" in r.name]
    for index, client in enumerate(clients):
        clinician = client.primary_clinician
        if clinician is None:
            continue
        started = today - timedelta(days=120 - index * 5)
        prescriber = psychiatrist if index % 2 == 0 else nurse_practitioner
        for provider, role in ((prescriber, "Medication management"), (pcp, "Primary care")):
            services.external_team_member_add(
                client=client, provider=provider, actor=clinician, role_on_case=role,
                started_on=started,
            )  # fmt: skip
        active = _consent(
            client, clinician, prescriber,
            categories=[
                "demographics", "diagnoses", "treatment_plan", "assessments", "measures",
                "note_summaries",
            ],
            effective_on=today - timedelta(days=90), expires_on=today + timedelta(days=275),
            purpose="Coordination of medication care",
        )  # fmt: skip
        if index == 0:
            _consent(
                client, clinician, pcp, categories=["diagnoses"],
                effective_on=today - timedelta(days=400), expires_on=today - timedelta(days=35),
                purpose="Annual physical coordination",
            )  # fmt: skip
            revoked = _consent(
                client, clinician, school, categories=["demographics", "note_summaries"],
                effective_on=today - timedelta(days=60), expires_on=None,
                expiry_event="End of the school year", purpose="School support plan",
            )  # fmt: skip
            services.consent_revoke(
                consent=revoked, actor=clinician, revoked_on=today - timedelta(days=10),
                received_by=ConsentRevocation.ReceivedBy.IN_WRITING,
            )  # fmt: skip
            part2 = _consent(
                client, clinician, case_manager, categories=["diagnoses", "substance_use"],
                effective_on=today - timedelta(days=30), expires_on=today + timedelta(days=335),
                purpose="Coordination with outpatient SUD treatment",
            )  # fmt: skip
            services.disclosure_release(
                client=client, actor=clinician, recipient_kind=Consent.RecipientKind.PROVIDER,
                provider=case_manager, recipient_name="", categories=part2.categories,
                records_from=today - timedelta(days=90), records_to=today,
                purpose=part2.purpose, delivery=Disclosure.Delivery.SECURE_EMAIL,
            )  # fmt: skip
        if index < 2:
            services.disclosure_release(
                client=client, actor=clinician, recipient_kind=Consent.RecipientKind.PROVIDER,
                provider=prescriber, recipient_name="",
                categories=["diagnoses", "treatment_plan", "measures", "note_summaries"],
                records_from=today - timedelta(days=90), records_to=today,
                purpose=active.purpose, delivery=Disclosure.Delivery.FAX,
            )  # fmt: skip
        if index == 1:
            services.client_copy_release(
                client=client, actor=clinician, delivery=Disclosure.Delivery.PORTAL
            )
        statuses = list(Referral.Status.values)
        status = statuses[index % len(statuses)]
        target = housing[index % len(housing)]
        referral = services.referral_create(
            client=client, actor=clinician, kind=Referral.Kind.COMMUNITY, resource=target,
            provider=None, reason="Unstable housing is getting in the way of treatment.",
            urgency=Referral.Urgency.SOON, consent=None,
            follow_up_on=today + timedelta(days=rng.choice([-6, -2, 5, 12])),
            status=Referral.Status.SENT if status == Referral.Status.CLOSED else status,
        )  # fmt: skip
        if status == Referral.Status.CLOSED:
            services.referral_update(
                referral=referral, actor=clinician, status=Referral.Status.CLOSED,
                follow_up_on=referral.follow_up_on,
                outcome="Client moved into transitional housing; loop closed with the agency.",
            )  # fmt: skip
        if index % 3 == 0:
            services.referral_create(
                client=client, actor=clinician, kind=Referral.Kind.PSYCHIATRY, resource=None,
                provider=psychiatrist, reason="Evaluation for medication; PHQ-9 not improving.",
                urgency=Referral.Urgency.ROUTINE,
                consent=active if prescriber == psychiatrist else None,
                follow_up_on=today - timedelta(days=3), status=Referral.Status.SENT,
            )  # fmt: skip
        services.contact_record(
            client=client, actor=clinician, provider=prescriber, contact_name="",
            method="phone", occurred_on=today - timedelta(days=7 + index), minutes=15,
            summary="Discussed medication response and agreed to share PHQ-9 trend monthly.",
        )  # fmt: skip


def load(organizations: dict[str, Organization]) -> None:
    rng = random.Random(7)  # noqa: S311  (synthetic demo data, not security)
    for name in sorted(organizations):
        _load_organization(organizations[name], rng)
