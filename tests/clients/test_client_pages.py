"""The caseload, the new-client flow, the chart and its management pages, by role."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.clients import chart
from tend.clients.access import ClientAccess
from tend.clients.models import CareTeamMember, CaseGroup, CaseGroupMember, Client, Episode
from tend.clients.services import case_group_create, episode_discharge, episode_open
from tests.clients.factories import make_client, make_open_episode, supervise_associate
from tests.conftest import Cast, signed_in

TODAY = "2026-11-27 10:00:00-06:00"

NEW_CLIENT = {
    "legal_first_name": "Rowan",
    "legal_last_name": "Ellery",
    "date_of_birth": "1990-04-12",
    "preferred_language": "English",
    "status": "inquiry",
}


def _discharged_client(cast: Cast) -> Client:
    client = make_client(cast, first="Harper", last="Quill", born=date(1979, 5, 5))
    episode = episode_open(
        client=client,
        actor=cast.clinician,
        admission_date=date(2026, 1, 10),
        referral_source="Primary care physician",
        presenting_concern="Panic attacks in grocery stores.",
    )
    episode_discharge(
        episode=episode,
        actor=cast.clinician,
        discharge_date=date(2026, 6, 1),
        discharge_reason="Treatment goals met",
        discharge_summary="Exposure hierarchy completed; no panic for eight weeks.",
    )
    return client


# Caseload ---------------------------------------------------------------------------


def test_a_clinician_sees_only_their_own_active_caseload(cast: Cast) -> None:
    make_client(cast, first="Rowan", last="Ellery")
    make_client(cast, first="Tess", last="Abara", born=date(1970, 1, 1), clinician=cast.associate)
    make_client(cast, first="Ivo", last="Brandt", born=date(1971, 1, 1), status="waitlist")
    page = signed_in(cast.clinician).get(reverse("clients:caseload")).content.decode()
    assert "Rowan Ellery" in page
    assert "Tess Abara" not in page  # the associate's client
    assert "Ivo Brandt" not in page  # on the waitlist, not the active caseload


def test_a_supervisor_sees_their_supervisees_clients(cast: Cast) -> None:
    make_client(cast, first="Tess", last="Abara", born=date(1970, 1, 1), clinician=cast.associate)
    supervisor = signed_in(cast.supervisor)
    assert "Tess Abara" not in supervisor.get(reverse("clients:caseload")).content.decode()
    supervise_associate(cast)
    assert "Tess Abara" in supervisor.get(reverse("clients:caseload")).content.decode()


def test_front_desk_sees_every_client_of_the_organization(cast: Cast) -> None:
    make_client(cast, first="Rowan", last="Ellery")
    make_client(cast, first="Ivo", last="Brandt", born=date(1971, 1, 1), status="waitlist")
    page = signed_in(cast.front_desk).get(reverse("clients:caseload")).content.decode()
    assert "Rowan Ellery" in page
    assert "Ivo Brandt" in page
    assert 'href="/clients/new/"' in page


@time_machine.travel(TODAY, tick=False)
def test_the_caseload_shows_flags_and_a_dash_for_the_next_appointment(cast: Cast) -> None:
    make_client(
        cast,
        first="Mila",
        last="Soto",
        born=date(2012, 3, 3),
        interpreter_needed=True,
        preferred_language="Spanish",
        guardian_name="Ana Soto",
    )
    page = signed_in(cast.clinician).get(reverse("clients:caseload")).content.decode()
    row = page[page.index("Mila Soto") : page.index("</tr>", page.index("Mila Soto"))]
    assert "<td>14</td>" in row
    assert "Minor" in row
    assert "Interpreter: Spanish" in row
    assert "No open episode" in row
    assert "<td>—</td>" in row


def test_search_matches_legal_and_preferred_names_in_a_results_partial(cast: Cast) -> None:
    make_client(cast, first="Alexandra", last="Moss", preferred_name="Sasha")
    make_client(cast, first="Rowan", last="Ellery", born=date(1970, 1, 1))
    client = signed_in(cast.front_desk)
    url = reverse("clients:caseload_results")
    partial = client.post(url, {"q": "sasha", "status": ""}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert partial.status_code == 200
    assert html.lstrip().startswith('<div id="client-results">')
    assert "<html" not in html
    assert "Sasha Moss" in html
    assert "Rowan Ellery" not in html
    by_legal = client.post(url, {"q": "alexandra mo", "status": ""}, headers={"HX-Request": "true"})
    assert "Sasha Moss" in by_legal.content.decode()
    full = client.post(url, {"q": "ellery", "status": ""})  # without JavaScript
    assert "<html" in full.content.decode()
    assert "Rowan Ellery" in full.content.decode()


def test_search_pages_through_results_with_a_keyset(cast: Cast) -> None:
    for index in range(27):
        make_client(
            cast,
            first=f"Client{index:02d}",
            last=f"Zed{index:02d}",
            born=date(1950, 1, 1) + timedelta(days=index),
        )
    client = signed_in(cast.front_desk)
    url = reverse("clients:caseload_results")
    first = client.post(url, {"q": "", "status": ""}, headers={"HX-Request": "true"})
    page = first.context["page"]
    assert [row.client.legal_last_name for row in page.rows][-1] == "Zed24"
    assert len(page.rows) == 25
    second = client.post(
        url, {"q": "", "status": "", "after": str(page.next_after)}, headers={"HX-Request": "true"}
    )
    assert [row.client.legal_last_name for row in second.context["page"].rows] == [
        "Zed25",
        "Zed26",
    ]
    assert second.context["page"].next_after is None


def test_an_overlong_search_gets_a_message_not_an_error(cast: Cast) -> None:
    response = signed_in(cast.front_desk).post(
        reverse("clients:caseload_results"), {"q": "x" * 101, "status": ""}
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 100 characters (it has 101)." in (
        response.content.decode()
    )


def _caseload_queries(cast: Cast, count: int, start: int) -> int:
    for index in range(start, start + count):
        make_client(
            cast,
            first=f"Load{index:03d}",
            last=f"Person{index:03d}",
            born=date(1950, 1, 1) + timedelta(days=index),
            clinician=cast.associate if index % 2 else cast.clinician,
        )
    client = signed_in(cast.supervisor)
    client.get(reverse("clients:caseload"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("clients:caseload"))
    assert response.status_code == 200
    return len(queries)


def test_the_caseload_runs_the_same_queries_for_10_and_200_clients(cast: Cast) -> None:
    supervise_associate(cast)
    few = _caseload_queries(cast, 10, 0)
    many = _caseload_queries(cast, 190, 10)
    assert few == many == 7


# New client ---------------------------------------------------------------------------


def test_a_clinician_creates_a_client_on_their_own_caseload(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(
        reverse("clients:client_new"), {**NEW_CLIENT, "primary_clinician": cast.clinician.pk}
    )
    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:chart", args=[client.public_id])
    assert (client.primary_clinician, client.organization) == (cast.clinician, cast.organization)


def test_a_duplicate_is_flagged_and_created_only_when_confirmed(cast: Cast) -> None:
    existing = make_client(cast, first="Rowan", last="Ellery", born=date(1990, 4, 12))
    desk = signed_in(cast.front_desk)
    warned = desk.post(reverse("clients:client_new"), {**NEW_CLIENT, "legal_first_name": "rowen"})
    html = warned.content.decode()
    assert warned.status_code == 400
    assert "This may be someone already in your records" in html
    assert reverse("clients:chart", args=[existing.public_id]) in html
    assert 'value="rowen"' in html  # nothing typed is lost
    assert Client.objects.count() == 1
    confirmed = desk.post(
        reverse("clients:client_new"),
        {**NEW_CLIENT, "legal_first_name": "rowen", "confirm_not_duplicate": "on"},
    )
    assert confirmed.status_code == 302
    assert Client.objects.count() == 2


def test_a_clinician_is_warned_of_a_colleagues_duplicate_without_seeing_it(cast: Cast) -> None:
    make_client(cast, first="Rowan", last="Ellery", clinician=cast.associate)
    warned = signed_in(cast.clinician).post(reverse("clients:client_new"), NEW_CLIENT)
    html = warned.content.decode()
    assert warned.status_code == 400
    assert "1 matching record belongs to colleagues' caseloads" in html
    assert "/clients/" + str(Client.objects.get().public_id) not in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2026-11-28", "This date is in the future."),
        ("date_of_birth", "2025-02-30", "Enter a valid date."),
        (
            "legal_last_name",
            "L" * 101,
            "Ensure this value has at most 100 characters (it has 101).",
        ),
        ("email", "not-an-email", "Enter a valid email address."),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field(
    cast: Cast, field: str, value: str, message: str
) -> None:
    response = signed_in(cast.front_desk).post(
        reverse("clients:client_new"), {**NEW_CLIENT, field: value}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="field-error" id="id_{field}_error">{message}</p>' in html
    assert Client.objects.count() == 0


def test_a_biller_cannot_create_clients(cast: Cast) -> None:
    response = signed_in(cast.biller).post(reverse("clients:client_new"), NEW_CLIENT)
    assert response.status_code == 403
    assert Client.objects.count() == 0


# Chart ------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_chart_shows_the_header_and_is_audited(cast: Cast) -> None:
    client = make_client(
        cast, first="Alexandra", last="Moss", preferred_name="Sasha", pronouns="she/her"
    )
    response = signed_in(cast.clinician).get(reverse("clients:chart", args=[client.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="client-name">Sasha Moss</h1>' in html
    assert "Legal name Alexandra Moss" in html
    assert "36 <span" in html  # born 1990-04-12
    assert "she/her" in html
    assert "Cleo Clinician" in html
    for title in ("Episodes of care", "Care team", "Couple and family", "Contact &amp; demo"):
        assert title in html
    event = AuditEvent.objects.get(action="clients.viewed")
    assert (event.actor_label, event.subject_id, event.client_id, event.extra) == (
        "clinician@harbor.test",
        str(client.public_id),
        client.public_id,
        {"via": "chart"},
    )


def test_front_desk_sees_episodes_but_never_the_clinical_narrative(cast: Cast) -> None:
    client = _discharged_client(cast)
    desk = signed_in(cast.front_desk).get(reverse("clients:chart", args=[client.public_id]))
    html = desk.content.decode()
    assert desk.status_code == 200
    assert "Jan 10, 2026" in html
    assert "Treatment goals met" in html
    assert "Panic attacks" not in html
    assert "Exposure hierarchy" not in html
    assert "Presenting concern" not in html
    clinician = signed_in(cast.clinician).get(reverse("clients:chart", args=[client.public_id]))
    assert "Panic attacks in grocery stores." in clinician.content.decode()
    assert "Exposure hierarchy completed" in clinician.content.decode()


def test_another_clinician_is_refused_and_offered_emergency_access(cast: Cast) -> None:
    client = make_client(cast, clinician=cast.associate)
    response = signed_in(cast.clinician).get(reverse("clients:chart", args=[client.public_id]))
    assert response.status_code == 403
    assert reverse("clients:break_glass", args=[client.public_id]) in response.content.decode()
    assert "Rowan" not in response.content.decode()
    assert AuditEvent.objects.filter(action="clients.viewed").count() == 0


def test_an_auditor_and_an_outsider_cannot_open_a_chart(cast: Cast) -> None:
    client = make_client(cast)
    url = reverse("clients:chart", args=[client.public_id])
    assert signed_in(cast.auditor).get(url).status_code == 403
    assert signed_in(cast.outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="clients.viewed").count() == 0


def _chart_queries(cast: Cast, clients: int, start: int) -> int:
    for index in range(start, start + clients):
        make_client(
            cast,
            first=f"Load{index:03d}",
            last=f"Person{index:03d}",
            born=date(1950, 1, 1) + timedelta(days=index),
        )
    client = Client.objects.get(legal_first_name="Morgan")
    browser = signed_in(cast.clinician)
    url = reverse("clients:chart", args=[client.public_id])
    browser.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_chart_runs_the_same_queries_for_10_and_200_clients(cast: Cast) -> None:
    supervise_associate(cast)
    episode = make_open_episode(cast, make_client(cast, first="Morgan", last="Vale"))
    client = episode.client
    CareTeamMember.objects.create(
        client=client, user=cast.associate, role="co_therapist", started_on=date(2026, 1, 5)
    )
    case_group_create(
        organization=cast.organization,
        actor=cast.clinician,
        kind=CaseGroup.Kind.COUPLE,
        name="Vale couple",
        first_member=client,
        role=CaseGroupMember.Role.PARTNER,
    )
    few = _chart_queries(cast, 10, 0)
    many = _chart_queries(cast, 190, 10)
    assert few == many


# Edit, episodes, care team, groups ---------------------------------------------------


def test_front_desk_edits_demographics(cast: Cast) -> None:
    client = make_client(cast)
    url = reverse("clients:client_edit", args=[client.public_id])
    desk = signed_in(cast.front_desk)
    assert desk.get(url).status_code == 200
    data = {
        "legal_first_name": "Rowan",
        "legal_last_name": "Ellery",
        "date_of_birth": "1990-04-12",
        "preferred_language": "Spanish",
        "interpreter_needed": "on",
        "primary_clinician": cast.clinician.pk,
    }
    assert desk.post(url, data).status_code == 302
    client.refresh_from_db()
    assert (client.preferred_language, client.interpreter_needed) == ("Spanish", True)
    assert AuditEvent.objects.get(action="clients.updated").extra == {
        "fields": ["interpreter_needed", "preferred_language"]
    }


@time_machine.travel(TODAY, tick=False)
def test_a_future_birth_date_on_edit_changes_nothing(cast: Cast) -> None:
    client = make_client(cast)
    response = signed_in(cast.front_desk).post(
        reverse("clients:client_edit", args=[client.public_id]),
        {
            "legal_first_name": "Rowan",
            "legal_last_name": "Ellery",
            "date_of_birth": "2027-01-01",
            "preferred_language": "English",
        },
    )
    assert response.status_code == 400
    assert "This date is in the future." in response.content.decode()
    client.refresh_from_db()
    assert client.date_of_birth == date(1990, 4, 12)
    assert AuditEvent.objects.filter(action="clients.updated").count() == 0


def test_a_biller_cannot_edit_demographics(cast: Cast) -> None:
    client = make_client(cast)
    response = signed_in(cast.biller).post(
        reverse("clients:client_edit", args=[client.public_id]), {"legal_first_name": "X"}
    )
    assert response.status_code == 403
    client.refresh_from_db()
    assert client.legal_first_name == "Rowan"


def test_the_status_form_explains_why_an_open_episode_blocks_discharge(cast: Cast) -> None:
    episode = make_open_episode(cast, make_client(cast))
    response = signed_in(cast.front_desk).post(
        reverse("clients:client_status", args=[episode.client.public_id]),
        {"status": "discharged"},
    )
    assert response.status_code == 400
    assert (
        "This client has an open episode of care; discharge the episode instead."
        in response.content.decode()
    )


@time_machine.travel(TODAY, tick=False)
def test_a_clinician_opens_and_discharges_an_episode_from_the_chart(cast: Cast) -> None:
    client = make_client(cast, status="inquiry")
    browser = signed_in(cast.clinician)
    opened = browser.post(
        reverse("clients:episode_new", args=[client.public_id]),
        {"admission_date": "2026-11-02", "referral_source": "Self", "presenting_concern": "x"},
    )
    assert opened.status_code == 302
    again = browser.post(
        reverse("clients:episode_new", args=[client.public_id]),
        {"admission_date": "2026-11-03"},
    )
    assert again.status_code == 400
    assert "This client already has an open episode of care" in again.content.decode()
    episode = Episode.objects.get(client=client)
    early = browser.post(
        reverse("clients:episode_discharge", args=[episode.public_id]),
        {"discharge_date": "2026-11-01", "discharge_reason": "Goals met"},
    )
    assert early.status_code == 400
    assert "Discharge cannot be before admission (Nov 2, 2026)." in early.content.decode()
    done = browser.post(
        reverse("clients:episode_discharge", args=[episode.public_id]),
        {"discharge_date": "2026-11-20", "discharge_reason": "Goals met"},
    )
    assert done.status_code == 302
    client.refresh_from_db()
    assert client.status == "discharged"


def test_front_desk_cannot_open_an_episode(cast: Cast) -> None:
    client = make_client(cast)
    response = signed_in(cast.front_desk).post(
        reverse("clients:episode_new", args=[client.public_id]), {"admission_date": "2026-11-02"}
    )
    assert response.status_code == 403
    assert Episode.objects.count() == 0


def test_a_colleague_is_added_to_and_removed_from_the_care_team(cast: Cast) -> None:
    client = make_client(cast)
    browser = signed_in(cast.clinician)
    url = reverse("clients:care_team", args=[client.public_id])
    added = browser.post(
        url, {"user": cast.associate.pk, "role": "co_therapist", "started_on": "2026-02-01"}
    )
    assert added.status_code == 302
    member = CareTeamMember.objects.get(client=client)
    # The associate now sees the client.
    chart = reverse("clients:chart", args=[client.public_id])
    assert signed_in(cast.associate).get(chart).status_code == 200
    ended = browser.post(reverse("clients:care_team_end", args=[member.public_id]))
    assert ended.status_code == 302
    member.refresh_from_db()
    assert member.ended_on is not None
    bad = browser.post(url, {"user": cast.biller.pk, "role": "other", "started_on": "2026-02-01"})
    assert bad.status_code == 400
    assert "Select a valid choice." in bad.content.decode()


def test_clients_are_grouped_as_a_couple_from_their_charts(cast: Cast) -> None:
    first = make_client(cast, first="Dana", last="Reyes")
    second = make_client(cast, first="Kim", last="Oduya", born=date(1988, 1, 1))
    browser = signed_in(cast.clinician)
    created = browser.post(
        reverse("clients:case_groups", args=[first.public_id]),
        {"kind": "couple", "name": "Reyes-Oduya couple", "role": "partner"},
    )
    assert created.status_code == 302
    group = CaseGroup.objects.get()
    page = browser.get(reverse("clients:case_groups", args=[second.public_id])).content.decode()
    assert f'<option value="{group.public_id}">Reyes-Oduya couple</option>' in page
    joined = browser.post(
        reverse("clients:case_group_join", args=[second.public_id]),
        {"group": str(group.public_id), "role": "partner"},
    )
    assert joined.status_code == 302
    chart = browser.get(reverse("clients:chart", args=[first.public_id])).content.decode()
    assert "Kim Oduya" in chart
    left = browser.post(
        reverse("clients:case_group_leave", args=[second.public_id, group.public_id])
    )
    assert left.status_code == 302
    assert list(group.members.values_list("client_id", flat=True)) == [first.pk]


def test_a_group_without_a_visible_member_cannot_be_joined(cast: Cast) -> None:
    theirs = make_client(cast, first="Tess", last="Abara", clinician=cast.associate)
    group = case_group_create(
        organization=cast.organization,
        actor=cast.associate,
        kind=CaseGroup.Kind.FAMILY,
        name="Abara family",
        first_member=theirs,
        role=CaseGroupMember.Role.PARENT,
    )
    mine = make_client(cast, first="Rowan", last="Ellery")
    response = signed_in(cast.clinician).post(
        reverse("clients:case_group_join", args=[mine.public_id]),
        {"group": str(group.public_id), "role": "child"},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert group.members.count() == 1


class _HeaderFacts(HTMLParser):
    """Collects the tags directly inside the chart's <dl class="chart-facts">."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # 0: outside; 1: directly inside the list
        self.children: list[str] = []
        self.labels: list[str] = []
        self._in_dt = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0 and tag == "dl" and ("class", "chart-facts") in attrs:
            self.depth = 1
            return
        if self.depth:
            if self.depth == 1:
                self.children.append(tag)
            self._in_dt = tag == "dt"
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            self._in_dt = False

    def handle_data(self, data: str) -> None:
        if self._in_dt and data.strip():
            self.labels.append(data.strip())


def test_every_header_fact_is_label_and_value_groups_in_one_list(cast: Cast) -> None:
    client = make_client(cast)
    html = signed_in(cast.clinician).get(reverse("clients:chart", args=[client.public_id]))
    parser = _HeaderFacts()
    parser.feed(html.content.decode())
    assert parser.children and set(parser.children) == {"div"}
    assert {"Active diagnoses", "Suicide risk", "Safety plan", "Plan review"} <= set(parser.labels)


@time_machine.travel(TODAY, tick=False)
def test_the_chart_and_caseload_access_agree_on_who_is_on_the_care_team(cast: Cast) -> None:
    client = make_client(cast)
    leaving = CareTeamMember.objects.create(
        client=client, user=cast.associate, role="covering",
        started_on=date(2026, 11, 1), ended_on=date(2026, 12, 15),
    )  # fmt: skip
    CareTeamMember.objects.create(
        client=client, user=cast.supervisor, role="co_therapist",
        started_on=date(2026, 1, 1), ended_on=date(2026, 6, 30),
    )  # fmt: skip
    chart = reverse("clients:chart", args=[client.public_id])
    page = signed_in(cast.clinician).get(chart)
    team = next(section for section in page.context["sections"] if section.key == "care_team").html
    current, _, past = team.partition("Former care team members")
    # Still on the team until Dec 15: listed as current, and they may open the chart.
    assert cast.associate.display_name in current
    assert cast.supervisor.display_name in past
    assert signed_in(cast.associate).get(chart).status_code == 200
    assert leaving.has_left_by(date(2026, 12, 16))


def test_a_loader_shared_by_a_section_and_a_header_fact_runs_once_per_chart(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def shared(access: ClientAccess, request: object) -> dict[str, object]:
        calls.append(access.client.legal_first_name)
        return {"risk": None, "overview": None}

    monkeypatch.setitem(
        chart._SECTIONS,
        "shared_test",
        chart.ChartSection("shared_test", "Shared", 999, "measures/chart_section.html", shared),
    )
    monkeypatch.setitem(
        chart._HEADER_FACTS,
        "shared_test",
        chart.HeaderFact("shared_test", 999, "measures/header_fact.html", shared),
    )
    client = make_client(cast, first="Quinn")
    response = signed_in(cast.clinician).get(reverse("clients:chart", args=[client.public_id]))
    assert response.status_code == 200
    assert calls == ["Quinn"]
