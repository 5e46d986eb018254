"""Request dependencies: the lifespan's resources, the caller and its scope.

Each is one flat dependency on the request: FastAPI's dependency solving costs per
node, and the POST route is the hot path. The bearer scheme is documented once for
every /v1 route by ``api.openapi`` rather than by a security dependency.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, cast

from fastapi import Depends, Request

from listing_gate.observability.logs import REQUEST_ID
from listing_gate.runtime import Resources
from listing_gate.service.auth import Principal
from listing_gate.service.decisions import Caller

__all__ = ["Admin", "CallerOf", "Reader", "Res", "get_resources", "resources_of"]


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
