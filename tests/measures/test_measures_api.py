"""The measures API: the same access door and selectors as the pages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tend.audit.models import AuditEvent
from tests.conftest import Cast, signed_in
from tests.measures.factories import make_client, phq9, score

TZ = ZoneInfo("America/Chicago")


def test_the_api_lists_scores_with_change_labels_and_the_risk_facts(cast: Cast) -> None:
    client = make_client(cast)
    score(client, "phq9", datetime(2026, 10, 1, 10, tzinfo=TZ), answers=phq9(item9=1, rest=2))
    latest = score(client, "phq9", datetime(2026, 10, 29, 10, tzinfo=TZ), answers=phq9(rest=1))
    browser = signed_in(cast.clinician)

    listed = browser.get(f"/api/v1/measures/clients/{client.public_id}/responses")
    risk = browser.get(f"/api/v1/measures/clients/{client.public_id}/risk")

    assert listed.status_code == 200
    first = listed.json()[0]
    assert (first["id"], first["total"], first["band"], first["change_label"]) == (
        str(latest.public_id),
        8.0,
        "Mild",
        "recovered",
    )
    assert listed.json()[1]["critical_items"] == ["phq9_item9"]
    assert risk.json() == {
        "risk_level": None,
        "assessed_at": None,
        "flag_raised": True,
        "safety_plan_version": None,
        "open_alerts": 1,
    }
    assert AuditEvent.objects.filter(action="measures.viewed").count() == 2


def test_the_api_refuses_clinicians_off_the_case_and_hides_the_client_from_outsiders(
    cast: Cast,
) -> None:
    client = make_client(cast)
    url = f"/api/v1/measures/clients/{client.public_id}/responses"
    assert signed_in(cast.associate).get(url).status_code == 403
    assert signed_in(cast.front_desk).get(url).status_code == 403
    assert signed_in(cast.outsider).get(url).status_code == 404
