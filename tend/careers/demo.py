"""Demo job board: 320 synthetic postings across the 15 states of the requirement data and
every setting, owned by the demo organizations and a few synthetic employers; some expired,
some re-confirmed; a few applications. Deterministic (seeded)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.accounts.services import organization_create, user_create
from tend.careers.alerts import saved_search_create
from tend.careers.models import JobPosting, PayBasis, Setting, WorkArrangement
from tend.careers.services import (
    PostingData,
    application_move,
    application_submit,
    posting_create,
    posting_reconfirm,
)
from tend.core import vocabulary
from tend.licensure import requirements

POSTING_COUNT = 320

# Synthetic employers (not real organizations): name, kind, state, timezone.
_EMPLOYERS = (
    ("Bluebonnet Telehealth Collective", "telehealth", "TX", "America/Chicago"),
    ("Harborlight Behavioral Hospital", "hospital", "FL", "America/New_York"),
    ("Prairie Wind Community Services", "cmhc", "IL", "America/Chicago"),
    ("Evergreen Schools Wellness Network", "school", "WA", "America/Los_Angeles"),
    ("Keystone Family Therapy Group", "group_practice", "PA", "America/New_York"),
    ("Sonoran Counseling Partners", "private_practice", "AZ", "America/Phoenix"),
)

_CITIES = {
    "CA": "Sacramento", "TX": "Austin", "FL": "Tampa", "NY": "Albany", "PA": "Pittsburgh",
    "IL": "Springfield", "OH": "Columbus", "GA": "Savannah", "NC": "Raleigh",
    "MI": "Lansing", "NJ": "Trenton", "VA": "Richmond", "WA": "Spokane", "AZ": "Tucson",
    "MA": "Worcester",
}  # fmt: skip

_TITLES = {
    "counselor": ("Licensed Professional Counselor", "Outpatient Counselor", "Clinical Therapist"),
    "social_work": ("Clinical Social Worker", "Behavioral Health Therapist", "LCSW Therapist"),
    "mft": ("Marriage and Family Therapist", "Couples and Family Therapist", "Family Clinician"),
    "psychology": ("Staff Psychologist", "Clinical Psychologist", "Psychologist, Outpatient"),
}

_SETTING_LINES = {
    Setting.PRIVATE_PRACTICE: "a small private practice with a warm, steady referral base",
    Setting.GROUP_PRACTICE: "a collaborative group practice with weekly case consultation",
    Setting.CMHC: "a community mental health center serving people of every income",
    Setting.HOSPITAL: "a hospital behavioral health service working with medical teams",
    Setting.SCHOOL: "a school-based program seeing students during the school day",
    Setting.TELEHEALTH: "a telehealth platform with flexible scheduling",
    Setting.RESIDENTIAL: "a residential treatment program with a multidisciplinary team",
    Setting.OTHER: "an employee assistance program",
}


def _employers(organizations: dict[str, Organization]) -> list[tuple[Organization, User]]:
    pairs = []
    for organization in organizations.values():
        membership = organization.memberships.filter(role="owner").select_related("user").first()
        if membership is not None:
            pairs.append((organization, membership.user))
    for name, kind, state, tz in _EMPLOYERS:
        slug = name.split()[0].lower()
        owner = user_create(
            email=f"hiring@{slug}.example", display_name=f"{name} hiring", password=None
        )
        pairs.append(
            (
                organization_create(
                    name=name, kind=kind, state=state, timezone_name=tz, owner=owner
                ),
                owner,
            )
        )
    return pairs


def _pay(rng: random.Random, basis: str, family: str) -> dict[str, object]:
    bump = 1.25 if family == "psychology" else 1.0
    if basis == PayBasis.SALARY:
        low = rng.randrange(52, 78) * 1000 * bump
        return {
            "pay_min": Decimal(int(low)),
            "pay_max": Decimal(int(low + rng.choice([6, 10, 14]) * 1000)),
        }
    if basis == PayBasis.HOURLY:
        low = rng.randrange(30, 46) * bump
        return {
            "pay_min": Decimal(int(low)),
            "pay_max": Decimal(int(low) + rng.choice([4, 6, 8])),
            "hours_per_week": rng.choice([20, 30, 40]),
        }
    if basis == PayBasis.PER_SESSION:
        low = rng.randrange(45, 80) * bump
        return {
            "pay_min": Decimal(int(low)),
            "pay_max": Decimal(int(low) + rng.choice([5, 10, 15])),
        }
    low = rng.choice([55, 60, 65])
    return {
        "pay_min": Decimal(low),
        "pay_max": Decimal(low + 5),
        "collected_fee_per_session": Decimal(rng.choice([110, 120, 135, 150])),
    }


def posting_data(rng: random.Random, index: int, state: str, setting: str) -> PostingData:
    """A synthetic posting in `state` and `setting`; `index` varies type and arrangement."""
    families = requirements.LICENSE_FAMILIES
    family = families[rng.randrange(len(families))]
    modalities = [code for code, _ in vocabulary.choices("modalities") if code != "other"]
    populations = [code for code, _ in vocabulary.choices("populations")]
    arrangement = (
        WorkArrangement.REMOTE
        if setting == Setting.TELEHEALTH
        else [WorkArrangement.ON_SITE, WorkArrangement.HYBRID, WorkArrangement.REMOTE][index % 3]
    )
    basis = list(PayBasis)[rng.randrange(4)]
    chosen = rng.sample(modalities, 3)
    accepts_associates = rng.random() < 0.45
    supervision = accepts_associates and rng.random() < 0.8
    extra_states = [state]
    if arrangement == WorkArrangement.REMOTE and index % 4 == 0:
        extra_states.append(rng.choice(requirements.states()))
    title = f"{rng.choice(_TITLES[family])}"
    if "dbt" in chosen:
        title = f"DBT {title}"
    description = (
        f"Join {_SETTING_LINES[Setting(setting)]}. You will carry a caseload of adults and "
        f"families, using {', '.join(vocabulary.label('modalities', c) for c in chosen)}. "
        "Documentation time is protected and notes are completed in session where possible."
    )
    return PostingData(
        title=title,
        description=description,
        setting=setting,
        employment_type=["full_time", "full_time", "part_time", "contract", "per_diem"][index % 5],
        work_arrangement=arrangement,
        city="" if arrangement == WorkArrangement.REMOTE else _CITIES[state],
        location_state=state,
        licensed_states=sorted(set(extra_states)),
        license_families=[family] if index % 6 else [family, "counselor"],
        license_titles="",
        accepts_associates=accepts_associates,
        supervision_provided=supervision,
        supervisor_credential="Board-approved supervisor" if supervision else "",
        supervision_hours_per_week=Decimal(rng.choice([1, 1, 2])) if supervision else None,
        supervision_cost_per_hour=Decimal(0) if supervision else None,
        modalities=chosen,
        populations=rng.sample(populations, 2),
        sessions_per_week=rng.choice([18, 20, 22, 25, 28, 30]),
        working_weeks_per_year=rng.choice([46, 48, 50]),
        benefits="Health, dental, paid time off" if index % 3 else "",
        ce_stipend=rng.choice([None, 500, 750, 1000]),
        malpractice_covered=index % 2 == 0,
        payer_mix=rng.sample(["medicaid", "medicare", "commercial", "self_pay"], 2),
        education_requirements="Master's degree qualifying for licensure"
        if family != "psychology"
        else "Doctoral degree in psychology",
        experience_requirements="New graduates welcome" if accepts_associates else "",
        **_pay(rng, basis, family),  # type: ignore[arg-type]
        pay_basis=basis,
    )


@transaction.atomic
def load(organizations: dict[str, Organization]) -> None:
    rng = random.Random(9)  # noqa: S311  (synthetic demo data, not security)
    today = timezone.localdate()
    employers = _employers(organizations)
    states = requirements.states()
    settings = list(Setting)
    postings: list[JobPosting] = []
    for index in range(POSTING_COUNT):
        organization, owner = employers[index % len(employers)]
        # Most postings are fresh; one in four is 0-75 days old, so older than 30 days
        # means expired unless re-confirmed.
        age = rng.randrange(0, 76) if index % 4 == 0 else rng.randrange(0, 28)
        posted_on = today - timedelta(days=age)
        posting = posting_create(
            organization=organization,
            actor=owner,
            data=posting_data(
                rng, index, states[index % len(states)], settings[index % len(settings)]
            ),
            posted_on=posted_on,
        )
        if 20 < age <= 55 and index % 3 == 0:
            posting_reconfirm(posting=posting, actor=owner, on=today - timedelta(days=age - 20))
        postings.append(posting)
    for organization, owner, data in _featured(employers):
        postings.append(
            posting_create(organization=organization, actor=owner, data=data, posted_on=today)
        )
    _applications(postings)
    _saved_searches()


def _featured(
    employers: list[tuple[Organization, User]],
) -> list[tuple[Organization, User, PostingData]]:
    """A handful of postings the walkthrough relies on (the search "DBT telehealth Texas",
    associate-friendly jobs in Texas and California)."""
    telehealth, telehealth_owner = employers[2]
    base = PostingData(
        title="DBT Therapist (telehealth)",
        description=(
            "Deliver comprehensive DBT by video to adolescents and young adults across Texas: "
            "individual therapy, skills groups and phone coaching, with a weekly consultation team."
        ),
        setting=Setting.TELEHEALTH,
        employment_type="full_time",
        work_arrangement=WorkArrangement.REMOTE,
        location_state="TX",
        licensed_states=["TX"],
        license_families=["counselor", "social_work", "mft"],
        license_titles="LPC, LCSW, LMFT",
        modalities=["dbt", "cbt", "mindfulness"],
        populations=["adolescents", "young_adults"],
        sessions_per_week=24,
        pay_basis=PayBasis.PER_SESSION,
        pay_min=Decimal(62),
        pay_max=Decimal(72),
        working_weeks_per_year=48,
        benefits="Health stipend, paid DBT intensive training",
        ce_stipend=1000,
        malpractice_covered=True,
        payer_mix=["commercial", "self_pay"],
        education_requirements="Master's degree qualifying for licensure",
    )
    associate = replace(
        base,
        title="DBT Associate Therapist (telehealth, supervision provided)",
        accepts_associates=True,
        supervision_provided=True,
        supervisor_credential="LPC-S",
        supervision_hours_per_week=Decimal(1),
        supervision_cost_per_hour=Decimal(0),
        sessions_per_week=20,
        pay_min=Decimal(48),
        pay_max=Decimal(55),
        experience_requirements="New graduates welcome",
    )
    california = replace(
        associate,
        title="Associate Marriage and Family Therapist",
        description="Family and couples work in a community clinic, with weekly supervision.",
        setting=Setting.CMHC,
        work_arrangement=WorkArrangement.HYBRID,
        city="Sacramento",
        location_state="CA",
        licensed_states=["CA"],
        license_families=["mft", "social_work"],
        license_titles="LMFT, AMFT, LCSW, ASW",
        modalities=["family_systems", "emotionally_focused"],
        populations=["couples", "families"],
        supervisor_credential="LMFT",
        pay_basis=PayBasis.HOURLY,
        pay_min=Decimal(34),
        pay_max=Decimal(40),
        hours_per_week=40,
    )
    return [
        (telehealth, telehealth_owner, base),
        (
            telehealth,
            telehealth_owner,
            replace(
                base,
                title="DBT Therapist, evenings (telehealth)",
                employment_type="part_time",
                sessions_per_week=12,
            ),
        ),
        (telehealth, telehealth_owner, associate),
        (employers[-1][0], employers[-1][1], california),
    ]


def _applications(postings: list[JobPosting]) -> None:
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    maya = users.get("maya.okafor@riverbend.example")
    jordan = users.get("jordan.pike@riverbend.example")
    open_texas = [
        posting
        for posting in postings
        if posting.valid_through >= timezone.localdate()
        and " TX " in posting.licensed_states
        and posting.organization.name != "Riverbend Counseling Collective"
    ]
    if maya is not None and open_texas:
        application = application_submit(
            posting=open_texas[0],
            applicant=maya,
            cover_note="I lead CBT and exposure work for anxiety and OCD.",
            share=["degrees", "licenses", "modalities"],
        )
        owner = open_texas[0].organization.memberships.filter(role="owner").first()
        if owner is not None:
            application_move(
                application=application,
                actor=owner.user,
                status="interview",
                note="Strong fit; schedule a video interview.",
            )
    friendly = [posting for posting in open_texas if posting.supervision_provided]
    if jordan is not None and friendly:
        application_submit(
            posting=friendly[0],
            applicant=jordan,
            cover_note="Associate looking for a team with weekly supervision.",
            share=["degrees", "licenses", "modalities", "populations"],
        )


def _saved_searches() -> None:
    searches = {
        "maya.okafor@riverbend.example": [
            ("Telehealth CBT in Texas", "q=cbt&state=TX&remote_or_hybrid=on", True),
            ("Group practices paying $80k+", "setting=group_practice&pay_floor=80000", False),
        ],
        "jordan.pike@riverbend.example": [
            (
                "Texas jobs with supervision I qualify for",
                "state=TX&associate_friendly=on&supervision_provided=on&only_qualifying=on",
                True,
            ),
        ],
    }
    for user in User.objects.filter(email__in=searches):
        for name, query, alerts_enabled in searches[user.email]:
            saved_search_create(owner=user, name=name, query=query, alerts_enabled=alerts_enabled)
