"""Per-request facts (IP, request id) that services stamp on audit rows without a request."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    request_id: str


_current: ContextVar[RequestContext | None] = ContextVar("tend_request_context", default=None)


def current_request_context() -> RequestContext | None:
    return _current.get()


def set_request_context(context: RequestContext | None) -> object:
    return _current.set(context)


def reset_request_context(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
