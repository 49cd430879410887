"""URL keywords of careers routes, for the access-matrix test."""

from __future__ import annotations

from tend.careers.alerts import saved_search_create
from tend.careers.services import application_submit
from tests.careers.factories import make_posting
from tests.conftest import Cast


def _posting(cast: Cast) -> str:
    return str(make_posting(cast.organization, cast.owner).public_id)


def _application(cast: Cast) -> str:
    posting = make_posting(cast.organization, cast.owner, title="Application target")
    application = application_submit(
        posting=posting, applicant=cast.clinician, cover_note="", share=["modalities"]
    )
    return str(application.public_id)


def _own_application(cast: Cast) -> str:
    # The applicant is the outsider's counterpart in Harbor: only they may withdraw it.
    posting = make_posting(cast.other_organization, cast.outsider, title="Elsewhere opening")
    application = application_submit(
        posting=posting, applicant=cast.clinician, cover_note="", share=[]
    )
    return str(application.public_id)


def _saved_search(cast: Cast) -> str:
    # Saved searches are personal: only their owner (the clinician) may change them.
    saved = saved_search_create(
        owner=cast.clinician, name="Remote DBT", query="q=dbt", alerts_enabled=True
    )
    return str(saved.public_id)


OBJECTS = {
    # Public postings: anyone may read them, outsiders included.
    "job_id": (_posting, False),
    # The same postings addressed by the employer's pages: Harbor's only.
    "posting_id": (_posting, True),
    "application_id": (_application, True),
    "my_application_id": (_own_application, True),
    "saved_search_id": (_saved_search, True),
}
