"""``/v1/reverifications``: start a re-verification job (admin) and read its status.

A job re-decides the listings a registry change concerns (``registries``, optionally
``since``; by default the changes of each registry's latest import), given listings
(``listing_ids``) or every listing (``all``). It runs in the background of this process;
its status is read from the database, so any replica answers the GET.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Self, cast

import orjson
from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from listing_gate.api.deps import Admin, Reader, Res
from listing_gate.api.openapi import IDEMPOTENCY_KEY, problems
from listing_gate.db.idempotency import fingerprint
from listing_gate.domain import MAX_TEXT, RegistryKind
from listing_gate.errors import NotFoundError
from listing_gate.reverify.background import Background, ReverifyJobs
from listing_gate.reverify.jobs import RunStatus, changes_since_import, run_status
from listing_gate.reverify.selection import RegistryChange
from listing_gate.runtime import Resources

__all__ = ["ReverificationJob", "ReverificationRequest", "router"]

router = APIRouter(prefix="/v1/reverifications", tags=["reverifications"])
MAX_LISTING_IDS = 10_000


class ReverificationRequest(BaseModel):
    """Exactly one of ``registries``, ``listing_ids`` or ``all``."""

    model_config = ConfigDict(extra="forbid")

    registries: list[RegistryKind] | None = Field(
        default=None,
        min_length=1,
        description="re-decide listings these registries' changes concern",
    )
    since: datetime | None = Field(
        default=None,
        description="with registries: records changed after this time; "
        "default: the changes of each registry's latest import",
    )
    listing_ids: (
        list[Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]] | None
    ) = Field(default=None, min_length=1, max_length=MAX_LISTING_IDS)
    all: bool = Field(default=False, description="re-decide every recorded listing")

    @model_validator(mode="after")
    def _one_scope(self) -> Self:
        given = [self.registries is not None, self.listing_ids is not None, self.all]
        if sum(given) != 1:
            raise ValueError("give exactly one of registries, listing_ids or all")
        if self.since is not None and self.registries is None:
            raise ValueError("since goes with registries")
        return self


class Transition(BaseModel):
    from_decision: str
    to_decision: str
    count: int


class ShardProgress(BaseModel):
    shard_index: int
    shard_count: int
    processed: int
    changed: int
    done: bool


class ReverificationJob(BaseModel):
    job_id: str
    status: str = Field(description="selecting, pending, running, done or failed")
    scope: str = Field(description="all, or targets (selected listings)")
    trigger: dict[str, Any]
    targets: int | None = Field(description="listings selected; null for scope all")
    processed: int = Field(description="listings re-decided so far")
    changed: int = Field(description="re-decisions recorded (decision or reasons changed)")
    transitions: list[Transition]
    shards: list[ShardProgress]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None


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
    request: Request, body: ReverificationRequest, resources: Res, jobs: Jobs, admin: Admin
) -> Response:
    """Returns the accepted job (202); poll ``Location`` for its progress."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return _accepted(await _start(body, resources, jobs, admin.key_id))
    # A retried POST must not start a second job over the same listings.
    request_print = fingerprint("POST /v1/reverifications", await request.body())
    async with jobs.idempotency.claim(admin.key_id, key, request_print) as seen:
        if seen is not None:
            return _accepted(seen.response_body)
        answer = await _start(body, resources, jobs, admin.key_id)
        await jobs.remember(admin.key_id, key, request_print, answer)
        return _accepted(answer)


def _accepted(body: bytes) -> Response:
    job_id = orjson.loads(body)["job_id"]
    return Response(
        body,
        status_code=202,
        media_type="application/json",
        headers={"Location": f"{router.prefix}/{job_id}"},
    )


async def _start(
    body: ReverificationRequest, resources: Resources, jobs: ReverifyJobs, who: str
) -> bytes:
    trigger = {"by": "api", "api_key_id": who}
    if body.all:
        run = await jobs.all_listings(trigger)
    elif body.listing_ids is not None:
        run = await jobs.listings(body.listing_ids, trigger)
    else:
        kinds = list(dict.fromkeys(body.registries or []))
        if body.since is not None:
            since = body.since if body.since.tzinfo else body.since.replace(tzinfo=UTC)
            changes = [RegistryChange(kind, since) for kind in kinds]
        else:
            changes = await changes_since_import(resources.engine, kinds)
        run = await jobs.registry_changes(changes, trigger)
    status = await run_status(resources.engine, run.run_id)
    assert status is not None  # noqa: S101 - created just above
    return _job(status).model_dump_json().encode()


@router.get(
    "/{job_id}",
    summary="A re-verification job's status",
    responses=problems(401, 403, 404, 422),
)
async def read_reverification(
    resources: Res, _reader: Reader, job_id: Annotated[str, Path(max_length=32)]
) -> ReverificationJob:
    """Returns the job's status, progress and changes by old -> new decision."""
    status = await run_status(resources.engine, job_id)
    if status is None:
        raise NotFoundError(f"no re-verification job {job_id}")
    return _job(status)


def _job(status: RunStatus) -> ReverificationJob:
    run = status.run
    return ReverificationJob(
        job_id=run.run_id,
        status=run.status,
        scope=run.scope,
        trigger=orjson.loads(run.trigger_json),
        targets=run.targets,
        processed=status.processed,
        changed=status.changed,
        transitions=[
            Transition(from_decision=old, to_decision=new, count=count)
            for (old, new), count in sorted(status.transitions.items())
        ],
        shards=[
            ShardProgress(
                shard_index=c.shard_index,
                shard_count=c.shard_count,
                processed=c.processed,
                changed=c.changed,
                done=c.done,
            )
            for c in status.shards
        ],
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        error=run.error,
    )
