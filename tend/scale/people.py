"""Step 1: the organization and its people — licensed clinicians (70%), associates (20%,
each with a supervisor), supervisors (10%), plus owner, admins, front desk and billers —
with licences and supervision relationships (each naming the associate's licence path).
Everyone signs in with SEED_PASSWORD."""

from __future__ import annotations

from datetime import timedelta

from tend.accounts.models import ClinicianProfile, Membership, Organization, User
from tend.accounts.services import organization_create, user_create
from tend.clients.demo import FIRST_NAMES, LAST_NAMES
from tend.core.permissions import Role
from tend.licensure.models import License
from tend.scale.run import SeedRun, Staff
from tend.supervision.models import SupervisionRelationship

ORGANIZATION_NAME = "Lakeside Community Mental Health Center"
EMAIL_DOMAIN = "lakeside-cmhc.example"
ORGANIZATION_TIMEZONE = "America/Chicago"
SEED_PASSWORD = "tend-seed-benchmark"  # noqa: S105  (synthetic accounts; documented in README)

# (licence family, licensed title, associate title) as Texas writes them.
_LICENCES = (
    ("counselor", "LPC", "LPC Associate"),
    ("social_work", "LCSW", "LMSW"),
    ("mft", "LMFT", "LMFT Associate"),
    ("psychology", "Psychologist", "Psychological Associate"),
)
# Note modalities a clinician documents in, weighted towards the generic format.
_MODALITIES = ("generic", "generic", "cbt", "cbt", "dbt", "psychodynamic", "solution_focused")
_PROFILE_MODALITIES = {"generic": "person_centered"}


def organization_exists() -> bool:
    return Organization.objects.filter(name=ORGANIZATION_NAME).exists()


def email_for(kind: str, number: int) -> str:
    return f"{kind}{number:04d}@{EMAIL_DOMAIN}"


def seed_people(run: SeedRun) -> None:
    rng = run.rng
    clinical_count = run.profile.clinicians
    supervisors = max(1, clinical_count // 10)
    associates = max(1, clinical_count // 5)
    run.start_step("people", clinical_count * 5)
    owner = user_create(
        email=email_for("owner", 1), display_name="Morgan Lakeside", password=SEED_PASSWORD
    )
    run.organization = organization_create(
        name=ORGANIZATION_NAME,
        kind=Organization.Kind.CMHC,
        state="TX",
        timezone_name=ORGANIZATION_TIMEZONE,
        owner=owner,
    )
    password = owner.password  # one hash for all: hashing is deliberately slow
    counts: list[tuple[str, tuple[Role, ...], int]] = [
        ("admin", (Role.ADMIN,), 2),
        ("frontdesk", (Role.FRONT_DESK,), max(2, clinical_count // 25)),
        ("biller", (Role.BILLER,), max(1, clinical_count // 50)),
        ("supervisor", (Role.CLINICIAN, Role.SUPERVISOR), supervisors),
        ("associate", (Role.ASSOCIATE,), associates),
        ("clinician", (Role.CLINICIAN,), clinical_count - supervisors - associates),
    ]
    roles = [(kind, held) for kind, held, count in counts for _ in range(count)]
    numbers: dict[str, int] = {}
    users = []
    for kind, _ in roles:
        numbers[kind] = numbers.get(kind, 0) + 1
        first, _pronouns = rng.choice(FIRST_NAMES)
        users.append(
            User(
                email=email_for(kind, numbers[kind]),
                display_name=f"{first} {rng.choice(LAST_NAMES)}",
                password=password,
            )
        )
    run.save(User, users)
    run.save(
        Membership,
        (
            Membership(user=user, organization=run.organization, role=role)
            for user, (_, held) in zip(users, roles, strict=True)
            for role in held
        ),
    )
    staff = Staff(owner=owner)
    for user, (kind, _) in zip(users, roles, strict=True):
        if kind == "admin":
            staff.admins.append(user)
        elif kind == "frontdesk":
            staff.front_desk.append(user)
        elif kind == "biller":
            staff.billers.append(user)
        else:
            staff.clinical.append(user)
            staff.modality_of[user.pk] = rng.choice(_MODALITIES)
            if kind == "supervisor":
                staff.supervisors.append(user)
            elif kind == "associate":
                staff.associates.add(user.pk)
    _credentials(run, staff)
    run.staff = staff
    run.finish_step()


def _credentials(run: SeedRun, staff: Staff) -> None:
    rng = run.rng
    profiles: list[ClinicianProfile] = []
    licences: list[License] = []
    relationships: list[SupervisionRelationship] = []
    for index, user in enumerate(staff.clinical):
        family, title, associate_title = _LICENCES[index % len(_LICENCES)]
        is_associate = user.pk in staff.associates
        issued = run.today - timedelta(days=rng.randint(60, 3000))
        modality = staff.modality_of[user.pk]
        profiles.append(
            ClinicianProfile(
                user=user,
                credentials=associate_title if is_associate else title,
                modalities=[_PROFILE_MODALITIES.get(modality, modality)],
                populations=["adults"],
                languages=["English"],
            )
        )
        licences.append(
            License(
                holder=user,
                state="TX",
                family=family,
                title=associate_title if is_associate else title,
                number=f"TX-{user.pk:07d}",
                issued_on=issued,
                expires_on=issued + timedelta(days=730 * (1 + (run.today - issued).days // 730)),
                status=License.Status.ASSOCIATE if is_associate else License.Status.ACTIVE,
            )
        )
        if is_associate:
            supervisor = staff.supervisors[len(relationships) % len(staff.supervisors)]
            staff.supervisor_of[user.pk] = supervisor
            relationships.append(
                SupervisionRelationship(
                    organization=run.organization,
                    supervisor=supervisor,
                    supervisee=user,
                    # The hours count toward the full licence of the associate's registration.
                    path_state="TX",
                    path_family=family,
                    started_on=run.first_monday - timedelta(days=rng.randint(1, 200)),
                )
            )
    run.save(ClinicianProfile, profiles)
    run.save(License, licences)
    run.save(SupervisionRelationship, relationships)
