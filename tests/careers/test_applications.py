from __future__ import annotations

import time_machine
from django.apps import apps

from tend.accounts.models import ClinicianProfile, Degree
from tend.audit.models import AuditEvent
from tend.careers.models import ApplicationNote, JobApplication
from tests.careers.factories import make_license, make_posting
from tests.conftest import Cast, signed_in

travel = time_machine.travel("2026-11-27 10:00 -06:00", tick=False)


def _profile(cast: Cast) -> None:
    profile = ClinicianProfile.objects.create(
        user=cast.clinician,
        modalities=["dbt", "cbt"],
        populations=["adolescents"],
        languages=["English", "Spanish"],
        bio="Private bio, never shared unless chosen.",
    )
    Degree.objects.create(
        profile=profile,
        kind="MA",
        field_of_study="Clinical Mental Health Counseling",
        school="Texas State University",
        year=2016,
    )
    make_license(cast.clinician, state="TX", title="LPC", number="TX-5521")


@travel
def test_an_applicant_shares_only_the_profile_parts_they_choose(cast: Cast) -> None:
    _profile(cast)
    posting = make_posting(cast.organization, cast.owner, title="DBT therapist")

    response = signed_in(cast.clinician).post(
        f"/careers/jobs/{posting.public_id}/apply/",
        {"share": ["modalities", "licenses"], "cover_note": "I run DBT skills groups."},
    )

    assert response.status_code == 302
    application = JobApplication.objects.get()
    assert application.shared_profile == {
        "licenses": ["LPC, TX #TX-5521 (Active, expires 2027-11-27)"],
        "modalities": [
            "Dialectical behavior therapy (DBT)",
            "Cognitive behavioral therapy (CBT)",
        ],
    }
    assert application.cover_note == "I run DBT skills groups."
    event = AuditEvent.objects.get(action="careers.application_submitted")
    assert event.extra == {"shared": ["licenses", "modalities"]}


def test_careers_holds_no_link_to_clinical_records() -> None:
    clinical_apps = {"clients", "assessments", "measures", "plans", "care", "coordination"}
    for model in apps.get_app_config("careers").get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is not None:
                assert related._meta.app_label not in clinical_apps, (model, field.name)


@travel
def test_the_employer_moves_an_application_and_the_applicant_sees_the_stage(cast: Cast) -> None:
    _profile(cast)
    posting = make_posting(cast.organization, cast.owner, title="DBT therapist")
    signed_in(cast.clinician).post(
        f"/careers/jobs/{posting.public_id}/apply/", {"share": ["degrees"], "cover_note": ""}
    )
    application = JobApplication.objects.get()

    pipeline = signed_in(cast.hiring_manager).get(
        f"/careers/manage/{posting.public_id}/applications/"
    )
    detail = signed_in(cast.hiring_manager).get(
        f"/careers/manage/applications/{application.public_id}/"
    )
    moved = signed_in(cast.hiring_manager).post(
        f"/careers/manage/applications/{application.public_id}/",
        {"status": "interview", "note": "Strong DBT background; call Tuesday."},
    )
    mine = signed_in(cast.clinician).get("/careers/applications/").content.decode()

    assert "Cleo Clinician" in pipeline.content.decode()
    assert "MA Clinical Mental Health Counseling, Texas State University (2016)" in (
        detail.content.decode()
    )
    assert "Private bio" not in detail.content.decode()
    assert moved.status_code == 302
    application.refresh_from_db()
    assert application.status == "interview"
    assert ApplicationNote.objects.get().text == "Strong DBT background; call Tuesday."
    assert "Interview" in mine
    assert "call Tuesday" not in mine
    assert AuditEvent.objects.get(action="careers.application_moved").extra == {
        "from": "applied",
        "to": "interview",
        "note_added": True,
    }


@travel
def test_applying_twice_is_refused_with_a_message(cast: Cast) -> None:
    posting = make_posting(cast.organization, cast.owner)
    client = signed_in(cast.clinician)
    url = f"/careers/jobs/{posting.public_id}/apply/"

    client.post(url, {"cover_note": "first"})
    second = client.post(url, {"cover_note": "second"})

    assert second.status_code == 400
    assert "You have already applied to this posting." in second.content.decode()
    assert JobApplication.objects.get().cover_note == "first"


@travel
def test_an_applicant_withdraws_and_the_employer_can_no_longer_move_it(cast: Cast) -> None:
    posting = make_posting(cast.organization, cast.owner)
    signed_in(cast.clinician).post(f"/careers/jobs/{posting.public_id}/apply/", {})
    application = JobApplication.objects.get()

    other = signed_in(cast.associate).post(
        f"/careers/applications/{application.public_id}/withdraw/"
    )
    withdrawn = signed_in(cast.clinician).post(
        f"/careers/applications/{application.public_id}/withdraw/"
    )
    move = signed_in(cast.owner).post(
        f"/careers/manage/applications/{application.public_id}/", {"status": "offer"}
    )

    assert other.status_code == 404
    assert withdrawn.status_code == 302
    assert move.status_code == 400
    assert "The applicant withdrew this application." in move.content.decode()
    application.refresh_from_db()
    assert application.status == "withdrawn"


@travel
def test_another_organization_cannot_read_an_application(cast: Cast) -> None:
    posting = make_posting(cast.organization, cast.owner)
    signed_in(cast.clinician).post(f"/careers/jobs/{posting.public_id}/apply/", {})
    application = JobApplication.objects.get()

    response = signed_in(cast.outsider).get(
        f"/careers/manage/applications/{application.public_id}/"
    )

    assert response.status_code == 404
