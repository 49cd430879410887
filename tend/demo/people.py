"""Demo organizations and their people (synthetic names, example.org-style addresses)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from tend.accounts import services
from tend.accounts.models import Organization, User
from tend.core.permissions import Role

DEMO_PASSWORD = "tend-demo-walkthrough"  # noqa: S105  (printed to the person running the demo)


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    roles: tuple[Role, ...]
    credentials: str = ""
    modalities: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("English",)
    degree: tuple[str, str, str, int] | None = None
    bio: str = ""


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    kind: str
    state: str
    timezone: str
    people: tuple[DemoPerson, ...]


DEMO_ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        name="Riverbend Counseling Collective",
        kind=Organization.Kind.GROUP_PRACTICE,
        state="TX",
        timezone="America/Chicago",
        people=(
            DemoPerson("Dana Whitfield", "owner@riverbend.example", (Role.OWNER,)),
            DemoPerson(
                "Dr. Maya Okafor",
                "maya.okafor@riverbend.example",
                (Role.CLINICIAN,),
                credentials="LPC-S",
                modalities=("cbt", "act", "exposure"),
                populations=("adults", "young_adults"),
                languages=("English", "Igbo"),
                degree=("MA", "Clinical Mental Health Counseling", "Texas State University", 2011),
                bio="Anxiety, OCD and panic; CBT with exposure and response prevention.",
            ),
            DemoPerson(
                "Luis Ferrante",
                "luis.ferrante@riverbend.example",
                (Role.CLINICIAN,),
                credentials="LMFT",
                modalities=("emotionally_focused", "family_systems", "gottman"),
                populations=("couples", "families"),
                languages=("English", "Spanish"),
                degree=("MS", "Marriage and Family Therapy", "St. Mary's University", 2014),
                bio="Couples and family therapy, bilingual sessions.",
            ),
            DemoPerson(
                "Dr. Renee Castellanos",
                "renee.castellanos@riverbend.example",
                (Role.CLINICIAN, Role.SUPERVISOR),
                credentials="LPC-S, LMFT-S",
                modalities=("dbt", "cbt", "psychodynamic"),
                populations=("adolescents", "adults"),
                degree=(
                    "PhD",
                    "Counselor Education and Supervision",
                    "University of North Texas",
                    2008,
                ),
                bio="DBT team lead and clinical supervisor for associates.",
            ),
            DemoPerson(
                "Jordan Pike",
                "jordan.pike@riverbend.example",
                (Role.ASSOCIATE,),
                credentials="LPC Associate",
                modalities=("cbt", "solution_focused"),
                populations=("adults", "lgbtq"),
                degree=("MA", "Counseling", "Texas State University", 2024),
            ),
            DemoPerson(
                "Priya Raman",
                "priya.raman@riverbend.example",
                (Role.ASSOCIATE,),
                credentials="LPC Associate",
                modalities=("dbt", "mindfulness"),
                populations=("adolescents", "young_adults"),
                languages=("English", "Tamil"),
                degree=("MEd", "Clinical Mental Health Counseling", "Texas A&M University", 2025),
            ),
            DemoPerson("Sam Holloway", "frontdesk@riverbend.example", (Role.FRONT_DESK,)),
            DemoPerson("Terri Vance", "billing@riverbend.example", (Role.BILLER,)),
        ),
    ),
    DemoOrganization(
        name="Cedar Valley Community Mental Health Center",
        kind=Organization.Kind.CMHC,
        state="CA",
        timezone="America/Los_Angeles",
        people=(
            DemoPerson("Harold Nguyen", "owner@cedarvalley.example", (Role.OWNER, Role.ADMIN)),
            DemoPerson(
                "Aisha Bello",
                "aisha.bello@cedarvalley.example",
                (Role.CLINICIAN,),
                credentials="LCSW",
                modalities=("tf_cbt", "motivational_interviewing"),
                populations=("serious_mental_illness", "substance_use", "adults"),
                degree=("MSW", "Social Work", "San Jose State University", 2013),
                bio="Co-occurring disorders and community case coordination.",
            ),
            DemoPerson(
                "Ben Takahashi",
                "ben.takahashi@cedarvalley.example",
                (Role.CLINICIAN,),
                credentials="LMFT",
                modalities=("play_therapy", "family_systems"),
                populations=("children", "families"),
                languages=("English", "Japanese"),
                degree=("MA", "Marriage and Family Therapy", "Santa Clara University", 2016),
            ),
            DemoPerson(
                "Dr. Elena Marsh",
                "elena.marsh@cedarvalley.example",
                (Role.CLINICIAN, Role.SUPERVISOR),
                credentials="LMFT, LPCC",
                modalities=("cpt", "emdr", "cbt"),
                populations=("trauma_survivors", "veterans"),
                degree=("PsyD", "Clinical Psychology", "Alliant International University", 2010),
                bio="Trauma-focused care; supervises AMFT and ACSW associates.",
            ),
            DemoPerson(
                "Carlos Mendoza",
                "carlos.mendoza@cedarvalley.example",
                (Role.ASSOCIATE,),
                credentials="AMFT",
                modalities=("family_systems", "narrative"),
                populations=("families", "adolescents"),
                languages=("English", "Spanish"),
                degree=("MA", "Marriage and Family Therapy", "Fresno Pacific University", 2025),
            ),
            DemoPerson(
                "Grace Liu",
                "grace.liu@cedarvalley.example",
                (Role.ASSOCIATE,),
                credentials="ACSW",
                modalities=("cbt", "behavioral_activation"),
                populations=("older_adults", "adults"),
                languages=("English", "Mandarin"),
                degree=("MSW", "Social Work", "San Francisco State University", 2024),
            ),
            DemoPerson("Rosa Delgado", "frontdesk@cedarvalley.example", (Role.FRONT_DESK,)),
            DemoPerson("Marcus Reid", "billing@cedarvalley.example", (Role.BILLER,)),
        ),
    ),
)


def _user_for(person: DemoPerson) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is not None:
        return user
    user = services.user_create(email=person.email, display_name=person.name, password=None)
    # The demo password is printed for the walkthrough; set directly, it skips the
    # strength validators on purpose only here.
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    if person.credentials or person.degree:
        services.clinician_profile_update(
            user=user,
            display_name=person.name,
            npi="",
            credentials=person.credentials,
            modalities=list(person.modalities),
            populations=list(person.populations),
            languages=list(person.languages),
            bio=person.bio,
        )
    if person.degree:
        kind, field, school, year = person.degree
        services.degree_add(user=user, kind=kind, field_of_study=field, school=school, year=year)
    return user


@transaction.atomic
def create_demo_people() -> dict[str, Organization]:
    """Create the demo organizations and people; returns organizations by name."""
    organizations: dict[str, Organization] = {}
    for spec in DEMO_ORGANIZATIONS:
        owner_spec = spec.people[0]
        owner = _user_for(owner_spec)
        organization = services.organization_create(
            name=spec.name,
            kind=spec.kind,
            state=spec.state,
            timezone_name=spec.timezone,
            owner=owner,
        )
        services.membership_roles_set(
            organization=organization, user=owner, roles=owner_spec.roles, actor=owner
        )
        for person in spec.people[1:]:
            services.membership_roles_set(
                organization=organization,
                user=_user_for(person),
                roles=person.roles,
                actor=owner,
            )
        organizations[spec.name] = organization
    return organizations
