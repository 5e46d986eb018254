"""Pure ASGI middleware: request id, metrics and access log; the request body cap.

Pure ASGI rather than BaseHTTPMiddleware: no extra task or body copy per request, which
matters on the hot POST path.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from listing_gate.errors import PROBLEM_MEDIA_TYPE, PayloadTooLargeError
from listing_gate.ids import new_id
from listing_gate.observability.logs import REQUEST_ID
from listing_gate.observability.metrics import HTTP_IN_FLIGHT, HTTP_LATENCY, HTTP_REQUESTS

__all__ = ["BodyLimitMiddleware", "RequestContextMiddleware"]

_access = logging.getLogger("listing_gate.access")
# Accepted request ids are short and printable so they cannot forge log lines.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,64}$")
_UNMATCHED = "<unmatched>"


class RequestContextMiddleware:
    """Gives each request an id (X-Request-ID in, echoed out), times it and logs it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serves the request with its id bound; records metrics labelled by route template."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = REQUEST_ID.set(request_id)
        header = (b"x-request-id", request_id.encode())
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        HTTP_IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            HTTP_IN_FLIGHT.dec()
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            # path_format drops convertors: /v1/listings/{listing_id}/verifications, the
            # template the dashboards know, whatever the route matches the id with.
            template = getattr(route, "path_format", None) or _UNMATCHED
            method = scope["method"]
            HTTP_LATENCY.labels(route=template, method=method).observe(elapsed)
            HTTP_REQUESTS.labels(route=template, method=method, status=str(status)).inc()
            if _access.isEnabledFor(logging.INFO):
                _access.info(
                    "request",
                    extra={
                        "method": method,
                        "route": template,
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            REQUEST_ID.reset(token)


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text: str = value.decode("latin-1")
            if _VALID_REQUEST_ID.match(text):
                return text
            break
    return new_id()


def _route_path(scope: Scope) -> str:
    # Behind a proxy prefix (root_path) the path the routes know is what follows it.
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class BodyLimitMiddleware:
    """Answers 413 to bodies over the cap, counted as they arrive (chunked bodies too).

    The cap is ``max_bytes``, or the one ``path_max_bytes`` names for the request's path
    (a batch carries up to 1,000 drafts, a single request one).
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, path_max_bytes: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_max_bytes = dict(path_max_bytes or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Reads the body up to the cap, then hands the app a replay of it; else sends 413."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "DELETE", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        cap = self.path_max_bytes.get(_route_path(scope), self.max_bytes)
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > cap:
                await self._too_large(send, cap)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                # Stop reading here: the rest of an oversized body is never buffered.
                await self._too_large(send, cap)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send, cap: int) -> None:
        error = PayloadTooLargeError(f"the request body exceeds {cap} bytes")
        payload = orjson.dumps({**error.body(), "instance": REQUEST_ID.get()})
        headers: list[Any] = [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(payload)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
