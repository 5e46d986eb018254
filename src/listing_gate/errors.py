"""Domain errors and the one handler that turns every error into RFC 9457 problem+json.

Routers and services raise a ``ListingGateError`` subclass; nothing else builds error
responses. Framework errors (unknown route, wrong method, request validation) are
mapped onto the same shape so a client parses one error format.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "ForbiddenError",
    "IdempotencyConflictError",
    "InvalidRequestError",
    "ListingGateError",
    "NotFoundError",
    "OverloadedError",
    "PayloadTooLargeError",
    "StorageUnavailableError",
    "UnauthorizedError",
    "install_error_handlers",
    "problem_body",
    "problem_response",
    "validation_errors",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_BASE = "https://listing-gate.example/problems/"
_log = logging.getLogger("listing_gate.errors")


class ListingGateError(Exception):
    """Base of every error the service answers; the class fixes status, slug and title."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal server error"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Returns the problem object for this error."""
        return problem_body(self.status, self.slug, self.title, self.detail)


class InvalidRequestError(ListingGateError):
    """The request (or one batch item) failed validation; ``errors`` lists each field."""

    status = 422
    slug = "validation-failed"
    title = "Request validation failed"

    def __init__(self, detail: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(detail)
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """Returns the problem object with its ``errors`` list."""
        return {**super().body(), "errors": self.errors}


class UnauthorizedError(ListingGateError):
    status = 401
    slug = "unauthorized"
    title = "Missing or invalid API key"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="listing-gate"'})


class ForbiddenError(ListingGateError):
    status = 403
    slug = "forbidden"
    title = "API key lacks the scope"


class NotFoundError(ListingGateError):
    status = 404
    slug = "not-found"
    title = "Not found"


class IdempotencyConflictError(ListingGateError):
    status = 409
    slug = "idempotency-conflict"
    title = "Idempotency-Key reused with another request"


class PayloadTooLargeError(ListingGateError):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class OverloadedError(ListingGateError):
    """The decision write queue is full: back-pressure, the client should retry later."""

    status = 503
    slug = "overloaded"
    title = "Decision write queue full"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": "1"})


class StorageUnavailableError(ListingGateError):
    """The decision could not be recorded, so it is not answered."""

    status = 503
    slug = "storage-unavailable"
    title = "Decision store unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": "5"})


def problem_body(status: int, slug: str, title: str, detail: str) -> dict[str, Any]:
    """Returns an RFC 9457 problem object."""
    return {"type": _TYPE_BASE + slug, "title": title, "status": status, "detail": detail}


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """Returns ``body`` as an ``application/problem+json`` response with its status."""
    return Response(
        orjson.dumps(body),
        status_code=int(body["status"]),
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def validation_errors(exc: ValidationError | RequestValidationError) -> list[dict[str, Any]]:
    """Returns one ``{pointer, field, detail, code}`` entry per pydantic error."""
    out = []
    for err in exc.errors():
        # FastAPI prefixes locations with "body"; callers think in document paths.
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        out.append(
            {
                "pointer": "/" + "/".join(loc),
                "field": ".".join(loc),
                "detail": str(err.get("msg", "invalid")),
                "code": str(err.get("type", "invalid")),
            }
        )
    return out


_HTTP_SLUGS = {
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
}


async def _handle(_request: Request, exc: Exception) -> Response:
    """Returns the problem+json answer for any exception: the one error handler."""
    if isinstance(exc, ListingGateError):
        return problem_response(exc.body(), exc.headers)
    if isinstance(exc, RequestValidationError):
        return problem_response(
            InvalidRequestError("the request is invalid", validation_errors(exc)).body()
        )
    if isinstance(exc, StarletteHTTPException):
        slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
        detail = exc.detail if isinstance(exc.detail, str) else title
        return problem_response(
            problem_body(exc.status_code, slug, title, detail), dict(exc.headers or {})
        )
    # The traceback goes to the log; the client gets no internals.
    _log.error("unhandled error", exc_info=exc)
    return problem_response(
        problem_body(500, "internal-error", "Internal server error", "an unexpected error occurred")
    )


def install_error_handlers(app: FastAPI) -> None:
    """Routes every error class the app can raise through the one problem+json handler."""
    for cls in (ListingGateError, StarletteHTTPException, RequestValidationError, Exception):
        app.add_exception_handler(cls, _handle)
