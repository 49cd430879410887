"""The coordination API: providers, care team, consents, referrals, accounting."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tend.audit.models import AuditEvent
from tend.clients.models import Client
from tend.coordination import services
from tend.coordination.models import Disclosure, ExternalProvider, Referral
from tests.conftest import Cast, signed_in
from tests.coordination.helpers import (
    PCP_NPI,
    make_client,
    make_consent,
    make_provider,
    make_resource,
    release,
)

NOV_27 = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
API = "/api/v1/coordination"


def _patch(user: Any, url: str, body: dict[str, Any]) -> Any:
    return signed_in(user).patch(url, data=json.dumps(body), content_type="application/json")


def _referral(cast: Cast, client: Client) -> Referral:
    return services.referral_create(
        client=client, actor=cast.clinician, kind=Referral.Kind.COMMUNITY,
        resource=make_resource(cast.organization), provider=None, reason="Housing insecurity",
        urgency=Referral.Urgency.SOON, consent=None, follow_up_on=date(2026, 12, 4),
        status=Referral.Status.SENT,
    )  # fmt: skip


@time_machine.travel(NOV_27, tick=False)
def test_the_provider_directory_is_listed_and_read_within_the_organization(cast: Cast) -> None:
    psychiatrist = make_provider(cast.organization, cast.clinician)
    pcp = make_provider(cast.organization, cast.clinician, "Dr. Ana Bell", "primary_care", PCP_NPI)
    make_provider(cast.other_organization, cast.outsider, "Dr. Elsewhere")
    rows = signed_in(cast.front_desk).get(f"{API}/providers").json()
    assert [(row["id"], row["name"], row["role"]) for row in rows] == [
        (str(pcp.public_id), "Dr. Ana Bell", "primary_care"),
        (str(psychiatrist.public_id), "Dr. Imani Reyes", "psychiatrist"),
    ]
    one = signed_in(cast.clinician).get(f"{API}/providers/{psychiatrist.public_id}").json()
    assert one == {
        "id": str(psychiatrist.public_id),
        "name": "Dr. Imani Reyes",
        "role": "psychiatrist",
        "practice": "Bayside Psychiatry (demo)",
        "npi": "1234567893",
        "phone": "555-0100",
        "fax": "555-0101",
        "secure_email": "reyes@bayside.example",
        "address": "1 Harbor Way, Galveston TX",
    }
    outsider = signed_in(cast.outsider).get(f"{API}/providers/{psychiatrist.public_id}")
    assert (outsider.status_code, outsider.json()["error"]["code"]) == (404, "not_found")
    assert signed_in(cast.biller).get(f"{API}/providers").status_code == 403


@time_machine.travel(NOV_27, tick=False)
def test_the_care_team_lists_the_primary_clinician_colleagues_and_external_providers(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    ended = make_provider(
        cast.organization, cast.clinician, "Dr. Ana Bell", "primary_care", PCP_NPI
    )
    services.external_team_member_add(
        client=client, provider=provider, actor=cast.clinician,
        role_on_case="Medication management", started_on=date(2026, 10, 1),
    )  # fmt: skip
    member = services.external_team_member_add(
        client=client, provider=ended, actor=cast.clinician, started_on=date(2026, 9, 1)
    )
    services.external_team_member_end(
        member=member, actor=cast.clinician, ended_on=date(2026, 11, 1)
    )
    response = signed_in(cast.clinician).get(f"{API}/clients/{client.public_id}/care-team")
    assert response.status_code == 200
    assert response.json() == {
        "primary_clinician": {"id": str(cast.clinician.public_id), "name": "Cleo Clinician"},
        "internal": [
            {
                "clinician": {"id": str(user.public_id), "name": user.display_name},
                "role": "co_therapist",
                "started_on": "2020-01-01",
            }
            for user in (cast.associate, cast.supervisor)
        ],
        "external": [
            {
                "provider_id": str(provider.public_id),
                "name": "Dr. Imani Reyes",
                "provider_role": "psychiatrist",
                "role_on_case": "Medication management",
                "started_on": "2026-10-01",
            }
        ],
    }
    event = AuditEvent.objects.filter(action="coordination.viewed").get()
    assert (event.actor_id, event.client_id) == (cast.clinician.public_id, client.public_id)
    url = f"{API}/clients/{client.public_id}/care-team"
    assert signed_in(cast.front_desk).get(url).status_code == 403
    assert signed_in(cast.outsider).get(url).status_code == 404


@time_machine.travel(NOV_27, tick=False)
def test_consents_are_listed_with_todays_status_for_those_who_record_them(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    active = make_consent(client, cast.clinician, provider, ["diagnoses", "treatment_plan"])
    revoked = make_consent(
        client, cast.clinician, None, ["demographics"], recipient_kind="person",
        recipient_name="Sam Quill", effective_on=date(2026, 10, 1), signed_on=date(2026, 10, 1),
    )  # fmt: skip
    services.consent_revoke(
        consent=revoked, actor=cast.front_desk, revoked_on=date(2026, 11, 20), received_by="mail"
    )
    expired = make_consent(
        client, cast.clinician, provider, ["measures"], effective_on=date(2025, 1, 1),
        expires_on=date(2025, 12, 31), signed_on=date(2025, 1, 1),
    )  # fmt: skip
    response = signed_in(cast.front_desk).get(f"{API}/clients/{client.public_id}/consents")
    assert response.status_code == 200
    rows = response.json()
    shown = [(r["id"], r["status"], r["recipient"], r["categories"], r["revoked_on"]) for r in rows]
    assert shown == [
        (str(active.public_id), "active", "Dr. Imani Reyes", ["diagnoses", "treatment_plan"], None),
        (str(revoked.public_id), "revoked", "Sam Quill", ["demographics"], "2026-11-20"),
        (str(expired.public_id), "expired", "Dr. Imani Reyes", ["measures"], None),
    ]  # fmt: skip
    assert rows[0]["provider_id"] == str(provider.public_id)
    assert rows[1]["provider_id"] is None
    url = f"{API}/clients/{client.public_id}/consents"
    assert signed_in(cast.biller).get(url).status_code == 403
    assert signed_in(cast.outsider).get(url).status_code == 404


@time_machine.travel(NOV_27, tick=False)
def test_referrals_are_listed_and_read_for_the_clinical_team_only(cast: Cast) -> None:
    client = make_client(cast)
    referral = _referral(cast, client)
    listed = signed_in(cast.associate).get(f"{API}/clients/{client.public_id}/referrals").json()
    read = signed_in(cast.clinician).get(f"{API}/referrals/{referral.public_id}").json()
    assert listed == [read]
    assert {key: read[key] for key in ("client_id", "referred_to", "status", "follow_up_on")} == {
        "client_id": str(client.public_id),
        "referred_to": "Harborview Housing Help (demo)",
        "status": "sent",
        "follow_up_on": "2026-12-04",
    }
    assert (
        signed_in(cast.front_desk).get(f"{API}/referrals/{referral.public_id}").status_code == 403
    )
    assert signed_in(cast.outsider).get(f"{API}/referrals/{referral.public_id}").status_code == 404


@time_machine.travel(NOV_27, tick=False)
def test_a_referral_is_moved_along_and_closed_only_with_an_outcome(cast: Cast) -> None:
    client = make_client(cast)
    referral = _referral(cast, client)
    url = f"{API}/referrals/{referral.public_id}"

    scheduled = _patch(cast.clinician, url, {"status": "scheduled", "follow_up_on": "2026-12-11"})
    assert scheduled.status_code == 200
    assert (scheduled.json()["status"], scheduled.json()["follow_up_on"]) == (
        "scheduled",
        "2026-12-11",
    )

    refused = _patch(cast.clinician, url, {"status": "closed"})
    assert refused.status_code == 400
    assert refused.json()["error"]["details"] == {
        "outcome": ["Record the outcome before closing the referral."]
    }
    assert _patch(cast.clinician, url, {}).json()["error"]["details"] == {
        "__all__": ["Give the status, follow-up date or outcome to change."]
    }
    assert _patch(cast.clinician, url, {"status": "lost"}).status_code == 422

    closed = _patch(
        cast.clinician, url, {"status": "closed", "outcome": "Moved into transitional housing."}
    )
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("closed", "2026-11-27")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.follow_up_on) == (
        "closed",
        "Moved into transitional housing.",
        date(2026, 12, 11),
    )
    assert list(
        AuditEvent.objects.filter(subject_id=str(referral.public_id))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "coordination.referral_created",
        "coordination.referral_updated",
        "coordination.referral_closed",
    ]


@time_machine.travel(NOV_27, tick=False)
def test_a_referral_update_is_refused_to_front_desk_and_outsiders_and_nothing_changes(
    cast: Cast,
) -> None:
    referral = _referral(cast, make_client(cast))
    url = f"{API}/referrals/{referral.public_id}"
    body = {"status": "closed", "outcome": "Done"}
    assert _patch(cast.front_desk, url, body).status_code == 403
    assert _patch(cast.outsider, url, body).status_code == 404
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("sent", "")
    assert list(
        AuditEvent.objects.filter(subject_id=str(referral.public_id)).values_list(
            "action", flat=True
        )
    ) == ["coordination.referral_created"]


def _accounting_queries(cast: Cast, client: Client, provider: ExternalProvider, count: int) -> int:
    make_consent(client, cast.clinician, provider, ["diagnoses"])
    for _ in range(count):
        release(client, cast, provider, ["diagnoses"])
    api = signed_in(cast.clinician)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"{API}/clients/{client.public_id}/disclosures")
    assert len(response.json()) == count
    return len(queries)


@time_machine.travel(NOV_27, tick=False)
def test_the_accounting_lists_each_disclosure_with_its_consents_in_flat_queries(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    consent = make_consent(client, cast.clinician, provider, ["diagnoses", "measures"])
    packet = release(client, cast, provider, ["diagnoses", "measures"])
    copy = services.client_copy_release(client=client, actor=cast.clinician, delivery="portal")
    response = signed_in(cast.clinician).get(f"{API}/clients/{client.public_id}/disclosures")
    assert response.status_code == 200
    rows = response.json()
    assert [(r["id"], r["kind"], r["consent_ids"], r["categories"][:2]) for r in rows] == [
        (str(copy.public_id), Disclosure.Kind.CLIENT_COPY, [], ["demographics", "diagnoses"]),
        (str(packet.public_id), Disclosure.Kind.PACKET, [str(consent.public_id)],
         ["diagnoses", "measures"]),
    ]  # fmt: skip
    assert (rows[1]["recipient_name"], rows[1]["released_by"], rows[1]["released_at"]) == (
        "Dr. Imani Reyes",
        "Cleo Clinician",
        "2026-11-27T16:00:00Z",
    )
    assert AuditEvent.objects.filter(action="coordination.accounting_viewed").count() == 1
    url = f"{API}/clients/{client.public_id}/disclosures"
    assert signed_in(cast.front_desk).get(url).status_code == 403
    assert signed_in(cast.outsider).get(url).status_code == 404

    few = _accounting_queries(cast, make_client(cast, "Few", "Rows"), provider, 2)
    many = _accounting_queries(cast, make_client(cast, "Many", "Rows"), provider, 12)
    assert few == many
