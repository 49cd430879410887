from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tend.accounts.models import PersonalAccessToken
from tend.accounts.services import access_token_create, access_token_revoke
from tend.audit.models import AuditEvent
from tests.conftest import Cast, signed_in


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_is_shown_once_and_stored_hashed(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(
        reverse("accounts:access_tokens"), {"name": "nightly export", "days": "30"}
    )
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("tend_")
    token = PersonalAccessToken.objects.get(name="nightly export")
    assert raw not in (token.token_hash, token.prefix)
    assert raw.startswith(token.prefix)
    assert AuditEvent.objects.filter(action="accounts.token_created").count() == 1


def test_a_token_reads_the_api_for_its_one_organization(cast: Cast) -> None:
    _, raw = access_token_create(
        user=cast.outsider, organization=cast.other_organization, name="t", can_write=False, days=5
    )
    response = Client().get("/api/v1/organizations", **_bearer(raw))
    assert response.status_code == 200
    assert [org["name"] for org in response.json()] == ["Elsewhere Therapy"]
    me = Client().get("/api/v1/me", **_bearer(raw)).json()
    assert me["email"] == "outsider@elsewhere.test"
    assert me["current_organization"] == str(cast.other_organization.public_id)


def test_a_read_only_token_cannot_change_anything(cast: Cast) -> None:
    _, raw = access_token_create(
        user=cast.clinician, organization=cast.organization, name="t", can_write=False, days=5
    )
    response = Client().patch(
        "/api/v1/me", {"display_name": "Changed"}, content_type="application/json", **_bearer(raw)
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "forbidden", "message": "This token is read-only."}
    }
    cast.clinician.refresh_from_db()
    assert cast.clinician.display_name == "Cleo Clinician"


def test_a_read_write_token_can_change_the_name(cast: Cast) -> None:
    _, raw = access_token_create(
        user=cast.clinician, organization=cast.organization, name="t", can_write=True, days=5
    )
    response = Client().patch(
        "/api/v1/me", {"display_name": "Cleo C."}, content_type="application/json", **_bearer(raw)
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Cleo C."


def test_invalid_input_gets_the_error_envelope(cast: Cast) -> None:
    _, raw = access_token_create(
        user=cast.clinician, organization=cast.organization, name="t", can_write=True, days=5
    )
    response = Client().patch(
        "/api/v1/me", {"display_name": "x" * 151}, content_type="application/json", **_bearer(raw)
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert "display_name" in body["details"]
    missing = Client().patch("/api/v1/me", {}, content_type="application/json", **_bearer(raw))
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "invalid"


def test_expired_and_revoked_tokens_are_refused(cast: Cast) -> None:
    token, raw = access_token_create(
        user=cast.clinician, organization=cast.organization, name="t", can_write=False, days=1
    )
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 401
    access_token_revoke(token=token, actor=cast.clinician)
    response = Client().get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_token_lifetime_beyond_the_maximum_is_refused(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(
        reverse("accounts:access_tokens"), {"name": "forever", "days": "5000"}
    )
    assert response.status_code == 400
    assert "Choose between 1 and 365 days." in response.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(cast: Cast) -> None:
    token, _ = access_token_create(
        user=cast.clinician, organization=cast.organization, name="t", can_write=False, days=5
    )
    response = signed_in(cast.supervisor).post(
        reverse("accounts:revoke_access_token", args=[token.public_id])
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_openapi_schema_is_served(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert set(response.json()["paths"]) >= {"/api/v1/me", "/api/v1/organizations"}
