"""``/v1/reverifications``: start a re-verification job (admin) and read its status.

What a job re-decides and how it runs is ``reverify.service``'s; a job runs in the
background of this process and its status is read from the database, so any replica
answers the GET.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

import orjson
from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import ValidationError

from listing_gate.api.deps import Admin, Reader, idempotency_key
from listing_gate.api.openapi import IDEMPOTENCY_KEY, json_body, problems
from listing_gate.domain import NoControls
from listing_gate.errors import InvalidRequestError, validation_errors
from listing_gate.reverify.service import ReverificationJob, ReverificationRequest, ReverifyJobs
from listing_gate.runtime import Background

__all__ = ["router"]

router = APIRouter(prefix="/v1/reverifications", tags=["reverifications"])

_EXAMPLE: dict[str, Any] = {"registries": ["ccc", "recall"]}


async def _jobs(request: Request) -> ReverifyJobs:
    return cast(Background, request.app.state.background).jobs


Jobs = Annotated[ReverifyJobs, Depends(_jobs)]


@router.post(
    "",
    status_code=202,
    summary="Start a re-verification job",
    response_model=ReverificationJob,
    responses=problems(401, 403, 409, 413, 422),
    openapi_extra=json_body(
        ReverificationRequest,
        _EXAMPLE,
        "exactly one of `registries` (with `since`), `listing_ids` or `all`",
    )
    | IDEMPOTENCY_KEY,
)
async def start_reverification(request: Request, jobs: Jobs, admin: Admin) -> Response:
    """Returns the accepted job (202); poll ``Location`` for its progress."""
    # The body is read and validated here, after the Admin dependency: a caller without
    # the key or the scope learns nothing about what a valid body looks like (401/403
    # before 422), as on the other POST routes.
    key = idempotency_key(request)
    body = await request.body()
    try:
        wanted = ReverificationRequest.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidRequestError("the request is invalid", validation_errors(exc)) from None
    answer = await jobs.start(wanted, body, admin.key_id, key)
    job_id = orjson.loads(answer.body)["job_id"]
    headers = {"Location": f"{router.prefix}/{job_id}"}
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(answer.body, status_code=202, media_type="application/json", headers=headers)


@router.get(
    "/{job_id}",
    summary="A re-verification job's status",
    responses=problems(401, 403, 404, 422),
)
async def read_reverification(
    jobs: Jobs, _reader: Reader, job_id: Annotated[str, Path(max_length=32), NoControls]
) -> ReverificationJob:
    """Returns the job's status, progress and changes by old -> new decision."""
    return await jobs.status(job_id)
