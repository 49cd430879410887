"""The clinician's pages: administering in session, the measures page and chart section
(SVG trends, change labels, flat query counts), alerts, screening, safety plans, PDF."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tend.audit.models import AuditEvent
from tend.clients.access import client_for_user
from tend.clients.chart import chart_sections, header_facts
from tend.core.dashboard import panels_for
from tend.core.tenancy import load_tenancy
from tend.measures.charts import trend_chart
from tend.measures.instruments import load_instruments
from tend.measures.models import MeasureResponse, RiskAlert, RiskAssessment, SafetyPlan
from tend.measures.selectors import CHART_TABLE_ROWS
from tests.conftest import Cast, second_load, signed_in
from tests.measures.factories import make_client, phq9, score

TZ = ZoneInfo("America/Chicago")

START = datetime(2026, 1, 5, 10, 0, tzinfo=TZ)


def _history(client: Any, count: int) -> None:
    for week in range(count):
        score(
            client,
            "phq9" if week % 2 == 0 else "gad7",
            START + timedelta(days=7 * week),
            total=None,
            answers=phq9(item9=0, rest=3 - min(3, week // 8))
            if week % 2 == 0
            else {str(n): 2 for n in range(1, 8)},
        )


def test_a_clinician_administers_a_phq9_in_session(cast: Cast) -> None:
    client = make_client(cast)
    url = reverse("measures:administer", args=[client.public_id, "phq9"])
    browser = signed_in(cast.clinician)

    page = browser.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<legend>") == 10
    assert "Little interest or pleasure in doing things" in html

    data = {f"item_{n}": "2" for n in range(1, 10)}
    done = browser.post(url, data)

    assert done.status_code == 302
    response = MeasureResponse.objects.get()
    assert (response.total, response.band, response.entered_by) == (
        18,
        "Moderately severe",
        cast.clinician,
    )
    assert RiskAlert.objects.count() == 1


def test_a_missing_item_is_shown_next_to_it_with_a_400(cast: Cast) -> None:
    client = make_client(cast)
    url = reverse("measures:administer", args=[client.public_id, "gad7"])
    page = signed_in(cast.clinician).post(url, {f"item_{n}": "1" for n in range(1, 7)})
    assert page.status_code == 400
    assert 'id="id_item_7_error">Answer this item.' in page.content.decode()
    assert MeasureResponse.objects.count() == 0


def test_a_licensed_instrument_shows_why_its_wording_is_withheld_and_takes_a_total(
    cast: Cast,
) -> None:
    client = make_client(cast)
    url = reverse("measures:administer", args=[client.public_id, "core10"])
    browser = signed_in(cast.clinician)
    html = browser.get(url).content.decode()
    assert "Item wording is not shown." in html
    assert "CORE-10 item wording is not shown (licence: free non commercial unchanged)." in html
    assert "Item 6: suicidal planning (RISK item)" in html
    assert browser.post(url, {"total": "17"}).status_code == 302
    assert (MeasureResponse.objects.get().total, MeasureResponse.objects.get().band) == (
        17,
        "Moderate",
    )


def test_the_measures_page_shows_trends_change_labels_and_risk(cast: Cast) -> None:
    client = make_client(cast)
    score(client, "phq9", START, answers=phq9(item9=1, rest=2))
    score(client, "phq9", START + timedelta(days=28), answers=phq9(item9=0, rest=1))
    page = signed_in(cast.clinician).get(
        reverse("measures:client_measures", args=[client.public_id])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert '<title id="chart-phq9-title">PHQ-9 over time</title>' in html
    assert html.count('class="trend-point"') == 2
    assert "Critical item endorsed" in html
    assert "Open risk alerts" in html
    # 17 -> 8: a reliable improvement (>= 6) from a case (>= 10) to below 10.
    assert '<span class="badge badge--recovered">recovered</span>' in html
    assert (
        AuditEvent.objects.filter(action="measures.viewed", client_id=client.public_id).count() == 1
    )


def _queries_for_page(cast: Cast, client: Any) -> int:
    url = reverse("measures:client_measures", args=[client.public_id])
    return second_load(cast.clinician, url)[0]


def test_the_measures_page_runs_the_same_queries_for_2_and_60_scores(cast: Cast) -> None:
    small = make_client(cast, first="Small")
    large = make_client(cast, first="Large")
    _history(small, 2)
    _history(large, 60)
    assert _queries_for_page(cast, small) == _queries_for_page(cast, large)


def _section_queries(cast: Cast, client: Any) -> tuple[int, str]:
    tenancy = load_tenancy(cast.clinician, str(cast.organization.public_id))
    access = client_for_user(tenancy, cast.clinician, client.public_id, clinical=True)
    section = next(entry for entry in chart_sections() if entry.key == "measures")
    fact = next(entry for entry in header_facts() if entry.key == "risk")
    # The chart loads a loader shared by a section and a header fact once.
    assert fact.loader is section.loader
    with CaptureQueriesContext(connection) as queries:
        context = section.loader(access, None)
        html = render_to_string(section.template, context)
        html += render_to_string(fact.template, context)
    return len(queries), html


def test_the_chart_section_and_header_fact_run_a_fixed_number_of_queries(cast: Cast) -> None:
    small = make_client(cast, first="Small")
    large = make_client(cast, first="Large")
    _history(small, 3)
    _history(large, 50)
    small_count, _ = _section_queries(cast, small)
    large_count, html = _section_queries(cast, large)
    assert small_count == large_count == 5
    assert html.count('class="trend-point"') == 50


def test_the_chart_tables_the_latest_ten_scores_and_the_measures_page_all_of_them(
    cast: Cast,
) -> None:
    few = make_client(cast, first="Few")
    many = make_client(cast, first="Many")
    _history(few, 4)
    _history(many, 25)

    _, few_html = _section_queries(cast, few)
    _, many_html = _section_queries(cast, many)
    page = signed_in(cast.clinician).get(reverse("measures:client_measures", args=[many.public_id]))

    # _history alternates PHQ-9 and GAD-7: a table each, with a header row.
    assert few_html.count("<tr>") == 2 + 4
    assert "Table of PHQ-9 scores" in few_html
    assert many_html.count("<tr>") == 2 + 2 * CHART_TABLE_ROWS
    assert f"Table of the latest {CHART_TABLE_ROWS} PHQ-9 scores (of 13)" in many_html
    assert f"Table of the latest {CHART_TABLE_ROWS} GAD-7 scores (of 12)" in many_html
    assert many_html.count('class="trend-point"') == 25
    # The measures page tables every score: a table per instrument and the list of all.
    listing = page.content.decode()
    assert "Table of the latest" not in listing
    assert listing.count("<tr>") == (2 + 25) + (1 + 25)


def test_the_header_shows_level_date_and_safety_plan(cast: Cast) -> None:
    client = make_client(cast)
    browser = signed_in(cast.clinician)
    browser.post(
        reverse("measures:risk_assessment", args=[client.public_id]),
        {"item_1": "1", "item_2": "0", "item_6": "0"},
    )
    browser.post(
        reverse("measures:safety_plan_edit", args=[client.public_id]),
        {
            "warning_signs": "a",
            "coping_strategies": "b",
            "distraction_people_places": "c",
            "help_contacts": "d",
            "professionals_agencies": "e",
            "environment_safety": "f",
        },
    )
    _, html = _section_queries(cast, client)
    today = timezone.localdate().strftime("%b %-d, %Y")
    assert '<span class="badge badge--risk-low">Low</span>' in html
    assert f"assessed {today}" in html
    assert "Version 1</a>" in html
    assert "not yet reviewed with the client" in html


@pytest.mark.parametrize("count", [0, 1, 50])
def test_the_trend_svg_renders_for_0_1_and_50_points(count: int) -> None:
    instrument = load_instruments()["phq9"]
    start = START
    points = [(start + timedelta(days=7 * i), float(i % 28), "Mild") for i in range(count)]
    chart = trend_chart(instrument, points)
    svg = render_to_string("measures/trend_chart.html", {"chart": chart})

    assert svg.count("<svg") == 1 and svg.count("</svg>") == 1
    assert '<title id="chart-phq9-title">PHQ-9 over time</title>' in svg
    assert svg.count('class="band band--') == 5
    assert svg.count('class="trend-point"') == count
    assert svg.count('class="trend-line"') == (1 if count > 1 else 0)
    xs = [float(x) for x in re.findall(r'cx="([\d.]+)"', svg)]
    assert all(44 <= x <= 624 for x in xs)
    if count == 0:
        assert "No scores recorded yet" in svg
        assert chart.description == "No PHQ-9 scores recorded yet."
    if count == 1:
        assert xs == [334.0]
    if count == 50:
        assert (xs[0], xs[-1]) == (44.0, 624.0)


def test_the_band_colours_run_the_other_way_for_higher_is_better_scales() -> None:
    chart = trend_chart(load_instruments()["who5"], [])
    assert [band.tone for band in chart.bands] == ["severe", "moderate", "calm"]
    chart = trend_chart(load_instruments()["gad7"], [])
    assert [band.tone for band in chart.bands] == ["calm", "mild", "moderate", "severe"]


def test_acknowledging_an_alert_from_its_page_needs_a_note(cast: Cast) -> None:
    client = make_client(cast)
    score(client, "phq9", START, answers=phq9(item9=1))
    alert = RiskAlert.objects.get()
    url = reverse("measures:alert", args=[alert.public_id])
    browser = signed_in(cast.clinician)
    assert browser.post(url, {"note": ""}).status_code == 400
    assert (
        browser.post(url, {"note": "Called the client; safe; appointment tomorrow"}).status_code
        == 302
    )
    alert.refresh_from_db()
    assert alert.action_note == "Called the client; safe; appointment tomorrow"


def _dashboard_panels(cast: Cast, user: Any) -> dict[str, str]:
    request = RequestFactory().get("/")
    request.user = user
    request.tenancy = load_tenancy(user, str(cast.organization.public_id))  # type: ignore[attr-defined]
    request.organization = cast.organization  # type: ignore[attr-defined]
    entries = panels_for(request)  # type: ignore[arg-type]
    for entry in entries:
        if entry["panel"].key == "risk_alerts":
            with CaptureQueriesContext(connection) as queries:
                entry["panel"].loader(request)
            assert len(queries) == 1
    return {
        entry["panel"].title: render_to_string(entry["panel"].template, {"panel": entry["context"]})
        for entry in entries
    }


def test_the_dashboard_panel_lists_the_users_open_risk_alerts(cast: Cast) -> None:
    client = make_client(cast, first="Rowan")
    score(client, "phq9", START, answers=phq9(item9=1))
    panel = _dashboard_panels(cast, cast.clinician)["Risk alerts to acknowledge"]
    assert "Rowan Quill</a>" in panel
    assert (
        "No risk alerts are waiting for you."
        in _dashboard_panels(cast, cast.associate)["Risk alerts to acknowledge"]
    )
    assert "Risk alerts to acknowledge" not in _dashboard_panels(cast, cast.front_desk)


def test_an_override_without_reason_is_refused_next_to_the_reason(cast: Cast) -> None:
    client = make_client(cast)
    page = signed_in(cast.clinician).post(
        reverse("measures:risk_assessment", args=[client.public_id]),
        {"item_1": "0", "item_2": "0", "item_6": "0", "level": "high"},
    )
    assert page.status_code == 400
    assert (
        'id="id_override_reason_error">Give the reason for changing the screen&#x27;s risk level.'
        in page.content.decode()
    )
    assert RiskAssessment.objects.count() == 0
    assert MeasureResponse.objects.count() == 0


def test_the_safety_plan_prints_as_a_pdf(cast: Cast) -> None:
    client = make_client(cast)
    browser = signed_in(cast.clinician)
    browser.post(
        reverse("measures:safety_plan_edit", args=[client.public_id]),
        {
            "warning_signs": "Not sleeping",
            "coping_strategies": "Walk",
            "distraction_people_places": "Library",
            "help_contacts": "Sister",
            "professionals_agencies": "Clinic",
            "environment_safety": "Locked box",
            "reviewed_with_client_on": "2026-01-05",
        },
    )
    plan = SafetyPlan.objects.get()
    pdf = browser.get(reverse("measures:safety_plan_pdf", args=[plan.public_id]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="measures.safety_plan_printed").count() == 1


def test_clinicians_off_the_case_and_front_desk_cannot_see_measures(cast: Cast) -> None:
    client = make_client(cast)
    response = score(client, "phq9", START, answers=phq9())
    for user in (cast.associate, cast.front_desk):
        browser = signed_in(user)
        assert (
            browser.get(reverse("measures:client_measures", args=[client.public_id])).status_code
            == 403
        )
        assert (
            browser.get(reverse("measures:response", args=[response.public_id])).status_code == 403
        )
    outsider = signed_in(cast.outsider)
    assert outsider.get(reverse("measures:response", args=[response.public_id])).status_code == 404
    assert (
        outsider.get(reverse("measures:client_measures", args=[client.public_id])).status_code
        == 404
    )


def _chart_page(cast: Cast, client: Any) -> tuple[int, str]:
    count, page = second_load(cast.clinician, reverse("clients:chart", args=[client.public_id]))
    return count, page.content.decode()


def test_the_client_chart_page_shows_measures_with_queries_flat_in_the_number_of_scores(
    cast: Cast,
) -> None:
    small = make_client(cast, first="Small")
    large = make_client(cast, first="Large")
    _history(small, 3)
    _history(large, 50)
    small_count, _ = _chart_page(cast, small)
    large_count, html = _chart_page(cast, large)
    assert small_count == large_count
    assert '<title id="chart-phq9-title">PHQ-9 over time</title>' in html
    assert '<title id="chart-gad7-title">GAD-7 over time</title>' in html
    assert html.count('class="trend-point"') == 50
    assert "Suicide risk" in html
