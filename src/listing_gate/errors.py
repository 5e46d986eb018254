"""The service's errors: one tree, each class fixing its HTTP status and problem type.

Every layer raises a ``ListingGateError`` subclass; ``api.problems`` is the one handler
that turns any of them (and the framework's own errors) into RFC 9457 problem+json.
Nothing here imports the web framework, so the CLI and the services can raise them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Protocol

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "PROBLEM_TYPE_PATH",
    "ForbiddenError",
    "IdempotencyConflictError",
    "InvalidRequestError",
    "ListingGateError",
    "NotFoundError",
    "OverloadedError",
    "PayloadTooLargeError",
    "StorageUnavailableError",
    "UnauthorizedError",
    "problem_body",
    "validation_errors",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
# A relative reference (RFC 9457 3.1.1): resolved against the request URL it names the
# page this service serves for the type, whatever host the service is deployed under.
PROBLEM_TYPE_PATH = "/problems/"


class ListingGateError(Exception):
    """Root of every error the service raises; the class fixes status, slug and title.

    Errors that never reach a client (a bad registry file, an impossible number) are
    500s by class: should one escape, the client still gets a problem, not a trace.
    """

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
    return {"type": PROBLEM_TYPE_PATH + slug, "title": title, "status": status, "detail": detail}


class _HasErrors(Protocol):
    # pydantic's ValidationError and FastAPI's RequestValidationError both have this.
    def errors(self) -> Iterable[Mapping[str, Any]]: ...


def validation_errors(exc: _HasErrors) -> list[dict[str, Any]]:
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
