"""Tend's page-wide template variables: built once per request, never shared between two."""

from __future__ import annotations

from django.test import RequestFactory

from tend.core.context_processors import tend
from tend.core.tenancy import load_tenancy
from tests.conftest import Cast


def _request(user: object) -> object:
    request = RequestFactory().get("/")
    request.user = user  # type: ignore[attr-defined]
    request.tenancy = load_tenancy(user, None)  # type: ignore[attr-defined, arg-type]
    return request


def test_each_request_builds_its_own_variables_once(cast: Cast) -> None:
    clinician, front_desk = _request(cast.clinician), _request(cast.front_desk)

    first = tend(clinician)  # type: ignore[arg-type]
    again = tend(clinician)  # type: ignore[arg-type]
    desk = tend(front_desk)  # type: ignore[arg-type]

    assert again is first
    assert first["tenancy"] is clinician.tenancy  # type: ignore[attr-defined]
    assert desk["tenancy"] is front_desk.tenancy  # type: ignore[attr-defined]
    # The navigation is each person's own: the front desk has no clinical entries.
    labels = {item["label"] for item in first["navigation"]}
    desk_labels = {item["label"] for item in desk["navigation"]}
    assert labels - desk_labels, "the clinician sees entries the front desk does not"
