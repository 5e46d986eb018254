"""Probes and metrics: ``/healthz``, ``/readyz``, ``/metrics``. Unauthenticated by design."""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response

from listing_gate.api.deps import Res
from listing_gate.api.openapi import problems
from listing_gate.api.problems import problem_response
from listing_gate.api.schemas import Status
from listing_gate.errors import problem_body
from listing_gate.service.readiness import check_readiness

__all__ = ["router"]

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> Status:
    """Returns ok whenever the process can answer at all."""
    return Status(status="ok")


@router.get(
    "/readyz",
    summary="Ready for traffic: database answers, registries loaded and fresh",
    responses=problems(503),
)
async def readyz(resources: Res) -> Response:
    """Returns 200 with each check, or 503 problem+json naming what is not ready."""
    readiness = await check_readiness(resources.engine, resources.lookup)
    if readiness.ready:
        return Response(
            Status(status="ready", checks=readiness.checks).model_dump_json(),
            media_type="application/json",
        )
    body = problem_body(503, "not-ready", "Not ready", "; ".join(readiness.reasons))
    return problem_response({**body, "checks": readiness.checks})


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
)
async def metrics(resources: Res) -> Response:
    """Returns every metric in the Prometheus text format, registry gauges refreshed."""
    await resources.lookup.freshness()  # publishes the registry gauges as a side effect
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
