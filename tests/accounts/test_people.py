from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.accounts.models import Membership
from tend.audit.models import AuditEvent
from tend.core.tenancy import SESSION_KEY
from tests.conftest import Cast, make_member, signed_in


def test_the_people_page_lists_members_with_their_roles(cast: Cast) -> None:
    response = signed_in(cast.front_desk).get(reverse("accounts:people"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sage Supervisor" in html
    assert "Licensed clinician, Clinical supervisor" in html
    assert "Oscar Outsider" not in html
    assert "Invite someone" not in html  # front desk sees people but cannot manage them


def test_the_people_page_runs_a_fixed_number_of_queries(cast: Cast) -> None:
    client = signed_in(cast.owner)
    client.get(reverse("accounts:people"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:people"))
    for index in range(20):
        make_member(
            cast.organization,
            cast.owner,
            f"extra{index}@harbor.test",
            f"Extra {index}",
            "front_desk",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("accounts:people"))
    assert len(few) == len(many)


def test_an_admin_changes_roles_and_it_is_audited(cast: Cast) -> None:
    url = reverse("accounts:member_roles", args=[cast.clinician.public_id])
    response = signed_in(cast.admin).post(url, {"roles": ["clinician", "supervisor"]})
    assert response.status_code == 302
    assert sorted(
        Membership.objects.filter(user=cast.clinician, organization=cast.organization).values_list(
            "role", flat=True
        )
    ) == ["clinician", "supervisor"]
    event = AuditEvent.objects.filter(action="accounts.member_roles_changed").latest("id")
    assert event.extra == {"roles": ["clinician", "supervisor"], "previous_roles": ["clinician"]}
    assert event.subject_id == str(cast.clinician.public_id)


def test_the_last_owner_cannot_be_removed(cast: Cast) -> None:
    url = reverse("accounts:member_roles", args=[cast.owner.public_id])
    response = signed_in(cast.owner).post(url, {"roles": ["clinician"]})
    assert response.status_code == 400
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.filter(user=cast.owner, role="owner").count() == 1


def test_a_person_in_two_organizations_switches_between_them(cast: Cast) -> None:
    Membership.objects.create(
        user=cast.clinician, organization=cast.other_organization, role="clinician"
    )
    client = signed_in(cast.clinician)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'name="organization"' in page
    response = client.post(
        reverse("accounts:switch_organization"),
        {"organization": str(cast.other_organization.public_id)},
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(cast.other_organization.public_id)
    assert (
        "You are working in <strong>Elsewhere Therapy</strong>"
        in client.get(reverse("core:dashboard")).content.decode()
    )


def test_switching_to_an_organization_you_do_not_belong_to_is_refused(cast: Cast) -> None:
    client = signed_in(cast.clinician)
    client.post(
        reverse("accounts:switch_organization"),
        {"organization": str(cast.other_organization.public_id)},
    )
    assert SESSION_KEY not in client.session
    assert "Harbor Counseling" in client.get(reverse("core:dashboard")).content.decode()


def test_profile_rejects_an_invalid_npi_next_to_the_field(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(
        reverse("accounts:profile"),
        {"display_name": "Cleo Clinician", "npi": "1234567890", "languages": "English"},
    )
    assert response.status_code == 400
    assert "fails the NPI check digit" in response.content.decode()


def test_profile_saves_modalities_and_languages(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(
        reverse("accounts:profile"),
        {
            "display_name": "Cleo Clinician, LPC",
            "npi": "1234567893",
            "modalities": ["cbt", "dbt"],
            "languages": "English, Spanish",
            "credentials": "LPC",
        },
    )
    assert response.status_code == 302
    profile = cast.clinician.clinician_profile
    profile.refresh_from_db()
    assert (profile.npi, profile.modalities, profile.languages) == (
        "1234567893",
        ["cbt", "dbt"],
        ["English", "Spanish"],
    )


def test_an_overlong_organization_name_gets_a_message(cast: Cast) -> None:
    response = signed_in(cast.owner).post(
        reverse("accounts:organization_settings"),
        {"name": "x" * 201, "kind": "cmhc", "state": "TX", "timezone": "America/Chicago"},
    )
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    cast.organization.refresh_from_db()
    assert cast.organization.name == "Harbor Counseling"
