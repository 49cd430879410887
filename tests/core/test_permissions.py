from __future__ import annotations

from tend.core.permissions import (
    CLINICAL_CAPABILITIES,
    ROLE_CAPABILITIES,
    Capability,
    Role,
    capabilities_for,
    roles_need_mfa,
)


def test_every_role_has_a_capability_set() -> None:
    assert set(ROLE_CAPABILITIES) == set(Role)


def test_clinical_capabilities_are_marked() -> None:
    assert {c for c in Capability if c.is_clinical} == {
        Capability.VIEW_CLINICAL,
        Capability.WRITE_CLINICAL,
        Capability.SUPERVISE,
        Capability.DISCLOSE_RECORDS,
    }
    assert frozenset(c for c in Capability if c.is_clinical) == CLINICAL_CAPABILITIES


def test_front_desk_billing_owner_admin_and_auditor_cannot_read_clinical_narrative() -> None:
    for role in (
        Role.FRONT_DESK,
        Role.BILLER,
        Role.OWNER,
        Role.ADMIN,
        Role.AUDITOR,
        Role.HIRING_MANAGER,
    ):
        assert not capabilities_for([role]) & CLINICAL_CAPABILITIES, role


def test_clinical_roles_read_and_write_the_record() -> None:
    for role in (Role.CLINICIAN, Role.ASSOCIATE, Role.SUPERVISOR):
        granted = capabilities_for([role])
        assert {Capability.VIEW_CLINICAL, Capability.WRITE_CLINICAL} <= granted, role


def test_only_supervisors_supervise_and_only_associates_log_licensure_hours() -> None:
    assert [r for r in Role if Capability.SUPERVISE in capabilities_for([r])] == [Role.SUPERVISOR]
    assert [r for r in Role if Capability.LOG_LICENSURE_HOURS in capabilities_for([r])] == [
        Role.ASSOCIATE
    ]


def test_the_exact_capabilities_of_front_desk() -> None:
    assert capabilities_for([Role.FRONT_DESK]) == {
        Capability.VIEW_MEMBERS,
        Capability.OPEN_CLIENT_LIST,
        Capability.MANAGE_CLIENT_RECORDS,
        Capability.VIEW_DEMOGRAPHICS,
        Capability.EDIT_DEMOGRAPHICS,
        Capability.VIEW_SCHEDULE,
        Capability.MANAGE_SCHEDULE,
        Capability.RECORD_CONSENT_FORMS,
    }


def test_several_roles_add_up() -> None:
    combined = capabilities_for([Role.OWNER, Role.CLINICIAN])
    assert combined == ROLE_CAPABILITIES[Role.OWNER] | ROLE_CAPABILITIES[Role.CLINICIAN]


def test_mfa_is_needed_exactly_for_roles_that_read_clinical_data() -> None:
    needing = {role for role in Role if roles_need_mfa([role])}
    assert needing == {Role.CLINICIAN, Role.ASSOCIATE, Role.SUPERVISOR}
    assert roles_need_mfa([Role.FRONT_DESK, Role.SUPERVISOR])


def test_who_may_open_the_client_list_and_change_client_records() -> None:
    opens = [r for r in Role if Capability.OPEN_CLIENT_LIST in capabilities_for([r])]
    manages = [r for r in Role if Capability.MANAGE_CLIENT_RECORDS in capabilities_for([r])]
    assert opens == [
        Role.OWNER,
        Role.ADMIN,
        Role.CLINICIAN,
        Role.ASSOCIATE,
        Role.SUPERVISOR,
        Role.FRONT_DESK,
        Role.BILLER,
    ]
    assert manages == [r for r in opens if r != Role.BILLER]


def test_owners_admins_and_clinical_roles_manage_the_plan_library_without_clinical_access() -> None:
    holders = {r for r in Role if Capability.MANAGE_PLAN_LIBRARY in capabilities_for([r])}
    assert holders == {
        Role.OWNER,
        Role.ADMIN,
        Role.CLINICIAN,
        Role.ASSOCIATE,
        Role.SUPERVISOR,
    }
    assert not Capability.MANAGE_PLAN_LIBRARY.is_clinical
