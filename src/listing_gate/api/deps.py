"""Request dependencies: the lifespan's resources, the caller and its scope.

Each is one flat dependency on the request: FastAPI's dependency solving costs per
node, and the POST route is the hot path. The bearer scheme is documented once for
every /v1 route by ``api.openapi`` rather than by a security dependency.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, cast

from fastapi import Depends, Request

from listing_gate.domain import find_control
from listing_gate.errors import InvalidRequestError
from listing_gate.observability.logs import REQUEST_ID
from listing_gate.runtime import Resources
from listing_gate.service.auth import Principal
from listing_gate.service.decisions import Caller

__all__ = [
    "Admin",
    "CallerOf",
    "Reader",
    "Res",
    "get_resources",
    "idempotency_key",
    "resources_of",
]


def resources_of(request: Request) -> Resources:
    """Returns the resources the lifespan opened."""
    return cast(Resources, request.app.state.resources)


async def get_resources(request: Request) -> Resources:
    """Returns the resources the lifespan opened (as a dependency)."""
    # async: a plain def dependency would be run in the thread pool on every request.
    return resources_of(request)


Res = Annotated[Resources, Depends(get_resources)]


async def _principal(request: Request, scope: str) -> Principal:
    principal = await resources_of(request).keys.authenticate(request.headers.get("authorization"))
    principal.require(scope)
    return principal


def _require(scope: str) -> Callable[[Request], Awaitable[Principal]]:
    async def dependency(request: Request) -> Principal:
        return await _principal(request, scope)

    return dependency


async def _verify_caller(request: Request) -> Caller:
    return Caller(await _principal(request, "verify"), REQUEST_ID.get())


Reader = Annotated[Principal, Depends(_require("read"))]
Admin = Annotated[Principal, Depends(_require("admin"))]
CallerOf = Annotated[Caller, Depends(_verify_caller)]


def idempotency_key(request: Request) -> str | None:
    """Returns the request's Idempotency-Key, or None; raises 422 if it holds a control character.

    The key is stored with the answer, so it is checked here, at the edge, like every other
    text the service keeps. Its length is the idempotency store's to check.
    """
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    # Headers arrive decoded as Latin-1: bytes 0x80-0x9f are parts of a UTF-8 key, not C1
    # controls, so only C0 controls (tab included: a key has no layout) and DEL are refused.
    found = find_control(key, layout_allowed=False)
    if found is not None:
        raise InvalidRequestError(
            "the Idempotency-Key header is invalid",
            [
                {
                    "pointer": "/headers/idempotency-key",
                    "field": "Idempotency-Key",
                    "detail": f"control character {found} is not allowed",
                    "code": "control_character",
                }
            ],
        )
    return key
