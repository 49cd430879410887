"""Step 7: external providers and community resources; releases of information for one
active client in three (to their psychiatrist or primary care physician); referrals for
one episode in eight, open ones for active clients and closed loops for earlier ones."""

from __future__ import annotations

from datetime import timedelta

from tend.clients.demo import FIRST_NAMES, LAST_NAMES
from tend.coordination.models import (
    CommunityResource,
    CommunityResourceTag,
    Consent,
    ExternalProvider,
    InformationCategory,
    Referral,
    ResourceCategory,
)
from tend.scale.run import SeedRun

_CATEGORIES = [
    InformationCategory.DEMOGRAPHICS,
    InformationCategory.DIAGNOSES,
    InformationCategory.TREATMENT_PLAN,
    InformationCategory.NOTE_SUMMARIES,
]
_OPEN = ("sent", "sent", "scheduled", "completed", "no_response", "draft")


def seed_coordination(run: SeedRun) -> None:
    rng = run.rng
    organization = run.organization
    run.start_step("coordination", len(run.episodes) // 2)
    providers = run.save(
        ExternalProvider,
        (
            ExternalProvider(
                organization=organization,
                name=f"Dr. {rng.choice(FIRST_NAMES)[0]} {rng.choice(LAST_NAMES)}",
                role=rng.choice((ExternalProvider.Role.PSYCHIATRIST, "primary_care")),
                practice="Hill Country Medical Group",
                phone=f"512-555-{index:04d}",
            )
            for index in range(max(5, len(run.staff.clinical) // 2))
        ),
    )
    categories = list(ResourceCategory)
    resources = run.save(
        CommunityResource,
        (
            CommunityResource(
                organization=organization,
                name=f"{category.label} help line {index + 1}",
                services=f"Free {category.label.lower()} support for residents of the county.",
                city="San Marcos",
                state="TX",
                phone=f"512-555-{2000 + index:04d}",
            )
            for index, category in enumerate(categories * 3)
        ),
    )
    run.save(
        CommunityResourceTag,
        (
            CommunityResourceTag(resource=resource, category=categories[index % len(categories)])
            for index, resource in enumerate(resources)
        ),
    )
    consents = []
    referrals = []
    for plan in run.episodes:
        admitted = run.day_of(plan.first_week, plan.weekday)
        if plan.active and rng.random() < 1 / 3:
            consents.append(
                Consent(
                    client=plan.client,
                    signer_name=plan.client.legal_name,
                    recipient_kind=Consent.RecipientKind.PROVIDER,
                    provider=rng.choice(providers),
                    direction=Consent.Direction.BOTH,
                    categories=rng.sample(_CATEGORIES, rng.randint(1, 4)),
                    purpose="Coordination of care",
                    effective_on=admitted,
                    expires_on=admitted + timedelta(days=365),
                    signature_method=Consent.SignatureMethod.TYPED,
                    typed_signature=plan.client.legal_name,
                    signed_on=admitted,
                    recorded_by=plan.clinician,
                )
            )
        if rng.random() < 1 / 8:
            to_provider = rng.random() < 0.3
            closed = not plan.active
            referrals.append(
                Referral(
                    client=plan.client,
                    resource=None if to_provider else rng.choice(resources),
                    provider=rng.choice(providers) if to_provider else None,
                    kind=Referral.Kind.PSYCHIATRY if to_provider else Referral.Kind.COMMUNITY,
                    reason="Needs support beyond weekly therapy.",
                    urgency=rng.choice(Referral.Urgency.values),
                    status="closed" if closed else rng.choice(_OPEN),
                    follow_up_on=admitted + timedelta(days=21),
                    outcome="Client connected with the service." if closed else "",
                    referred_by=plan.clinician,
                    closed_on=admitted + timedelta(days=30) if closed else None,
                )
            )
    run.save(Consent, consents)
    run.save(Referral, referrals)
    run.finish_step()
