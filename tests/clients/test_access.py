"""Who is on a client's case: the access check behind every chart page."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tend.accounts.services import membership_roles_set
from tend.clients.access import client_for_user
from tend.core.permissions import Role
from tend.core.tenancy import load_tenancy
from tests.clients.factories import make_client, supervise_associate
from tests.conftest import Cast


def test_the_primary_clinician_is_on_the_case_in_one_query_and_others_are_checked(
    cast: Cast,
) -> None:
    supervise_associate(cast)
    own = make_client(cast, first="Own", last="Client")
    associates = make_client(
        cast, first="Sasha", last="Quill", born=date(1979, 2, 3), clinician=cast.associate
    )
    clinician = load_tenancy(cast.clinician, None)
    supervisor = load_tenancy(cast.supervisor, None)

    with CaptureQueriesContext(connection) as queries:
        access = client_for_user(clinician, cast.clinician, own.public_id, clinical=True)
    assert (access.can_view_clinical, len(queries)) == (True, 1)

    # Anyone else goes through the caseload: a supervisor reaches a supervisee's client,
    # and the clinician is refused one that is not theirs.
    supervised = client_for_user(supervisor, cast.supervisor, associates.public_id, clinical=True)
    assert supervised.can_view_clinical is True
    with pytest.raises(PermissionDenied):
        client_for_user(clinician, cast.clinician, associates.public_id, clinical=True)


def test_a_primary_clinician_moved_to_the_front_desk_loses_the_clinical_record(
    cast: Cast,
) -> None:
    client = make_client(cast, first="Demo", last="Ted")
    membership_roles_set(
        organization=cast.organization,
        user=cast.clinician,
        roles=[Role.FRONT_DESK],
        actor=cast.owner,
    )
    tenancy = load_tenancy(cast.clinician, None)

    access = client_for_user(tenancy, cast.clinician, client.public_id)

    assert (access.can_view_clinical, access.can_write_clinical) == (False, False)
    with pytest.raises(PermissionDenied):
        client_for_user(tenancy, cast.clinician, client.public_id, clinical=True)
