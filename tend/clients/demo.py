"""Demo clients: about forty synthetic people per organization, none of them real.

Names are drawn from fixed lists of common US given names and surnames and paired at
random; phone numbers use the 555-01xx range reserved for fiction; emails use example.com.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.clients import services
from tend.clients.models import CareTeamMember, CaseGroup, CaseGroupMember, Client
from tend.core.permissions import Role
from tend.demo.people import DEMO_ORGANIZATIONS, DemoOrganization
from tend.supervision.services import supervision_relationship_start

FIRST_NAMES = (
    ("Aaliyah", "she/her"), ("Marcus", "he/him"), ("Sofia", "she/her"), ("Dmitri", "he/him"),
    ("Keisha", "she/her"), ("Hiroshi", "he/him"), ("Lucia", "she/her"), ("Tariq", "he/him"),
    ("Emily", "she/her"), ("Jamal", "he/him"), ("Mei", "she/her"), ("Rafael", "he/him"),
    ("Nadia", "she/her"), ("Connor", "he/him"), ("Priscilla", "she/her"), ("Andre", "he/him"),
    ("Thuy", "she/her"), ("Gabriel", "he/him"), ("Fatima", "she/her"), ("Wyatt", "he/him"),
    ("Imani", "she/her"), ("Diego", "he/him"), ("Hannah", "she/her"), ("Kwame", "he/him"),
    ("Rosa", "she/her"), ("Ethan", "he/him"), ("Yasmin", "she/her"), ("Tyrell", "he/him"),
    ("Grace", "she/her"), ("Mateo", "he/him"), ("Alex", "they/them"), ("River", "they/them"),
    ("Sky", "they/them"), ("Jordan", "they/them"), ("Noor", "she/her"), ("Samuel", "he/him"),
    ("Leilani", "she/her"), ("Omar", "he/him"), ("Brianna", "she/her"), ("Kai", "he/him"),
    ("Elena", "she/her"), ("Malik", "he/him"), ("Ana", "she/her"), ("Trevor", "he/him"),
)  # fmt: skip

LAST_NAMES = (
    "Alvarez", "Bennett", "Chen", "Delgado", "Ellison", "Fujimoto", "Garrido", "Haddad",
    "Ibarra", "Jefferson", "Kowalski", "Lindqvist", "Mbeki", "Nakamura", "Okonkwo", "Pereira",
    "Quintero", "Ramirez", "Sandoval", "Tran", "Underwood", "Vasquez", "Whitaker", "Xiong",
    "Yazzie", "Zielinski", "Abernathy", "Baptiste", "Castillo", "Dawson", "Esposito", "Farouk",
    "Gallagher", "Huang", "Iverson", "Jaramillo", "Kaur", "Larkin", "Moreau", "Novak",
    "Oyelaran", "Petrov", "Rosales", "Sato", "Thibodeaux", "Valdez",
)  # fmt: skip

REFERRAL_SOURCES = (
    "Self-referred via website", "Primary care physician", "Employee assistance program",
    "School counselor", "Psychiatrist", "Former client", "Hospital discharge planner",
    "Insurance directory", "Friend or family member", "Court-ordered (family court)",
)  # fmt: skip

PRESENTING_CONCERNS = (
    "Reports persistent low mood, anhedonia and early waking for about three months after a "
    "job loss; denies SI. Seeking help to get back into a routine.",
    "Describes daily worry about work performance and health, muscle tension and trouble "
    "falling asleep; avoids driving on highways since a minor accident last spring.",
    "Panic attacks two to three times a week, mostly in crowded stores; has started "
    "ordering groceries online to avoid them.",
    "Grief after the death of a parent eight months ago; difficulty concentrating and "
    "withdrawing from friends. Would like space to talk and to sleep better.",
    "Referred after a brief ED visit for a panic episode; medical workup negative. Wants "
    "skills to manage physical symptoms of anxiety.",
    "Parent reports school refusal, irritability and frequent stomachaches on weekday "
    "mornings since the start of the school year.",
    "Intrusive memories and nightmares following a car accident last year; startles easily "
    "and avoids the intersection where it happened.",
    "Relationship conflict with partner, escalating arguments about finances and "
    "household roles; both want to stay together and communicate better.",
    "Cutting back on alcohol after a DUI; drinking had increased to most evenings. "
    "Motivated to understand what drives the urge to drink.",
    "Adjustment difficulties after relocating for graduate school; loneliness, tearfulness "
    "and falling behind on coursework.",
    "Long-standing pattern of intense, short relationships and fear of abandonment; "
    "past self-harm (none in two years). Interested in DBT skills.",
    "Checking and reassurance-seeking rituals taking up to two hours a day; recognizes "
    "the thoughts as excessive but feels unable to stop.",
    "Postpartum: low mood, guilt and exhaustion four months after the birth of her second "
    "child; supportive partner; OB recommended counseling.",
    "Stress and burnout as a family caregiver for a parent with dementia; irritability, "
    "poor sleep and little time for self.",
)

DISCHARGES = (
    (
        "Treatment goals met",
        "Met goals on the treatment plan; PHQ-9 down from moderate to minimal range over "
        "twelve sessions. Relapse-prevention plan reviewed; client knows how to return.",
    ),
    (
        "Client moved out of state",
        "Relocated for work after eight sessions with partial progress; provided referrals "
        "to three in-network therapists near the new address.",
    ),
    (
        "Transferred to a higher level of care",
        "Symptoms escalated despite weekly sessions; coordinated transfer to an intensive "
        "outpatient program with the client's consent.",
    ),
    (
        "Client stopped attending",
        "No response after two missed sessions and three outreach attempts over four "
        "weeks; closing letter sent with crisis resources and an invitation to return.",
    ),
)

GUARDIAN_RELATIONSHIPS = ("Mother", "Father", "Grandmother", "Legal guardian (aunt)")

LANGUAGES = (
    ("Spanish", True), ("Spanish", False), ("Vietnamese", True), ("Mandarin", True),
    ("Arabic", True), ("American Sign Language", True),
)  # fmt: skip

STREETS = ("Oak", "Cypress", "Juniper", "Mesquite", "Magnolia", "Sycamore", "Willow", "Pecan")

CITIES = {"TX": ("San Marcos", "78666", "512"), "CA": ("Fresno", "93721", "559")}

NICKNAMES = {
    "Gabriel": "Gabe", "Samuel": "Sam", "Elena": "Lena", "Priscilla": "Cilla",
    "Dmitri": "Dima", "Tyrell": "Ty", "Brianna": "Bri", "Trevor": "Trev",
}  # fmt: skip


@dataclass(frozen=True)
class DemoStaff:
    front_desk: User
    clinicians: list[User]
    supervisors: list[User]
    associates: list[User]


def _staff(spec: DemoOrganization) -> DemoStaff:
    by_email = {user.email: user for user in User.objects.filter(
        email__in=[person.email for person in spec.people]
    )}  # fmt: skip

    def with_role(role: Role) -> list[User]:
        return [by_email[p.email] for p in spec.people if role in p.roles]

    desk = with_role(Role.FRONT_DESK) or with_role(Role.OWNER)
    clinicians = [
        by_email[p.email]
        for p in spec.people
        if {Role.CLINICIAN, Role.ASSOCIATE, Role.SUPERVISOR} & set(p.roles)
    ]
    return DemoStaff(
        front_desk=desk[0],
        clinicians=clinicians,
        supervisors=with_role(Role.SUPERVISOR),
        associates=with_role(Role.ASSOCIATE),
    )


def _birth_date(rng: random.Random, today: date, *, minimum: int, maximum: int) -> date:
    return today - timedelta(days=rng.randint(minimum * 365 + 30, maximum * 365 + 300))


def _phone(area_code: str, index: int) -> str:
    return f"({area_code}) 555-01{index % 100:02d}"


def _create(
    rng: random.Random,
    organization: Organization,
    staff: DemoStaff,
    *,
    index: int,
    first: tuple[str, str],
    last: str,
    born: date,
    status: str,
    clinician: User,
    guardian: str = "",
) -> Client:
    language, interpreter = rng.choice(LANGUAGES) if rng.random() < 0.2 else ("English", False)
    city, postal_code, area = CITIES.get(organization.state, ("Springfield", "62701", "217"))
    first_name, pronouns = first
    nickname = NICKNAMES.get(first_name, "") if rng.random() < 0.7 else ""
    client = services.client_create(
        organization=organization,
        actor=staff.front_desk,
        # Active and discharged clients come in as inquiries; the episode moves them on.
        status=Client.Status.WAITLIST if status == Client.Status.WAITLIST else "inquiry",
        primary_clinician=clinician if status != Client.Status.INQUIRY else None,
        legal_first_name=first_name,
        legal_last_name=last,
        preferred_name=nickname,
        date_of_birth=born,
        pronouns=pronouns,
        phone=_phone(area, index),
        email=f"{first_name.lower()}.{last.lower()}@example.com",
        address_line1=f"{100 + index * 7} {rng.choice(STREETS)} St",
        city=city,
        state=organization.state,
        postal_code=postal_code,
        preferred_language=language,
        interpreter_needed=interpreter,
        emergency_contact_name=guardian or f"{rng.choice(FIRST_NAMES)[0]} {last}",
        emergency_contact_relationship=rng.choice(("Spouse", "Sibling", "Parent", "Friend")),
        emergency_contact_phone=_phone(area, index + 50),
        guardian_name=guardian,
        guardian_relationship=rng.choice(GUARDIAN_RELATIONSHIPS) if guardian else "",
        guardian_phone=_phone(area, index + 25) if guardian else "",
    )
    today = timezone.localdate()
    if status in {Client.Status.ACTIVE, Client.Status.DISCHARGED}:
        admitted = today - timedelta(
            days=rng.randint(120, 400) if status == "discharged" else rng.randint(14, 300)
        )
        episode = services.episode_open(
            client=client,
            actor=clinician,
            admission_date=max(admitted, born + timedelta(days=365)),
            referral_source=rng.choice(REFERRAL_SOURCES),
            presenting_concern=rng.choice(PRESENTING_CONCERNS),
        )
        if status == Client.Status.DISCHARGED:
            reason, summary = rng.choice(DISCHARGES)
            services.episode_discharge(
                episode=episode,
                actor=clinician,
                discharge_date=episode.admission_date + timedelta(days=rng.randint(40, 110)),
                discharge_reason=reason,
                discharge_summary=summary,
            )
    return client


def _statuses(rng: random.Random) -> list[str]:
    """Statuses of the individual clients (the five couple and family members are active)."""
    statuses = ["active"] * 24 + ["inquiry"] * 4 + ["waitlist"] * 4 + ["discharged"] * 3
    rng.shuffle(statuses)
    return statuses


@transaction.atomic
def _load_organization(organization: Organization, spec: DemoOrganization, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  (synthetic demo data, not security)
    staff = _staff(spec)
    today = timezone.localdate()
    owner = User.objects.get(email=spec.people[0].email)
    for supervisor in staff.supervisors:
        for associate in staff.associates:
            supervision_relationship_start(
                organization=organization,
                actor=owner,
                supervisor=supervisor,
                supervisee=associate,
                started_on=today - timedelta(days=rng.randint(60, 400)),
            )
    firsts = list(FIRST_NAMES)
    lasts = list(LAST_NAMES)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    clients: list[Client] = []
    # Six individual clients are minors, with a guardian on record.
    for index, status in enumerate(_statuses(rng)):
        is_minor = index % 6 == 0
        born = (
            _birth_date(rng, today, minimum=8, maximum=17)
            if is_minor
            else _birth_date(rng, today, minimum=19, maximum=74)
        )
        last = lasts[index % len(lasts)]
        clients.append(
            _create(
                rng,
                organization,
                staff,
                index=index,
                first=firsts[index % len(firsts)],
                last=last,
                born=born,
                status=status,
                clinician=staff.clinicians[index % len(staff.clinicians)],
                guardian=f"{rng.choice(FIRST_NAMES)[0]} {last}" if is_minor else "",
            )
        )
    _load_groups(rng, organization, staff, firsts, lasts, start=len(clients))


def _load_groups(
    rng: random.Random,
    organization: Organization,
    staff: DemoStaff,
    firsts: list[tuple[str, str]],
    lasts: list[str],
    *,
    start: int,
) -> None:
    """One couple and one family (parent and two children), each member with a chart."""
    today = timezone.localdate()
    therapist = staff.clinicians[1 % len(staff.clinicians)]
    co_therapist = staff.associates[0] if staff.associates else therapist
    couple_last = lasts[start % len(lasts)]
    family_last = lasts[(start + 1) % len(lasts)]
    people = [
        ("couple", couple_last, firsts[-1], _birth_date(rng, today, minimum=30, maximum=45),
         CaseGroupMember.Role.PARTNER, ""),
        ("couple", couple_last, firsts[-2], _birth_date(rng, today, minimum=30, maximum=45),
         CaseGroupMember.Role.PARTNER, ""),
        ("family", family_last, firsts[-3], _birth_date(rng, today, minimum=38, maximum=50),
         CaseGroupMember.Role.PARENT, ""),
        ("family", family_last, firsts[-4], _birth_date(rng, today, minimum=12, maximum=15),
         CaseGroupMember.Role.CHILD, f"{firsts[-3][0]} {family_last}"),
        ("family", family_last, firsts[-5], _birth_date(rng, today, minimum=8, maximum=11),
         CaseGroupMember.Role.CHILD, f"{firsts[-3][0]} {family_last}"),
    ]  # fmt: skip
    groups: dict[str, CaseGroup] = {}
    for offset, (kind, last, first, born, role, guardian) in enumerate(people):
        client = _create(
            rng,
            organization,
            staff,
            index=start + offset,
            first=first,
            last=last,
            born=born,
            status=Client.Status.ACTIVE,
            clinician=therapist,
            guardian=guardian,
        )
        if kind not in groups:
            groups[kind] = services.case_group_create(
                organization=organization,
                actor=therapist,
                kind=kind,
                name=f"{last} {'couple' if kind == 'couple' else 'family'}",
                first_member=client,
                role=role,
            )
        else:
            services.case_group_member_add(
                group=groups[kind], actor=therapist, client=client, role=role
            )
        if kind == "family" and co_therapist != therapist:
            services.care_team_member_add(
                client=client,
                actor=therapist,
                user=co_therapist,
                role=CareTeamMember.Role.CO_THERAPIST,
                started_on=today - timedelta(days=10),
            )


def load(organizations: dict[str, Organization]) -> None:
    for seed, spec in enumerate(DEMO_ORGANIZATIONS, start=1):
        _load_organization(organizations[spec.name], spec, seed)
