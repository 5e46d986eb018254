"""The benchmark's baseline: the same framework and server, a route that only echoes the body.

    uvicorn --factory bench.echo_app:create_app

Nothing of listing-gate runs here: the ratio of the gate's requests/s to this one's is
the share of the framework's capacity the gate's own work leaves.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response


def create_app() -> FastAPI:
    """Returns an app whose POST /v1/verifications answers the request body unchanged."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.post("/v1/verifications")
    async def echo(request: Request) -> Response:
        return Response(await request.body(), media_type="application/json")

    return app
