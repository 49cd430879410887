"""The clients API: the same door as the pages, demographics only."""

from __future__ import annotations

from datetime import date

from tend.audit.models import AuditEvent
from tests.clients.factories import make_client
from tests.conftest import Cast, signed_in


def test_the_list_shows_the_callers_clients_in_pages(cast: Cast) -> None:
    mine = make_client(cast, first="Rowan", last="Ellery")
    make_client(cast, first="Tess", last="Abara", born=date(1970, 1, 1), clinician=cast.associate)
    response = signed_in(cast.clinician).get("/api/v1/clients/")
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": str(mine.public_id),
                "display_name": "Rowan Ellery",
                "status": "active",
                "primary_clinician": "Cleo Clinician",
            }
        ],
        "next_after": None,
    }
    assert len(signed_in(cast.front_desk).get("/api/v1/clients/").json()["items"]) == 2


def test_getting_a_client_returns_demographics_and_is_audited(cast: Cast) -> None:
    client = make_client(cast, first="Rowan", last="Ellery", pronouns="they/them")
    response = signed_in(cast.biller).get(f"/api/v1/clients/{client.public_id}")
    assert response.status_code == 200
    assert response.json() == {
        "id": str(client.public_id),
        "legal_first_name": "Rowan",
        "legal_last_name": "Ellery",
        "preferred_name": "",
        "date_of_birth": "1990-04-12",
        "pronouns": "they/them",
        "gender_identity": "",
        "phone": "",
        "email": "",
        "preferred_language": "English",
        "interpreter_needed": False,
        "status": "active",
        "primary_clinician": "Cleo Clinician",
    }
    event = AuditEvent.objects.get(action="clients.viewed")
    assert (event.actor_label, event.client_id, event.extra) == (
        "biller@harbor.test",
        client.public_id,
        {"via": "api"},
    )


def test_a_clinician_off_the_case_and_an_outsider_are_refused(cast: Cast) -> None:
    client = make_client(cast, clinician=cast.associate)
    url = f"/api/v1/clients/{client.public_id}"
    refused = signed_in(cast.clinician).get(url)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    hidden = signed_in(cast.outsider).get(url)
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (404, "not_found")
    assert AuditEvent.objects.filter(action="clients.viewed").count() == 0
