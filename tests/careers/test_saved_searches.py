"""Saved job searches, the daily digest of new matches, and unsubscribing."""

from __future__ import annotations

import re
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from tend.audit.models import AuditEvent
from tend.careers.alerts import saved_search_create, unsubscribe_token
from tend.careers.models import SavedSearch
from tests.careers.factories import make_license, make_posting
from tests.conftest import Cast, signed_in

DAY_ONE = "2026-11-27 09:00 -06:00"
DAY_TWO = "2026-11-28 07:00 -06:00"
DAY_THREE = "2026-11-29 07:00 -06:00"
BASE_URL = "https://tend.example.org"


def _send() -> str:
    out = StringIO()
    call_command("send_job_alerts", "--base-url", BASE_URL, stdout=out)
    return out.getvalue()


def test_a_search_is_saved_from_the_search_page_with_its_criteria(cast: Cast) -> None:
    client = signed_in(cast.clinician)
    page = client.get("/careers/", {"q": "dbt", "state": "TX", "remote_or_hybrid": "on", "page": 2})
    assert "Save this search" in page.content.decode()
    query = page.context["save_form"].initial["query"]
    assert query == "q=dbt&state=TX&remote_or_hybrid=on"

    response = client.post(
        "/careers/saved/new/", {"name": "Remote DBT", "query": query, "alerts_enabled": "on"}
    )

    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert (saved.owner, saved.name, saved.query, saved.alerts_enabled) == (
        cast.clinician,
        "Remote DBT",
        "q=dbt&state=TX&remote_or_hybrid=on",
        True,
    )
    listing = client.get("/careers/saved/").content.decode()
    assert "“dbt” · Texas · Remote or hybrid" in listing
    assert f'href="/careers/?{saved.query.replace("&", "&amp;")}"' in listing
    event = AuditEvent.objects.get(action="careers.search_saved")
    assert event.actor_id == cast.clinician.public_id
    assert event.extra == {"alerts_enabled": True}


def test_anonymous_searchers_are_not_offered_to_save(cast: Cast) -> None:
    page = Client().get("/careers/", {"q": "dbt"})
    assert page.status_code == 200
    assert "Save this search" not in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "query": "q=dbt"}, "name", "This field is required."),
        (
            {"name": "Bad", "query": "state=ZZ"},
            "query",
            "This search has invalid criteria; run it again first.",
        ),
    ],
)
def test_bad_saves_are_refused_with_a_message(
    cast: Cast, data: dict[str, str], field: str, message: str
) -> None:
    response = signed_in(cast.clinician).post("/careers/saved/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_a_second_search_with_the_same_name_is_refused(cast: Cast) -> None:
    saved_search_create(owner=cast.clinician, name="DBT", query="q=dbt", alerts_enabled=False)
    response = signed_in(cast.clinician).post(
        "/careers/saved/new/", {"name": "DBT", "query": "state=TX"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "You already have a saved search with this name."
    ]
    assert SavedSearch.objects.get().query == "q=dbt"


def test_another_members_saved_search_cannot_be_changed(cast: Cast) -> None:
    saved = saved_search_create(owner=cast.clinician, name="DBT", query="", alerts_enabled=True)
    for url in (
        f"/careers/saved/{saved.public_id}/delete/",
        f"/careers/saved/{saved.public_id}/alerts/",
    ):
        assert signed_in(cast.owner).post(url).status_code == 404
    saved.refresh_from_db()
    assert saved.alerts_enabled


def test_the_digest_lists_only_new_matching_postings_once_a_day(cast: Cast) -> None:
    with time_machine.travel(DAY_ONE, tick=False):
        make_posting(
            cast.organization, cast.owner, title="DBT therapist (before saving)", modalities=["dbt"]
        )
        saved_search_create(
            owner=cast.clinician, name="DBT in Texas", query="q=dbt&state=TX", alerts_enabled=True
        )
    with time_machine.travel("2026-11-27 15:00 -06:00", tick=False):
        make_posting(
            cast.organization,
            cast.owner,
            title="DBT skills therapist",
            modalities=["dbt"],
            city="Houston",
        )
        make_posting(cast.organization, cast.owner, title="CBT therapist", modalities=["cbt"])
        make_posting(
            cast.organization,
            cast.owner,
            title="DBT therapist in Ohio",
            modalities=["dbt"],
            licensed_states=["OH"],
            location_state="OH",
        )

    with time_machine.travel(DAY_TWO, tick=False):
        first = _send()
        again = _send()

    assert first == "Sent 1 job alert email(s) listing 1 new posting(s).\n"
    assert again == "Sent 0 job alert email(s) listing 0 new posting(s).\n"
    [message] = mail.outbox
    assert message.to == [cast.clinician.email]
    assert message.subject == "1 new job match your saved searches"
    body = message.body
    assert "DBT skills therapist" in body
    assert "Houston, TX" in body
    for absent in ("before saving", "CBT therapist", "Ohio"):
        assert absent not in body
    stop_this = re.search(rf"Stop emails for \"DBT in Texas\": {BASE_URL}(\S+)", body)
    stop_all = re.fullmatch(rf"<{BASE_URL}(\S+)>", message.extra_headers["List-Unsubscribe"])
    assert stop_this and stop_all
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Client().get(stop_this[1]).status_code == 200
    assert Client().get(stop_all[1]).status_code == 200

    with time_machine.travel(DAY_THREE, tick=False):
        assert _send().startswith("Sent 0 ")
    with time_machine.travel("2026-11-29 15:00 -06:00", tick=False):
        make_posting(
            cast.organization, cast.owner, title="Weekend DBT therapist", modalities=["dbt"]
        )
    with time_machine.travel("2026-11-30 07:00 -06:00", tick=False):
        assert _send().startswith("Sent 1 ")
    assert "Weekend DBT therapist" in mail.outbox[-1].body
    assert "DBT skills therapist" not in mail.outbox[-1].body


def test_only_jobs_i_qualify_for_uses_the_owners_licences_when_sending(cast: Cast) -> None:
    with time_machine.travel(DAY_ONE, tick=False):
        make_license(cast.clinician, state="TX", family="counselor", title="LPC")
        saved_search_create(
            owner=cast.clinician, name="Qualify", query="only_qualifying=on", alerts_enabled=True
        )
    with time_machine.travel("2026-11-27 15:00 -06:00", tick=False):
        make_posting(cast.organization, cast.owner, title="Texas counselor job")
        make_posting(
            cast.organization,
            cast.owner,
            title="Ohio counselor job",
            licensed_states=["OH"],
            location_state="OH",
        )
    with time_machine.travel(DAY_TWO, tick=False):
        _send()
    [message] = mail.outbox
    assert "Texas counselor job" in message.body
    assert "Ohio counselor job" not in message.body


def test_searches_with_alerts_off_send_nothing_and_turning_on_starts_from_now(cast: Cast) -> None:
    with time_machine.travel(DAY_ONE, tick=False):
        saved = saved_search_create(
            owner=cast.clinician, name="Any", query="", alerts_enabled=False
        )
        make_posting(cast.organization, cast.owner, title="Posted while alerts were off")
    with time_machine.travel(DAY_TWO, tick=False):
        assert _send().startswith("Sent 0 ")
        response = signed_in(cast.clinician).post(
            f"/careers/saved/{saved.public_id}/alerts/", {"alerts_enabled": "on"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/careers/saved/"
    with time_machine.travel("2026-11-28 15:00 -06:00", tick=False):
        make_posting(cast.organization, cast.owner, title="Posted after turning alerts on")
    with time_machine.travel(DAY_THREE, tick=False):
        _send()
    [message] = mail.outbox
    assert "Posted after turning alerts on" in message.body
    assert "while alerts were off" not in message.body
    assert AuditEvent.objects.get(action="careers.search_alerts_changed").extra == {
        "alerts_enabled": True
    }


def test_the_unsubscribe_link_stops_that_search_after_confirmation(cast: Cast) -> None:
    kept = saved_search_create(owner=cast.clinician, name="Kept", query="", alerts_enabled=True)
    stopped = saved_search_create(
        owner=cast.clinician, name="Stopped", query="q=dbt", alerts_enabled=True
    )
    url = f"/careers/alerts/stop/{unsubscribe_token(cast.clinician, stopped)}/"
    browser = Client(enforce_csrf_checks=True)

    confirm = browser.get(url)
    assert confirm.status_code == 200
    stopped.refresh_from_db()
    assert stopped.alerts_enabled, "a GET (e.g. a link scanner) must not unsubscribe"

    done = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "No more daily emails to" in done.content.decode()
    stopped.refresh_from_db()
    kept.refresh_from_db()
    assert (stopped.alerts_enabled, kept.alerts_enabled) == (False, True)
    event = AuditEvent.objects.get(action="careers.search_alerts_changed")
    assert event.actor_id is None


def test_the_stop_all_link_stops_every_search_of_that_user_only(cast: Cast) -> None:
    mine = [
        saved_search_create(owner=cast.clinician, name=name, query="", alerts_enabled=True)
        for name in ("One", "Two")
    ]
    theirs = saved_search_create(owner=cast.owner, name="One", query="", alerts_enabled=True)
    Client().post(f"/careers/alerts/stop/{unsubscribe_token(cast.clinician)}/")
    assert [SavedSearch.objects.get(pk=s.pk).alerts_enabled for s in mine] == [False, False]
    theirs.refresh_from_db()
    assert theirs.alerts_enabled


@pytest.mark.parametrize("token", ["not-a-token", "eyJ1IjoiIn0:forged:signature"])
def test_a_forged_unsubscribe_link_is_not_found(cast: Cast, token: str) -> None:
    saved_search_create(owner=cast.clinician, name="One", query="", alerts_enabled=True)
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/careers/alerts/stop/{token}/")
        assert response.status_code == 404
        assert "This link is not valid." in response.content.decode()
    assert SavedSearch.objects.get().alerts_enabled


def test_deleting_a_saved_search(cast: Cast) -> None:
    saved = saved_search_create(owner=cast.clinician, name="Old", query="", alerts_enabled=True)
    response = signed_in(cast.clinician).post(f"/careers/saved/{saved.public_id}/delete/")
    assert response.status_code == 302
    assert not SavedSearch.objects.exists()
    assert AuditEvent.objects.filter(action="careers.search_deleted").count() == 1


def test_the_command_needs_a_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEND_BASE_URL", raising=False)
    with pytest.raises(CommandError, match="Give --base-url"):
        call_command("send_job_alerts", "--base-url", "")
