from __future__ import annotations

import re
from datetime import UTC, date, datetime

import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.clients.access import client_for_user
from tend.clients.chart import chart_sections
from tend.clients.models import Client
from tend.coordination import services
from tend.coordination.chart import CHART_ROWS
from tend.core.tenancy import load_tenancy
from tests.conftest import Cast, signed_in
from tests.coordination.helpers import make_client, make_consent, make_provider, make_resource

NOV_27 = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
OURS = ["consents", "referrals", "care_coordination"]
# The clients app's care-team block, where the external team is listed.
RENDERED = [*OURS, "care_team"]


def _render_ours(cast: Cast, client: Client) -> tuple[dict[str, str], int]:
    tenancy = load_tenancy(cast.clinician, None)
    access = client_for_user(tenancy, cast.clinician, client.public_id, clinical=True)
    request = RequestFactory().get("/")
    request.user = cast.clinician
    sections = {section.key: section for section in chart_sections() if section.key in RENDERED}
    html = {}
    with CaptureQueriesContext(connection) as queries:
        for key, section in sections.items():
            context = section.loader(access, request)
            html[key] = render_to_string(
                section.template, {**context, "section": context, "client": client}, request=request
            )
    return html, len(queries)


def _fill(cast: Cast, client: Client, rows: int) -> None:
    provider = make_provider(cast.organization, cast.clinician, f"Dr. Row {rows}")
    for index in range(rows):
        member = (
            provider
            if index == 0
            else make_provider(cast.organization, cast.clinician, f"Dr. Team {rows}-{index}")
        )
        services.external_team_member_add(
            client=client, provider=member, actor=cast.clinician, started_on=date(2026, 11, 1)
        )
        make_consent(client, cast.clinician, provider, ["diagnoses"])
        services.referral_create(
            client=client, actor=cast.clinician, kind="community",
            resource=make_resource(cast.organization, f"Place {rows}-{index}"), provider=None,
            reason="Housing", urgency="routine", consent=None, follow_up_on=date(2026, 12, 4),
        )  # fmt: skip
        services.contact_record(
            client=client, actor=cast.clinician, provider=provider, contact_name="",
            method="meeting", occurred_on=date(2026, 11, 20), minutes=30, summary="School meeting",
        )  # fmt: skip


@time_machine.travel(NOV_27, tick=False)
def test_the_chart_sections_show_consents_referrals_and_the_external_team(cast: Cast) -> None:
    client = make_client(cast)
    _fill(cast, client, 1)
    titles = [section.title for section in chart_sections() if section.key in OURS]
    assert titles == ["Consents", "Referrals", "Care coordination"]
    html, _ = _render_ours(cast, client)
    assert "Dr. Row 1" in html["consents"] and "Active" in html["consents"]
    assert "Place 1-0" in html["referrals"]
    assert "Dr. Row 1" in html["care_team"]
    assert "School meeting" in html["care_coordination"]


@time_machine.travel(NOV_27, tick=False)
def test_the_chart_sections_run_the_same_queries_for_small_and_large_records(cast: Cast) -> None:
    small_client, large_client = make_client(cast), make_client(cast, "Large", "Chart")
    _fill(cast, small_client, 1)
    _fill(cast, large_client, 12)
    _, small = _render_ours(cast, small_client)
    _, large = _render_ours(cast, large_client)
    assert small == large


@time_machine.travel(NOV_27, tick=False)
def test_the_chart_lists_the_latest_five_and_the_coordination_page_all(cast: Cast) -> None:
    few, many = make_client(cast), make_client(cast, "Many", "Records")
    _fill(cast, few, CHART_ROWS)
    _fill(cast, many, CHART_ROWS + 2)

    few_html, _ = _render_ours(cast, few)
    many_html, _ = _render_ours(cast, many)
    page = signed_in(cast.clinician).get(reverse("coordination:client", args=[many.public_id]))

    assert "The latest" not in "".join(few_html.values())
    assert few_html["referrals"].count("Place 5-") == CHART_ROWS
    # Referrals newest first: the last two made are shown, the first two are not.
    assert many_html["referrals"].count("Place 7-") == CHART_ROWS
    assert "Place 7-6" in many_html["referrals"] and "Place 7-1" not in many_html["referrals"]
    for key, noun in (
        ("consents", "consents"),
        ("referrals", "referrals"),
        ("care_coordination", "contact notes"),
    ):
        assert f"The latest {CHART_ROWS} of {CHART_ROWS + 2} {noun}" in many_html[key]
    assert many_html["care_coordination"].count("School meeting") == CHART_ROWS
    listing = page.content.decode()
    assert listing.count("Place 7-") == CHART_ROWS + 2
    assert listing.count("School meeting") == CHART_ROWS + 2
    assert "The latest" not in listing


def _chart_sections(html: str) -> dict[str, str]:
    """The chart page's sections by key (each is a <section> labelled section-<key>)."""
    parts = re.split(r'<section class="card" aria-labelledby="section-', html)[1:]
    return {part.split('"', 1)[0]: part.split("</section>", 1)[0] for part in parts}


@time_machine.travel(NOV_27, tick=False)
def test_the_chart_has_one_care_team_block_with_the_external_providers(cast: Cast) -> None:
    client = make_client(cast)
    psychiatrist = make_provider(cast.organization, cast.clinician)
    former = make_provider(cast.organization, cast.clinician, "Dr. Former Pcp")
    services.external_team_member_add(
        client=client, provider=psychiatrist, actor=cast.clinician,
        started_on=date(2026, 11, 2), role_on_case="Medication management",
    )  # fmt: skip
    ended = services.external_team_member_add(
        client=client, provider=former, actor=cast.clinician, started_on=date(2026, 1, 5)
    )
    services.external_team_member_end(
        member=ended, actor=cast.clinician, ended_on=date(2026, 11, 20)
    )

    page = signed_in(cast.clinician).get(reverse("clients:chart", args=[client.public_id]))

    html = page.content.decode()
    sections = _chart_sections(html)
    assert html.count(">Care team</h2>") == 1
    team = sections["care_team"]
    # Colleagues first (the primary clinician leads), then the external providers.
    assert team.index("Cleo Clinician") < team.index("Dr. Imani Reyes")
    assert "Psychiatrist · external" in team
    assert "Bayside Psychiatry (demo), Medication management, since Nov 2, 2026" in team
    assert "Dr. Former Pcp" not in html
    coordination = sections["care_coordination"]
    assert "Dr. Imani Reyes" not in coordination
    assert "Primary clinician" not in coordination
    assert "No collateral contacts recorded." in coordination


@time_machine.travel(NOV_27, tick=False)
def test_front_desk_sees_the_care_team_without_the_external_providers(cast: Cast) -> None:
    client = make_client(cast)
    services.external_team_member_add(
        client=client, provider=make_provider(cast.organization, cast.clinician),
        actor=cast.clinician, started_on=date(2026, 11, 2),
    )  # fmt: skip
    browser = signed_in(cast.front_desk)
    url = reverse("clients:chart", args=[client.public_id])

    with CaptureQueriesContext(connection) as queries:
        page = browser.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    sections = _chart_sections(html)
    assert "care_coordination" not in sections and "consents" not in sections
    assert "Cleo Clinician" in sections["care_team"]
    assert "Dr. Imani Reyes" not in html
    # The external team's loader does not even run for someone without clinical access.
    assert not [q for q in queries if "coordination_externalteammember" in q["sql"]]
