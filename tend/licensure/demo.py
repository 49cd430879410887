"""Demo licences: Texas and California clinicians, associates' registrations, one compact
privilege, one licence close to renewal and one exam attempt. Synthetic numbers."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.licensure.services import compact_privilege_add, exam_attempt_record, license_create

# email -> (state, family, title, status, years since issue, days until expiry)
_LICENSES: tuple[tuple[str, str, str, str, str, int, int], ...] = (
    ("maya.okafor@riverbend.example", "TX", "counselor", "LPC", "active", 14, 45),
    ("maya.okafor@riverbend.example", "FL", "counselor", "LMHC", "active", 6, 500),
    ("luis.ferrante@riverbend.example", "TX", "mft", "LMFT", "active", 10, 420),
    ("renee.castellanos@riverbend.example", "TX", "counselor", "LPC", "active", 17, 300),
    ("renee.castellanos@riverbend.example", "TX", "mft", "LMFT", "active", 15, 610),
    ("jordan.pike@riverbend.example", "TX", "counselor", "LPC Associate", "associate", 2, 520),
    ("priya.raman@riverbend.example", "TX", "counselor", "LPC Associate", "associate", 0, 700),
    ("aisha.bello@cedarvalley.example", "CA", "social_work", "LCSW", "active", 9, 80),
    ("ben.takahashi@cedarvalley.example", "CA", "mft", "LMFT", "active", 7, 390),
    ("elena.marsh@cedarvalley.example", "CA", "mft", "LMFT", "active", 13, 250),
    ("elena.marsh@cedarvalley.example", "CA", "counselor", "LPCC", "active", 8, 250),
    ("carlos.mendoza@cedarvalley.example", "CA", "mft", "AMFT", "associate", 1, 1000),
    ("grace.liu@cedarvalley.example", "CA", "social_work", "ASW", "associate", 1, 900),
)


def load(organizations: dict[str, Organization]) -> None:
    today = timezone.localdate()
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    created = {}
    for index, (email, state, family, title, status, years, days_left) in enumerate(_LICENSES):
        holder = users.get(email)
        if holder is None:
            continue
        created[(email, state, title)] = license_create(
            holder=holder,
            state=state,
            family=family,
            title=title,
            number=f"{state}-{70000 + index * 137}",
            issued_on=today - timedelta(days=365 * years + 30),
            expires_on=today + timedelta(days=days_left),
            status=status,
        )
    maya_florida = created.get(("maya.okafor@riverbend.example", "FL", "LMHC"))
    if maya_florida is not None:
        compact_privilege_add(
            holder=maya_florida.holder,
            home_license=maya_florida,
            compact_code="COUNSELING_COMPACT",
            state="GA",
            expires_on=maya_florida.expires_on,
        )
    jordan = users.get("jordan.pike@riverbend.example")
    if jordan is not None:
        exam_attempt_record(
            candidate=jordan, exam_code="NCE", taken_on=today - timedelta(days=200), result="passed"
        )
