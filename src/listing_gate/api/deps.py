"""Request dependencies: the lifespan's resources, the caller and its scope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from listing_gate.auth import Principal
from listing_gate.logging import REQUEST_ID
from listing_gate.runtime import Resources
from listing_gate.service.decisions import Caller

__all__ = ["Admin", "CallerOf", "Reader", "Res", "Verifier", "get_resources"]

# Declared for the OpenAPI security scheme only; KeyStore does the checking so a
# missing or malformed header gets our 401 problem, not the framework's.
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer lg_...`")


async def get_resources(request: Request) -> Resources:
    """Returns the resources the lifespan opened."""
    # async: a plain def dependency would be run in the thread pool on every request.
    return cast(Resources, request.app.state.resources)


Res = Annotated[Resources, Depends(get_resources)]


def _require(scope: str) -> Callable[..., Awaitable[Principal]]:
    async def dependency(
        request: Request,
        resources: Res,
        _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        principal = await resources.keys.authenticate(request.headers.get("authorization"))
        principal.require(scope)
        return principal

    return dependency


Verifier = Annotated[Principal, Depends(_require("verify"))]
Reader = Annotated[Principal, Depends(_require("read"))]
Admin = Annotated[Principal, Depends(_require("admin"))]


async def _caller(principal: Verifier) -> Caller:
    return Caller(principal, REQUEST_ID.get())


CallerOf = Annotated[Caller, Depends(_caller)]
