"""What assessments and diagnoses add to the client chart, and their query counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.assessments.services import assessment_start
from tend.clients.access import client_for_user
from tend.clients.chart import chart_sections, header_facts
from tend.clients.models import Client
from tend.core.tenancy import load_tenancy
from tests.assessments.factories import make_assessment, make_diagnosis
from tests.clients.factories import make_shared_client
from tests.conftest import Cast, signed_in

NOW = datetime(2026, 11, 20, 21, 4, tzinfo=UTC)
OURS = {"assessments", "diagnoses", "active_diagnoses"}


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def render_ours(cast: Cast, client: Client) -> tuple[int, str]:
    """Load and render our chart parts as the chart page does: (queries, html)."""
    access = client_for_user(
        load_tenancy(cast.clinician, None), cast.clinician, client.public_id, clinical=True
    )
    html = []
    with CaptureQueriesContext(connection) as queries:
        for section in chart_sections():
            if section.key in OURS:
                context = section.loader(access, None)
                html.append(render_to_string(section.template, {"section": context}))
        for fact in header_facts():
            if fact.key in OURS:
                context = fact.loader(access, None)
                html.append(render_to_string(fact.template, {"fact": context}))
    return len(queries), "".join(html)


def test_the_chart_shows_both_sections_with_their_links(cast: Cast) -> None:
    client = make_shared_client(cast)
    diagnosis = make_diagnosis(cast, client=client)
    draft = assessment_start(client=client, actor=cast.clinician)

    html = signed_in(cast.clinician).get(reverse("clients:chart", args=[client.public_id]))

    page = html.content.decode()
    assert '<h2 id="section-assessments">Assessments</h2>' in page
    assert '<h2 id="section-diagnoses">Diagnoses</h2>' in page
    assert reverse("assessments:edit", args=[draft.public_id]) in page
    assert "Continue the draft assessment" in page
    assert reverse("assessments:diagnosis_change", args=[diagnosis.public_id]) in page
    assert reverse("assessments:diagnosis_add", args=[client.public_id]) in page


def test_a_client_without_a_draft_offers_to_start_one(cast: Cast) -> None:
    client = make_shared_client(cast)

    _, html = render_ours(cast, client)

    assert reverse("assessments:start", args=[client.public_id]) in html
    assert "No assessments yet." in html
    assert "No diagnoses recorded." in html
    assert "None recorded" in html


def test_our_chart_parts_run_the_same_queries_for_2_or_30_records(cast: Cast) -> None:
    client = make_shared_client(cast)
    make_assessment(cast, client=client, signed=True)
    make_diagnosis(cast, client=client, code="F32.1", rank="principal")
    make_assessment(cast, client=client)
    few, few_html = render_ours(cast, client)
    make_assessment(cast, client=client, signed=True)  # signs the open draft
    for _ in range(28):
        make_assessment(cast, client=client, signed=True)
    for code in ["F41.1", "F43.10", "F43.23", "F40.10", "F90.0", "F10.20", "Z59.02", "Z56.0"]:
        make_diagnosis(cast, client=client, code=code, rank="secondary")

    many, many_html = render_ours(cast, client)

    assert few == many == 3
    assert few_html.count('<span class="badge">Signed</span>') == 1
    assert client.assessments.count() == 30
    assert many_html.count('<span class="badge">Signed</span>') == 30
    assert many_html.count('<span class="diagnosis-chip">') == 9
