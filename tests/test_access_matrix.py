"""Every page and API route, for every role: anonymous → login/401, outsider → 404,
a role without the capability → 403 with nothing changed, a role with it → served.

Routes are enumerated from the URL configuration and the API, so new routes are
covered the moment they exist; a view that declares neither a capability
(`member_required` / `requires`) nor `public_view` fails here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.operation import PathView

from tend.audit.models import AuditEvent
from tend.core.permissions import Capability, capabilities_for
from tests.access_objects import OBJECTS
from tests.conftest import Cast, signed_in

THIRD_PARTY_PREFIXES = ("accounts/", "admin/")  # allauth's and Django admin's own views
API_PREFIX = "api/v1/"
_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_METHODS = ("get", "post")


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "people/<uuid:user_id>/roles/"
    methods: tuple[str, ...]
    capability: Capability | None
    is_public: bool
    is_api: bool

    @property
    def keywords(self) -> list[str]:
        return [match["name"] for match in _PARAM.finditer(self.template)]

    @property
    def addresses_org_object(self) -> bool:
        return any(OBJECTS[name][1] for name in self.keywords)

    def url(self, cast: Cast) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match["name"]
            assert name in OBJECTS, f"Add a factory for <{name}> to tests/access_objects.py"
            return OBJECTS[name][0](cast)

        return "/" + _PARAM.sub(fill, self.template)


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _api_operations(callback: Any) -> list[Any]:
    cells = [cell.cell_contents for cell in callback.__closure__ or ()]
    path_view = next(cell for cell in cells if isinstance(cell, PathView))
    return list(path_view.operations)


def enumerate_routes() -> list[Route]:
    routes = []
    for template, callback in _walk(get_resolver().url_patterns):
        if template.startswith(THIRD_PARTY_PREFIXES):
            continue
        template = template.replace("^", "").replace("$", "")
        if template.startswith(API_PREFIX) and not isinstance(callback, functools.partial):
            for operation in _api_operations(callback):
                handler = operation.view_func
                assert getattr(handler, "tend_protected", False), (
                    f"API handler {handler.__name__} must use @requires(...)"
                )
                routes.append(
                    Route(
                        template=template.replace("{", "<").replace("}", ">"),
                        methods=tuple(method.lower() for method in operation.methods),
                        capability=handler.required_capability,
                        is_public=False,
                        is_api=True,
                    )
                )
            continue
        if template.startswith(API_PREFIX.rstrip("/")):
            continue  # the OpenAPI document, its docs page and the API root
        is_public = getattr(callback, "tend_public", False)
        assert is_public or getattr(callback, "tend_protected", False), (
            f"View for {template!r} must be decorated with member_required or public_view"
        )
        routes.append(
            Route(
                template=template,
                methods=_METHODS,
                capability=getattr(callback, "required_capability", None),
                is_public=is_public,
                is_api=False,
            )
        )
    return routes


ROUTES = enumerate_routes()
PROTECTED = [route for route in ROUTES if not route.is_public]


def fingerprint() -> dict[str, int]:
    """Row counts of every table Tend owns, plus the audit trail's length."""
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "contenttypes", "admin"}:
            continue
        counts[model._meta.label] = model._default_manager.count()
    counts["audit_last_id"] = AuditEvent.objects.aggregate(last=models.Max("id"))["last"] or 0
    return counts


def request(client: Client, route: Route, method: str, url: str) -> Any:
    if route.is_api:
        return getattr(client, method)(
            url, content_type="application/json", data="{}" if method != "get" else None
        )
    return getattr(client, method)(url)


def test_the_matrix_covers_the_foundation_routes() -> None:
    templates = {route.template for route in ROUTES}
    assert {"", "people/", "people/<uuid:user_id>/roles/", "api/v1/me"} <= templates


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.template or "/")
def test_anonymous_users_are_sent_to_sign_in(cast: Cast, route: Route) -> None:
    url = route.url(cast)
    client = Client()
    for method in route.methods:
        response = request(client, route, method, url)
        if response.status_code == 405:
            continue
        if route.is_api:
            assert response.status_code == 401, (method, url)
            assert response.json()["error"]["code"] == "not_authenticated"
        else:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "route", [r for r in PROTECTED if r.addresses_org_object], ids=lambda r: r.template
)
def test_outsiders_get_not_found(cast: Cast, route: Route) -> None:
    url = route.url(cast)
    client = signed_in(cast.outsider)
    before = fingerprint()
    for method in route.methods:
        response = request(client, route, method, url)
        if response.status_code == 405:
            continue
        assert response.status_code == 404, (method, url, response.status_code)
    assert fingerprint() == before


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.template or "/")
def test_roles_without_the_capability_are_refused_and_nothing_changes(
    cast: Cast, route: Route
) -> None:
    if route.capability is None:
        pytest.skip("open to every member")
    url = route.url(cast)
    refused = 0
    for role, user in cast.by_role().items():
        if route.capability in capabilities_for([role]):
            continue
        client = signed_in(user)
        before = fingerprint()
        for method in route.methods:
            response = request(client, route, method, url)
            if response.status_code == 405:
                continue
            assert response.status_code == 403, (role, method, url, response.status_code)
            refused += 1
        assert fingerprint() == before, role
    assert refused >= 1, "no role lacks this capability: is it really needed?"


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.template or "/")
def test_roles_with_the_capability_are_served(cast: Cast, route: Route) -> None:
    if "get" not in route.methods:
        pytest.skip("no GET")
    url = route.url(cast)
    for role, user in cast.by_role().items():
        if route.capability is not None and route.capability not in capabilities_for([role]):
            continue
        response = request(signed_in(user), route, "get", url)
        if response.status_code == 405:
            continue
        assert response.status_code in {200, 302}, (role, url, response.status_code)
