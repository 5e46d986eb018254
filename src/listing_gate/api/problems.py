"""The one handler that turns every error into RFC 9457 ``application/problem+json``.

Routers and services raise a ``ListingGateError`` subclass (``listing_gate.errors``);
nothing else builds error responses. Framework errors (unknown route, wrong method,
request validation) are mapped onto the same shape so a client parses one error format.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from listing_gate.errors import (
    PROBLEM_MEDIA_TYPE,
    InvalidRequestError,
    ListingGateError,
    problem_body,
    validation_errors,
)
from listing_gate.observability.logs import REQUEST_ID

__all__ = ["install_error_handlers", "problem_response"]

_log = logging.getLogger("listing_gate.errors")


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """Returns ``body`` as an ``application/problem+json`` response with its status.

    ``instance`` is the request id, the key to this request's log lines.
    """
    request_id = REQUEST_ID.get()
    if request_id and "instance" not in body:
        body = {**body, "instance": request_id}
    return Response(
        orjson.dumps(body),
        status_code=int(body["status"]),
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


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
