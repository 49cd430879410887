from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tend.clients.access import client_for_user
from tend.clients.chart import chart_sections
from tend.clients.models import Client
from tend.coordination import services
from tend.core.tenancy import load_tenancy
from tests.conftest import Cast
from tests.coordination.helpers import make_client, make_consent, make_provider, make_resource

NOV_27 = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
OURS = ["consents", "referrals", "care_coordination"]


def _render_ours(cast: Cast, client: Client) -> tuple[dict[str, str], int]:
    tenancy = load_tenancy(cast.clinician, None)
    access = client_for_user(tenancy, cast.clinician, client.public_id, clinical=True)
    request = RequestFactory().get("/")
    request.user = cast.clinician
    sections = {section.key: section for section in chart_sections() if section.key in OURS}
    html = {}
    with CaptureQueriesContext(connection) as queries:
        for key, section in sections.items():
            context = section.loader(access, request)
            html[key] = render_to_string(
                section.template, {**context, "section": context}, request=request
            )
    return html, len(queries)


def _fill(cast: Cast, client: Client, rows: int) -> None:
    provider = make_provider(cast.organization, cast.clinician, f"Dr. Row {rows}")
    services.external_team_member_add(
        client=client, provider=provider, actor=cast.clinician, started_on=date(2026, 11, 1)
    )
    for index in range(rows):
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
    assert "Dr. Row 1" in html["care_coordination"]
    assert "School meeting" in html["care_coordination"]


@time_machine.travel(NOV_27, tick=False)
def test_the_chart_sections_run_the_same_queries_for_small_and_large_records(cast: Cast) -> None:
    small_client, large_client = make_client(cast), make_client(cast, "Large", "Chart")
    _fill(cast, small_client, 1)
    _fill(cast, large_client, 12)
    _, small = _render_ours(cast, small_client)
    _, large = _render_ours(cast, large_client)
    assert small == large
