"""One-time client links: random token only in the URL, single use, expiring after 7 days,
polite pages otherwise, and nothing on them but the questionnaire."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import time_machine
from django.core import mail
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from tend.audit.models import AuditEvent
from tend.measures.models import ClientLink, MeasureResponse, RiskAlert
from tend.measures.services import link_create, safety_plan_save, safety_plan_share
from tests.conftest import Cast, signed_in
from tests.measures.factories import make_client

START = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.get_fixed_timezone(-360))


def _phq9_post(item9: int) -> dict[str, str]:
    data = {f"item_{n}": "1" for n in range(1, 9)}
    data["item_9"] = str(item9)
    data["item_10"] = "1"
    return data


def _send(cast: Cast, client: object) -> str:
    response = signed_in(cast.clinician).post(
        reverse("measures:send_link", args=[client.public_id]),  # type: ignore[attr-defined]
        {"instrument_id": "phq9"},
    )
    assert response.status_code == 200
    match = re.search(r'value="(http://testserver/measures/l/[^"]+/)"', response.content.decode())
    assert match is not None
    return match[1].removeprefix("http://testserver")


@time_machine.travel(START, tick=False)
def test_the_clinician_sends_a_link_that_is_emailed_without_client_data(cast: Cast) -> None:
    client = make_client(cast, first="Rowan", last="Quill", email="rowan.quill@example.org")
    path = _send(cast, client)

    token = path.split("/")[-2]
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    link = ClientLink.objects.get()
    assert link.token_hash != token and token not in link.token_hash
    assert link.expires_at == START + timedelta(days=7)
    assert [message.to for message in mail.outbox] == [["rowan.quill@example.org"]]
    body = mail.outbox[0].body
    assert path in body
    assert "Rowan" not in body and "Quill" not in body and "PHQ" not in body
    assert "Rowan" not in path and str(client.public_id) not in path


@time_machine.travel(START, tick=False)
def test_the_client_sees_only_the_questionnaire_and_a_thank_you(cast: Cast) -> None:
    client = make_client(cast, first="Rowan", last="Quill")
    path = _send(cast, client)
    browser = Browser()

    page = browser.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert "Over the last 2 weeks, how often have you been bothered" in html
    assert "Thoughts that you would be better off dead or of hurting yourself" in html
    assert "No permission required to reproduce" in html
    for private in ("Rowan", "Quill", "Harbor", "Cleo", str(client.public_id)):
        assert private not in html
    assert html.count("<fieldset>") == 10
    assert html.count("<legend>") == 10

    done = browser.post(path, _phq9_post(item9=1))
    assert done.status_code == 302
    assert done["Location"] == reverse("measures:client_link_thanks")
    thanks = browser.get(done["Location"])
    assert "Thank you" in thanks.content.decode()

    response = MeasureResponse.objects.get()
    assert (response.total, response.band, response.mode, response.entered_by) == (
        9,
        "Mild",
        "client_link",
        None,
    )
    assert RiskAlert.objects.get().recipient == cast.clinician
    assert ClientLink.objects.get().response == response
    assert AuditEvent.objects.filter(action="measures.link_completed").count() == 1


@time_machine.travel(START, tick=False)
def test_a_used_link_gets_a_polite_page_and_records_nothing_more(cast: Cast) -> None:
    client = make_client(cast)
    path = _send(cast, client)
    Browser().post(path, _phq9_post(item9=0))

    again = Browser().post(path, _phq9_post(item9=0))

    assert again.status_code == 410
    assert "This link was already used" in again.content.decode()
    assert MeasureResponse.objects.count() == 1


def test_an_expired_link_gets_a_polite_page(cast: Cast) -> None:
    client = make_client(cast)
    with time_machine.travel(START, tick=False):
        path = _send(cast, client)
    with time_machine.travel(START + timedelta(days=7, seconds=-1), tick=False):
        assert Browser().get(path).status_code == 200
    with time_machine.travel(START + timedelta(days=7), tick=False):
        page = Browser().get(path)
        assert page.status_code == 410
        assert "This link has expired" in page.content.decode()
        Browser().post(path, _phq9_post(item9=0))
    assert MeasureResponse.objects.count() == 0


def test_an_unknown_token_gets_a_polite_not_found_page(db: None) -> None:
    page = Browser().get(reverse("measures:client_link", args=["not-a-real-token"]))
    assert page.status_code == 404
    assert "This link is not valid" in page.content.decode()


@time_machine.travel(START, tick=False)
def test_a_missing_answer_is_shown_next_to_its_item_and_the_others_are_kept(cast: Cast) -> None:
    client = make_client(cast)
    path = _send(cast, client)
    data = _phq9_post(item9=0)
    del data["item_4"]

    page = Browser().post(path, data)

    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="id_item_4_error">Answer this item.' in html
    assert re.search(r'<input type="radio" name="item_3" value="1"[^>]*checked', html)
    assert not re.search(r'<input type="radio" name="item_4" [^>]*checked', html)
    assert MeasureResponse.objects.count() == 0
    assert ClientLink.objects.get().used_at is None


def test_licensed_instruments_cannot_be_sent_to_clients(cast: Cast) -> None:
    client = make_client(cast)
    response = signed_in(cast.clinician).post(
        reverse("measures:send_link", args=[client.public_id]), {"instrument_id": "core10"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert ClientLink.objects.count() == 0


@time_machine.travel(START, tick=False)
def test_a_shared_safety_plan_is_read_only_for_the_client_until_the_link_expires(
    cast: Cast,
) -> None:
    client = make_client(cast, first="Rowan")
    plan = safety_plan_save(
        client=client,
        actor=cast.clinician,
        reviewed_with_client_on=None,
        warning_signs="Not sleeping",
        coping_strategies="Long walk",
        distraction_people_places="Library",
        help_contacts="Sister",
        professionals_agencies="Clinic line",
        environment_safety="Pills with my sister",
    )
    _, raw = safety_plan_share(plan=plan, actor=cast.clinician)
    path = reverse("measures:client_link", args=[raw])

    first = Browser().get(path)
    second = Browser().get(path)

    assert (first.status_code, second.status_code) == (200, 200)
    html = first.content.decode()
    assert "Long walk" in html and "988" in html
    assert "Rowan" not in html and "<form" not in html.split("</header>")[1]
    assert Browser().post(path).status_code == 404
    assert AuditEvent.objects.filter(action="measures.link_opened").count() == 2


def test_a_questionnaire_link_by_service_expires_by_default_after_seven_days(cast: Cast) -> None:
    client = make_client(cast)
    with time_machine.travel(START, tick=False):
        link, raw = link_create(client=client, instrument_id="gad7", actor=cast.clinician)
    assert link.expires_at - link.created_at == timedelta(days=7)
    assert raw not in link.token_hash
