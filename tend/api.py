"""The versioned JSON API (django-ninja), mounted at /api/v1/."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tend.accounts.api import router as accounts_router
from tend.assessments.api import router as assessments_router
from tend.care.api import router as care_router
from tend.careers.api import router as careers_router
from tend.clients.api import router as clients_router
from tend.coordination.api import router as coordination_router
from tend.core.api import SessionAuth, TokenAuth
from tend.licensure.api import router as licensure_router
from tend.measures.api import router as measures_router
from tend.plans.api import router as plans_router
from tend.supervision.api import router as supervision_router

api = NinjaAPI(
    title="Tend API",
    version="1",
    description="Tend's JSON API. Authenticate with a personal access token "
    "(Authorization: Bearer tend_…) or the browser session.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def _envelope(
    request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _envelope(request, 401, "not_authenticated", "Sign in or send a valid access token.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _envelope(request, 403, "forbidden", "Your role does not allow this.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _envelope(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict"}
    return _envelope(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _envelope(request, 422, "invalid", "The request is not valid.", exc.errors)


@api.exception_handler(DjangoValidationError)
def on_rule_broken(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _envelope(request, 400, "invalid", "The request breaks a rule.", details)


api.add_router("/", accounts_router)
api.add_router("/clients/", clients_router)
api.add_router("/assessments/", assessments_router)
api.add_router("/measures/", measures_router)
api.add_router("/plans/", plans_router)
api.add_router("/care/", care_router)
api.add_router("/coordination/", coordination_router)
api.add_router("/supervision/", supervision_router)
api.add_router("/licensure/", licensure_router)
api.add_router("/careers/", careers_router)
