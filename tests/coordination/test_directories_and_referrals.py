from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.accounts.services import membership_roles_set
from tend.audit.models import AuditEvent
from tend.clients.models import Client
from tend.coordination import services
from tend.coordination.models import (
    CollateralContact,
    CommunityResource,
    ExternalProvider,
    ExternalTeamMember,
    Referral,
)
from tend.core.dashboard import panels_for
from tend.core.permissions import Role
from tend.core.tenancy import load_tenancy
from tests.conftest import Cast, search_by_post_only, second_load, signed_in
from tests.coordination.helpers import (
    assert_read_audited,
    make_client,
    make_consent,
    make_provider,
    make_resource,
)

NOV_27 = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)


def _refer(cast: Cast, client: Client, **overrides: object) -> Referral:
    fields: dict[str, object] = {
        "kind": Referral.Kind.COMMUNITY,
        "resource": make_resource(cast.organization),
        "provider": None,
        "reason": "Facing eviction",
        "urgency": Referral.Urgency.SOON,
        "consent": None,
        "follow_up_on": date(2026, 12, 4),
    }
    fields.update(overrides)
    return services.referral_create(client=client, actor=cast.clinician, **fields)  # type: ignore[arg-type]


def test_an_invalid_npi_is_refused_next_to_the_field(cast: Cast) -> None:
    response = signed_in(cast.front_desk).post(
        reverse("coordination:providers"),
        {"name": "Dr. Test", "role": "psychiatrist", "npi": "1234567890"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["npi"] == [
        "Enter a valid 10-digit NPI; this number fails the NPI check digit."
    ]
    assert ExternalProvider.objects.count() == 0


def test_a_provider_is_added_to_the_directory_with_an_audit_row(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(
        reverse("coordination:providers"),
        {"name": "Dr. Imani Reyes", "role": "psychiatrist", "npi": "1234567893"},
    )
    assert response.status_code == 302
    provider = ExternalProvider.objects.get()
    assert (provider.organization, provider.npi) == (cast.organization, "1234567893")
    event = AuditEvent.objects.get(action="coordination.provider_created")
    assert (event.subject_id, event.extra) == (str(provider.public_id), {"role": "psychiatrist"})


@time_machine.travel(NOV_27, tick=False)
def test_the_care_team_view_shows_internal_and_external_members(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    browser = signed_in(cast.clinician)
    added = browser.post(
        reverse("coordination:team_member_add", args=[client.public_id]),
        {
            "provider": str(provider.public_id),
            "role_on_case": "Medication",
            "started_on": "2026-11-01",
        },
    )
    assert added.status_code == 302
    twice = browser.post(
        reverse("coordination:team_member_add", args=[client.public_id]),
        {"provider": str(provider.public_id), "started_on": "2026-11-02"},
    )
    assert twice.status_code == 400
    assert twice.context["team_form"].errors["provider"] == [
        "Dr. Imani Reyes is already on the care team."
    ]
    page = browser.get(reverse("coordination:client", args=[client.public_id]))
    # The page shows the chart's one care-team block: colleagues, then external providers.
    team = page.context["team"]
    assert {m.user for m in team["current"]} == {cast.associate, cast.supervisor}
    assert [(m.name, m.role, m.role_on_case) for m in team["outside"]] == [
        ("Dr. Imani Reyes", "Psychiatrist", "Medication")
    ]
    assert "Psychiatrist · external" in page.content.decode()
    assert ExternalTeamMember.objects.count() == 1
    assert AuditEvent.objects.filter(action="coordination.viewed").count() == 1


def _hub_queries(cast: Cast, client: Client, rows: int) -> int:
    provider = make_provider(cast.organization, cast.clinician, f"Dr. {rows}")
    for index in range(rows):
        make_consent(client, cast.clinician, provider, ["diagnoses"])
        _refer(cast, client, resource=make_resource(cast.organization, f"Place {rows}-{index}"))
        services.contact_record(
            client=client, actor=cast.clinician, provider=provider, contact_name="",
            method="phone", occurred_on=date(2026, 11, 20), minutes=10, summary="Call",
        )  # fmt: skip
    browser = signed_in(cast.clinician)
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(reverse("coordination:client", args=[client.public_id]))
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(NOV_27, tick=False)
def test_the_coordination_page_runs_the_same_queries_for_small_and_large_records(
    cast: Cast,
) -> None:
    small = _hub_queries(cast, make_client(cast), 1)
    large = _hub_queries(cast, make_client(cast, "Large", "Record"), 15)
    assert small == large


def test_the_resource_directory_searches_and_filters_in_an_htmx_partial(cast: Cast) -> None:
    make_resource(cast.organization, "Harborview Housing Help", "housing")
    make_resource(cast.organization, "Open Table Food Pantry", "food")
    make_resource(cast.organization, "Rainbow Center", "lgbtq", "youth")
    browser = signed_in(cast.front_desk)
    url = reverse("coordination:resources")
    by_category = browser.get(url, {"category": "youth"})
    assert [r.name for r in by_category.context["resources"]] == ["Rainbow Center"]
    by_text = browser.get(url, {"q": "pantry"}, headers={"HX-Request": "true"})
    assert [r.name for r in by_text.context["resources"]] == ["Open Table Food Pantry"]
    assert b"<html" not in by_text.content
    assert b"Open Table Food Pantry" in by_text.content


def _directory_queries(cast: Cast, count: int, prefix: str) -> int:
    for index in range(count):
        make_resource(cast.organization, f"{prefix} {index}", "housing", "food")
    browser = signed_in(cast.hiring_manager)
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(reverse("coordination:resources"), {"category": "housing"})
    assert response.status_code == 200
    return len(queries)


def test_the_directory_runs_the_same_queries_for_few_and_many_resources(cast: Cast) -> None:
    few = _directory_queries(cast, 3, "Few")
    many = _directory_queries(cast, 40, "Many")
    assert few == many


@time_machine.travel(NOV_27, tick=False)
def test_a_referral_cannot_be_closed_without_an_outcome(cast: Cast) -> None:
    client = make_client(cast)
    referral = _refer(cast, client, status=Referral.Status.SENT)
    url = reverse("coordination:referral", args=[referral.public_id])
    browser = signed_in(cast.clinician)
    refused = browser.post(url, {"status": "closed", "follow_up_on": "2026-12-04", "outcome": " "})
    assert refused.status_code == 400
    assert refused.context["form"].errors["outcome"] == [
        "Record the outcome before closing the referral."
    ]
    referral.refresh_from_db()
    assert (referral.status, referral.closed_on) == ("sent", None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status="closed")
    closed = browser.post(
        url, {"status": "closed", "follow_up_on": "2026-12-04", "outcome": "Housed at Harborview"}
    )
    assert closed.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.closed_on) == (
        "closed", "Housed at Harborview", date(2026, 11, 27),
    )  # fmt: skip
    event = AuditEvent.objects.get(action="coordination.referral_closed")
    assert event.extra == {"status": "closed", "previous_status": "sent"}
    with pytest.raises(ValidationError):
        services.referral_update(
            referral=referral, actor=cast.clinician, status="sent",
            follow_up_on=date(2026, 12, 4), outcome="",
        )  # fmt: skip


@time_machine.travel(NOV_27, tick=False)
def test_opening_a_referral_is_recorded_in_the_audit_trail_and_saving_it_is_not_a_read(
    cast: Cast,
) -> None:
    client = make_client(cast)
    referral = _refer(cast, client, status=Referral.Status.SENT)
    assert_read_audited(
        "coordination:referral", referral, client,
        reader=cast.clinician, refused=cast.front_desk, outsider=cast.outsider,
    )  # fmt: skip

    url = reverse("coordination:referral", args=[referral.public_id])
    saved = signed_in(cast.clinician).post(
        url, {"status": "scheduled", "follow_up_on": "2026-12-04", "outcome": ""}
    )
    assert saved.status_code == 302
    assert AuditEvent.objects.filter(action="coordination.viewed").count() == 1
    assert AuditEvent.objects.filter(action="coordination.referral_updated").count() == 1


@time_machine.travel(NOV_27, tick=False)
def test_a_referral_citing_an_inactive_consent_is_refused(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    expired = make_consent(
        client, cast.clinician, provider, ["diagnoses"], effective_on=date(2025, 1, 1),
        expires_on=date(2025, 12, 31), signed_on=date(2025, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        _refer(cast, client, resource=None, provider=provider, consent=expired)
    assert refused.value.message_dict == {"consent": ["That consent is not active today."]}


def test_open_referrals_past_follow_up_appear_on_the_clinicians_dashboard(cast: Cast) -> None:
    client = make_client(cast)
    with time_machine.travel(NOV_27, tick=False):
        overdue = _refer(cast, client, follow_up_on=date(2026, 12, 1), status="sent")
        _refer(cast, client, follow_up_on=date(2026, 12, 10), status="sent")
        closed = _refer(cast, client, follow_up_on=date(2026, 11, 30), status="sent")
        services.referral_update(
            referral=closed, actor=cast.clinician, status="closed",
            follow_up_on=date(2026, 11, 30), outcome="Client declined",
        )  # fmt: skip
    request = RequestFactory().get("/")
    request.user = cast.clinician
    request.tenancy = load_tenancy(cast.clinician, None)  # type: ignore[attr-defined]
    request.organization = cast.organization  # type: ignore[attr-defined]
    with time_machine.travel(datetime(2026, 12, 2, 16, tzinfo=UTC), tick=False):
        panels = {entry["panel"].key: entry["context"] for entry in panels_for(request)}  # type: ignore[arg-type]
    assert [r.public_id for r in panels["overdue_referrals"]["referrals"]] == [overdue.public_id]
    with time_machine.travel(datetime(2026, 11, 28, 16, tzinfo=UTC), tick=False):
        keys = [entry["panel"].key for entry in panels_for(request)]  # type: ignore[arg-type]
    assert "overdue_referrals" not in keys


@time_machine.travel(NOV_27, tick=False)
def test_a_collateral_contact_is_recorded_on_the_chart(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    browser = signed_in(cast.associate)
    missing = browser.post(
        reverse("coordination:contact_new", args=[client.public_id]),
        {"method": "meeting", "occurred_on": "2026-11-26", "summary": "IEP meeting"},
    )
    assert missing.status_code == 400
    assert missing.context["form"].errors["contact_name"] == ["Choose a provider or say with whom."]
    saved = browser.post(
        reverse("coordination:contact_new", args=[client.public_id]),
        {"provider": str(provider.public_id), "method": "phone", "occurred_on": "2026-11-26",
         "minutes": "20", "summary": "Reviewed sertraline response."},
    )  # fmt: skip
    assert saved.status_code == 302
    contact = CollateralContact.objects.get()
    assert (contact.contact_name, contact.author, contact.minutes) == (
        "Dr. Imani Reyes", cast.associate, 20,
    )  # fmt: skip


def _directory(cast: Cast, count: int) -> list[CommunityResource]:
    return [make_resource(cast.organization, f"Shelter {index:03}") for index in range(count)]


def _target_options(html: str) -> list[str]:
    return re.findall(r'<option value="(?:resource|provider):[^"]+"[^>]*>([^<]+)</option>', html)


def _referral_page_queries(cast: Cast, client: Client) -> tuple[int, str]:
    url = reverse("coordination:referral_new", args=[client.public_id])
    count, page = second_load(cast.clinician, url)
    return count, page.content.decode()


@time_machine.travel(NOV_27, tick=False)
def test_the_referral_form_lists_a_bounded_few_resources_however_large_the_directory(
    cast: Cast,
) -> None:
    client = make_client(cast)
    make_provider(cast.organization, cast.clinician)
    make_resource(cast.other_organization, "Shelter 000 elsewhere")
    _directory(cast, 3)
    few, _ = _referral_page_queries(cast, client)
    _directory(cast, 57)  # names repeat: the directory now lists 60 shelters

    many, html = _referral_page_queries(cast, client)

    assert few == many
    assert _target_options(html) == [
        f"Shelter {index:03}" for index in (0, 0, 1, 1, 2, 2, *range(3, 17))
    ] + ["Dr. Imani Reyes (Psychiatrist)"]


@time_machine.travel(NOV_27, tick=False)
def test_the_resource_search_lists_matches_of_the_organization_and_keeps_the_choice(
    cast: Cast,
) -> None:
    harbor = make_resource(cast.organization, "Harborview Housing Help (demo)")
    pantry = make_resource(cast.organization, "Open Table Food Pantry")
    make_resource(cast.other_organization, "Harbor Light Shelter")
    make_provider(cast.organization, cast.clinician)
    url = reverse("coordination:referral_targets", args=[make_client(cast).public_id])
    browser = signed_in(cast.clinician)

    found = browser.post(url, {"resource_query": "harbor"}, headers={"HX-Request": "true"})
    assert found.status_code == 200
    html = found.content.decode()
    assert html.strip().startswith('<select name="target"')
    assert _target_options(html) == [harbor.name, "Dr. Imani Reyes (Psychiatrist)"]

    chosen = f"resource:{pantry.public_id}"
    kept = browser.post(url, {"resource_query": "harbor", "target": chosen}).content.decode()
    assert _target_options(kept) == [pantry.name, harbor.name, "Dr. Imani Reyes (Psychiatrist)"]
    assert f'<option value="{chosen}" selected>' in kept


@time_machine.travel(NOV_27, tick=False)
def test_the_resource_search_reads_the_directory_of_the_clients_organization(cast: Cast) -> None:
    # The clinician also works at Elsewhere, and acts at Harbor (their first organization)
    # while referring an Elsewhere client: the list comes from Elsewhere's directory.
    membership_roles_set(
        organization=cast.other_organization,
        user=cast.clinician,
        roles=[Role.CLINICIAN],
        actor=cast.outsider,
    )
    theirs = Client.objects.create(
        organization=cast.other_organization,
        legal_first_name="Noa",
        legal_last_name="Brandt",
        date_of_birth=date(1988, 6, 2),
        status=Client.Status.ACTIVE,
        primary_clinician=cast.clinician,
    )
    make_resource(cast.organization, "Harborview Housing Help (demo)")
    bayside = make_resource(cast.other_organization, "Harbor Light Shelter")
    browser = signed_in(cast.clinician)

    found = browser.post(
        reverse("coordination:referral_targets", args=[theirs.public_id]),
        {"resource_query": "harbor"},
        headers={"HX-Request": "true"},
    )

    assert _target_options(found.content.decode()) == [bayside.name]
    # And nobody outside the client's case gets a list for it.
    assert (
        signed_in(cast.associate)
        .post(reverse("coordination:referral_targets", args=[theirs.public_id]), {})
        .status_code
        == 404
    )


@time_machine.travel(NOV_27, tick=False)
def test_the_resource_search_takes_the_words_only_by_post_with_the_pages_csrf_token(
    cast: Cast,
) -> None:
    client = make_client(cast)
    harbor = make_resource(cast.organization, "Harborview Housing Help (demo)")
    make_resource(cast.organization, "Open Table Food Pantry")

    found = search_by_post_only(
        cast.clinician,
        page_url=reverse("coordination:referral_new", args=[client.public_id]),
        search_url=reverse("coordination:referral_targets", args=[client.public_id]),
        data={"resource_query": "harbor"},
    )

    assert found.status_code == 200
    assert _target_options(found.content.decode()) == [harbor.name]


def _referral_post(cast: Cast, client: Client, target: str, **extra: str) -> HttpResponse:
    return signed_in(cast.clinician).post(
        reverse("coordination:referral_new", args=[client.public_id]),
        {
            "target": target,
            "kind": Referral.Kind.COMMUNITY,
            "reason": "Facing eviction at the end of the month.",
            "urgency": Referral.Urgency.SOON,
            "status": Referral.Status.DRAFT,
            "follow_up_on": "2026-12-04",
            **extra,
        },
    )


@time_machine.travel(NOV_27, tick=False)
def test_a_referral_goes_to_any_resource_of_the_directory_and_to_no_other(
    cast: Cast,
) -> None:
    client = make_client(cast)
    last = _directory(cast, 30)[-1]  # beyond the first twenty the form lists
    elsewhere = make_resource(cast.other_organization, "Harbor Light Shelter")

    for refused in (f"resource:{elsewhere.public_id}", "resource:not-an-id", "shelter"):
        response = _referral_post(cast, client, refused)
        assert response.status_code == 400
        assert response.context["form"].errors == {
            "target": [f"Select a valid choice. {refused} is not one of the available choices."]
        }
    assert Referral.objects.count() == 0

    saved = _referral_post(cast, client, f"resource:{last.public_id}")
    assert saved.status_code == 302
    referral = Referral.objects.get()
    assert (referral.resource, referral.provider) == (last, None)


@time_machine.travel(NOV_27, tick=False)
def test_without_javascript_the_search_button_lists_matches_and_keeps_what_was_typed(
    cast: Cast,
) -> None:
    client = make_client(cast)
    _directory(cast, 25)
    harbor = make_resource(cast.organization, "Harborview Housing Help (demo)")

    page = _referral_post(cast, client, "", resource_query="harbor", find_resources="1")

    assert page.status_code == 200
    html = page.content.decode()
    assert _target_options(html) == [harbor.name]
    assert 'value="harbor"' in html
    assert "Facing eviction at the end of the month.</textarea>" in html
    assert 'class="field-error"' not in html
    assert Referral.objects.count() == 0
