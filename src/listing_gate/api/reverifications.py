"""``/v1/reverifications``: start a re-verification job (admin) and read its status.

What a job re-decides and how it runs is ``reverify.service``'s; a job runs in the
background of this process and its status is read from the database, so any replica
answers the GET.
"""

from __future__ import annotations

from typing import Annotated, cast

import orjson
from fastapi import APIRouter, Depends, Path, Request, Response

from listing_gate.api.deps import Admin, Reader
from listing_gate.api.openapi import IDEMPOTENCY_KEY, problems
from listing_gate.reverify.service import ReverificationJob, ReverificationRequest, ReverifyJobs
from listing_gate.runtime import Background

__all__ = ["router"]

router = APIRouter(prefix="/v1/reverifications", tags=["reverifications"])


async def _jobs(request: Request) -> ReverifyJobs:
    return cast(Background, request.app.state.background).jobs


Jobs = Annotated[ReverifyJobs, Depends(_jobs)]


@router.post(
    "",
    status_code=202,
    summary="Start a re-verification job",
    response_model=ReverificationJob,
    responses=problems(401, 403, 409, 422),
    openapi_extra=IDEMPOTENCY_KEY,
)
async def start_reverification(
    request: Request, body: ReverificationRequest, jobs: Jobs, admin: Admin
) -> Response:
    """Returns the accepted job (202); poll ``Location`` for its progress."""
    key = request.headers.get("idempotency-key")
    answer = await jobs.start(body, await request.body(), admin.key_id, key)
    job_id = orjson.loads(answer.body)["job_id"]
    return Response(
        answer.body,
        status_code=202,
        media_type="application/json",
        headers={"Location": f"{router.prefix}/{job_id}"},
    )


@router.get(
    "/{job_id}",
    summary="A re-verification job's status",
    responses=problems(401, 403, 404, 422),
)
async def read_reverification(
    jobs: Jobs, _reader: Reader, job_id: Annotated[str, Path(max_length=32)]
) -> ReverificationJob:
    """Returns the job's status, progress and changes by old -> new decision."""
    return await jobs.status(job_id)
