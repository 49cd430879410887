"""Roles and capabilities: the one table that says who may do what.

Roles live on the membership (a person may hold several in one organization); every
access function asks `has_capability`. Capabilities marked clinical expose client
narrative, so holding any of them makes MFA mandatory.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Practice admin"
    CLINICIAN = "clinician", "Licensed clinician"
    ASSOCIATE = "associate", "Associate (pre-licensure)"
    SUPERVISOR = "supervisor", "Clinical supervisor"
    FRONT_DESK = "front_desk", "Front desk"
    BILLER = "biller", "Biller"
    AUDITOR = "auditor", "Auditor"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"


class Capability(StrEnum):
    # Organization and people
    MANAGE_ORGANIZATION = "manage_organization"
    MANAGE_MEMBERS = "manage_members"
    VIEW_MEMBERS = "view_members"
    # Every client of the organization, outside the clinical narrative (minimum necessary
    # for scheduling and billing). Clinicians see demographics of their own cases through
    # VIEW_CLINICAL instead.
    VIEW_DEMOGRAPHICS = "view_demographics"
    EDIT_DEMOGRAPHICS = "edit_demographics"
    # The client list and client records as such: open the list / a chart at all, and
    # register clients, change status, episodes and case assignment. Which clients, and
    # how much of each, is then decided by the client access door (tend/clients/access.py).
    OPEN_CLIENT_LIST = "open_client_list"
    MANAGE_CLIENT_RECORDS = "manage_client_records"
    VIEW_SCHEDULE = "view_schedule"
    MANAGE_SCHEDULE = "manage_schedule"
    RECORD_CONSENT_FORMS = "record_consent_forms"
    # Clinical record, for clients on the person's caseload (or a supervisee's)
    VIEW_CLINICAL = "view_clinical"
    WRITE_CLINICAL = "write_clinical"
    SUPERVISE = "supervise"
    DISCLOSE_RECORDS = "disclose_records"
    # The organization's treatment-plan library: templates only, never client data, so
    # practice owners and admins curate it alongside the clinicians who use it.
    MANAGE_PLAN_LIBRARY = "manage_plan_library"
    # Money, oversight, careers
    VIEW_BILLING = "view_billing"
    VIEW_AUDIT_TRAIL = "view_audit_trail"
    LOG_LICENSURE_HOURS = "log_licensure_hours"
    POST_JOBS = "post_jobs"

    @property
    def is_clinical(self) -> bool:
        return self in CLINICAL_CAPABILITIES


CLINICAL_CAPABILITIES = frozenset(
    {
        Capability.VIEW_CLINICAL,
        Capability.WRITE_CLINICAL,
        Capability.SUPERVISE,
        Capability.DISCLOSE_RECORDS,
    }
)

_CLINICAL_WORK = {
    Capability.OPEN_CLIENT_LIST,
    Capability.MANAGE_CLIENT_RECORDS,
    Capability.VIEW_SCHEDULE,
    Capability.MANAGE_SCHEDULE,
    Capability.RECORD_CONSENT_FORMS,
    Capability.VIEW_CLINICAL,
    Capability.WRITE_CLINICAL,
    Capability.DISCLOSE_RECORDS,
    Capability.VIEW_MEMBERS,
    Capability.MANAGE_PLAN_LIBRARY,
}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    # Owners and admins run the practice but do not read clinical narrative unless they also
    # hold a clinical role on the case (minimum necessary, 45 CFR 164.502(b)).
    Role.OWNER: frozenset(
        {
            Capability.MANAGE_ORGANIZATION,
            Capability.MANAGE_MEMBERS,
            Capability.VIEW_MEMBERS,
            Capability.OPEN_CLIENT_LIST,
            Capability.MANAGE_CLIENT_RECORDS,
            Capability.VIEW_DEMOGRAPHICS,
            Capability.EDIT_DEMOGRAPHICS,
            Capability.VIEW_SCHEDULE,
            Capability.MANAGE_SCHEDULE,
            Capability.VIEW_BILLING,
            Capability.VIEW_AUDIT_TRAIL,
            Capability.POST_JOBS,
            Capability.MANAGE_PLAN_LIBRARY,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Capability.MANAGE_ORGANIZATION,
            Capability.MANAGE_MEMBERS,
            Capability.VIEW_MEMBERS,
            Capability.OPEN_CLIENT_LIST,
            Capability.MANAGE_CLIENT_RECORDS,
            Capability.VIEW_DEMOGRAPHICS,
            Capability.EDIT_DEMOGRAPHICS,
            Capability.VIEW_SCHEDULE,
            Capability.MANAGE_SCHEDULE,
            Capability.RECORD_CONSENT_FORMS,
            Capability.POST_JOBS,
            Capability.MANAGE_PLAN_LIBRARY,
        }
    ),
    Role.CLINICIAN: frozenset(_CLINICAL_WORK),
    Role.ASSOCIATE: frozenset(_CLINICAL_WORK | {Capability.LOG_LICENSURE_HOURS}),
    Role.SUPERVISOR: frozenset(_CLINICAL_WORK | {Capability.SUPERVISE}),
    Role.FRONT_DESK: frozenset(
        {
            Capability.VIEW_MEMBERS,
            Capability.OPEN_CLIENT_LIST,
            Capability.MANAGE_CLIENT_RECORDS,
            Capability.VIEW_DEMOGRAPHICS,
            Capability.EDIT_DEMOGRAPHICS,
            Capability.VIEW_SCHEDULE,
            Capability.MANAGE_SCHEDULE,
            Capability.RECORD_CONSENT_FORMS,
        }
    ),
    Role.BILLER: frozenset(
        {
            Capability.OPEN_CLIENT_LIST,
            Capability.VIEW_DEMOGRAPHICS,
            Capability.VIEW_SCHEDULE,
            Capability.VIEW_BILLING,
        }
    ),
    Role.AUDITOR: frozenset({Capability.VIEW_AUDIT_TRAIL, Capability.VIEW_MEMBERS}),
    Role.HIRING_MANAGER: frozenset({Capability.POST_JOBS}),
}


def capabilities_for(roles: Iterable[str]) -> frozenset[Capability]:
    """The union of the capabilities of the given roles."""
    return _capabilities_of(frozenset(roles))


@functools.cache
def _capabilities_of(roles: frozenset[str]) -> frozenset[Capability]:
    # Asked hundreds of times per page (every `can` in templates and views); the role
    # table is fixed at import, so the answer per set of roles never changes.
    granted: set[Capability] = set()
    for role in roles:
        granted |= ROLE_CAPABILITIES[Role(role)]
    return frozenset(granted)


def roles_need_mfa(roles: Iterable[str]) -> bool:
    """Whether holding these roles means reading clinical data, so MFA is required."""
    return bool(capabilities_for(roles) & CLINICAL_CAPABILITIES)
