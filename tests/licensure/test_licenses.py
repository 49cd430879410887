from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tend.accounts.models import User
from tend.audit.models import AuditEvent
from tend.core.dashboard import panels_for
from tend.core.tenancy import load_tenancy
from tend.licensure.models import CompactPrivilege, ExamAttempt, License
from tests.careers.factories import make_license
from tests.conftest import Cast, signed_in

LICENSE_FORM = {
    "state": "TX",
    "family": "counselor",
    "title": "LPC",
    "number": "TX-778812",
    "issued_on": "2021-03-01",
    "expires_on": "2027-02-28",
    "status": "active",
}


def test_a_clinician_records_a_licence_and_it_is_audited(cast: Cast) -> None:
    response = signed_in(cast.clinician).post("/licensure/", LICENSE_FORM)

    assert response.status_code == 302
    license_ = License.objects.get()
    assert (license_.holder, license_.state, license_.title, license_.number) == (
        cast.clinician,
        "TX",
        "LPC",
        "TX-778812",
    )
    assert (license_.issued_on, license_.expires_on) == (date(2021, 3, 1), date(2027, 2, 28))
    event = AuditEvent.objects.get(action="licensure.license_created")
    assert event.subject_id == str(license_.public_id)
    assert event.extra == {"state": "TX", "family": "counselor", "status": "active"}


def test_an_expiry_before_the_issue_date_is_refused_next_to_the_field(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(
        "/licensure/", {**LICENSE_FORM, "expires_on": "2020-01-01"}
    )

    assert response.status_code == 400
    assert "The expiry date must be after the issue date." in response.content.decode()
    assert License.objects.count() == 0
    assert 'value="TX-778812"' in response.content.decode()


def test_only_the_holder_can_update_a_licence(cast: Cast) -> None:
    license_ = make_license(cast.clinician, expires_on=date(2027, 1, 1))
    url = f"/licensure/licenses/{license_.public_id}/update/"

    refused = signed_in(cast.supervisor).post(
        url, {"expires_on": "2029-01-01", "status": "inactive"}
    )
    renewed = signed_in(cast.clinician).post(url, {"expires_on": "2029-01-01", "status": "active"})

    assert refused.status_code == 404
    assert renewed.status_code == 302
    license_.refresh_from_db()
    assert (license_.expires_on, license_.status) == (date(2029, 1, 1), "active")
    assert AuditEvent.objects.get(action="licensure.license_updated").extra == {
        "fields": ["expires_on"]
    }


def test_a_compact_privilege_needs_both_states_in_the_compact(cast: Cast) -> None:
    texas = make_license(cast.clinician, state="TX", number="TX-1")
    florida = make_license(cast.clinician, state="FL", number="FL-1", title="LMHC")
    client = signed_in(cast.clinician)
    form = {"compact_code": "COUNSELING_COMPACT", "state": "GA", "expires_on": "2027-06-30"}

    from_texas = client.post(
        "/licensure/privileges/add/", {**form, "home_license": texas.public_id}
    )
    from_florida = client.post(
        "/licensure/privileges/add/", {**form, "home_license": florida.public_id}
    )

    assert from_texas.status_code == 400
    assert "The data lists TX as not a member of the Counseling Compact" in (
        from_texas.content.decode()
    )
    assert from_florida.status_code == 302
    privilege = CompactPrivilege.objects.get()
    assert (privilege.home_license, privilege.state) == (florida, "GA")
    assert AuditEvent.objects.filter(action="licensure.privilege_added").count() == 1


def test_exam_attempts_name_an_exam_from_the_catalogue(cast: Cast) -> None:
    client = signed_in(cast.associate)

    unknown = client.post(
        "/licensure/exams/add/",
        {"exam_code": "MADE_UP", "taken_on": "2026-05-02", "result": "passed"},
    )
    known = client.post(
        "/licensure/exams/add/", {"exam_code": "NCE", "taken_on": "2026-05-02", "result": "passed"}
    )

    assert unknown.status_code == 400
    assert known.status_code == 302
    attempt = ExamAttempt.objects.get()
    assert (attempt.candidate, attempt.exam_code, attempt.result) == (
        cast.associate,
        "NCE",
        "passed",
    )


def _panels(user: User) -> list[dict[str, Any]]:
    request = RequestFactory().get("/")
    request.user = user
    request.tenancy = load_tenancy(user, None)  # type: ignore[attr-defined]
    request.organization = request.tenancy.current  # type: ignore[attr-defined]
    return panels_for(request)  # type: ignore[arg-type]


def _renewal_panel(user: User) -> str | None:
    for entry in _panels(user):
        if entry["panel"].key == "licence-renewals":
            return render_to_string(entry["panel"].template, {"panel": entry["context"]})
    return None


@time_machine.travel("2026-11-27 09:00 -06:00", tick=False)
def test_the_dashboard_warns_of_licences_expiring_within_90_60_and_30_days(cast: Cast) -> None:
    make_license(cast.clinician, state="TX", number="a", expires_on=date(2026, 12, 7))  # 10 days
    make_license(cast.clinician, state="FL", number="b", expires_on=date(2027, 1, 11))  # 45
    make_license(cast.clinician, state="GA", number="c", expires_on=date(2027, 2, 15))  # 80
    make_license(cast.clinician, state="OH", number="d", expires_on=date(2027, 3, 27))  # 120
    make_license(
        cast.clinician,
        state="NC",
        number="e",
        expires_on=date(2027, 1, 1),
        status="inactive",
    )

    panel = _renewal_panel(cast.clinician)

    assert panel is not None
    assert panel.count("within 30 days") == 1
    assert panel.count("within 60 days") == 1
    assert panel.count("within 90 days") == 1
    assert "(TX) expires Dec 7, 2026" in panel
    assert "10 days left" in panel
    assert "45 days left" in panel
    assert "80 days left" in panel
    assert "(OH)" not in panel
    assert "(NC)" not in panel


@time_machine.travel("2026-11-27 09:00 -06:00", tick=False)
def test_people_without_expiring_licences_get_no_renewal_panel(cast: Cast) -> None:
    make_license(cast.clinician, state="TX", number="a", expires_on=date(2027, 6, 1))

    assert _renewal_panel(cast.clinician) is None
    assert _renewal_panel(cast.front_desk) is None


def test_the_licence_page_runs_the_same_queries_for_2_and_20_licences(cast: Cast) -> None:
    def count() -> int:
        client = signed_in(cast.clinician)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/licensure/").status_code == 200
        return len(queries)

    for index in range(2):
        make_license(cast.clinician, number=f"few-{index}")
    few = count()
    for index in range(18):
        make_license(cast.clinician, number=f"many-{index}")

    assert count() == few
