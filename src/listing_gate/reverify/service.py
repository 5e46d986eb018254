"""Re-verification jobs started from the API: what a request asks, the run it starts, its status.

A job re-decides the listings a registry change concerns (``registries``, optionally
``since``; by default the changes of each registry's latest import), given listings
(``listing_ids``) or every listing (``all``). Jobs run one at a time per process, each
with its own registry lookup (an empty cache: a job started after an import must see
the imported records, not cached answers). A job cut short by shutdown is marked failed
and resumes with ``listing-gate reverify --run-id``; its checkpoints make that safe. Its
status is read from the database, so any replica answers for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Self

import orjson
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.idempotency import Answer, Idempotency, Ticket
from listing_gate.db.repositories import reverify as repo
from listing_gate.domain import RegistryKind, RequiredText
from listing_gate.errors import NotFoundError
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.reverify.jobs import (
    RunStatus,
    batch_settings,
    changes_since_import,
    create_run,
    fail_run,
    prepare_registry_run,
    run_shard,
    run_status,
)
from listing_gate.reverify.runner import RunnerOptions
from listing_gate.reverify.selection import RegistryChange
from listing_gate.reverify.shards import Shard
from listing_gate.service.decisions import VerifierLike
from listing_gate.settings import Settings

__all__ = [
    "MAX_LISTING_IDS",
    "ReverificationJob",
    "ReverificationRequest",
    "ReverifyJobs",
    "ShardProgress",
    "Transition",
]

_log = logging.getLogger("listing_gate.reverify")
_ROUTE = "POST /v1/reverifications"
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
    # Listing ids as a draft gives them: the same length and control-character rule.
    listing_ids: list[RequiredText] | None = Field(
        default=None, min_length=1, max_length=MAX_LISTING_IDS
    )
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


class ReverifyJobs:
    """Starts re-verification runs as background tasks of this process and reports on them."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        lookup: RegistryLookup,
        settings: Settings,
        make_verifier: Callable[[Settings, RegistryLookup], VerifierLike],
    ) -> None:
        self._engine = engine
        self._lookup = lookup
        self._settings = settings
        self._make_verifier = make_verifier
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        ttl = timedelta(hours=settings.idempotency_ttl_hours)
        # One instance per process, so retries racing on one key wait for each other.
        self._idempotency = Idempotency(engine, ttl)

    async def start(
        self, request: ReverificationRequest, body: bytes, principal: str, key: str | None
    ) -> Answer:
        """Returns the accepted job as JSON; a retried Idempotency-Key replays the first job.

        ``body`` is the request as sent, which the key is bound to. Raises 409 when the
        key was used with another body, 422 when the key is malformed.
        """

        async def produce(_ticket: Ticket | None) -> bytes:
            # A retried POST must not start a second job over the same listings.
            return await self._start(request, principal)

        return await self._idempotency.once(
            principal, key, route=_ROUTE, body=body, produce=produce, status_code=202
        )

    async def status(self, job_id: str) -> ReverificationJob:
        """Returns the job's status, progress and changes by old -> new decision; raises 404."""
        status = await run_status(self._engine, job_id)
        if status is None:
            raise NotFoundError(f"no re-verification job {job_id}")
        return _job(status)

    async def all_listings(self, trigger: dict[str, Any]) -> repo.RunRow:
        """Returns the new run re-deciding every recorded listing."""
        run = await create_run(self._engine, scope="all", trigger=trigger)
        self._spawn(run.run_id, None)
        return run

    async def listings(self, listing_ids: Sequence[str], trigger: dict[str, Any]) -> repo.RunRow:
        """Returns the new run re-deciding the given listings."""
        engine = self._engine
        run = await create_run(engine, scope="targets", trigger=trigger)
        async with unit.write(engine) as conn:
            await repo.add_targets(conn, run.run_id, sorted(set(listing_ids)))
            count = await repo.count_listings(conn, run.run_id)
            await repo.set_run_status(conn, run.run_id, "pending", targets=count)
        self._spawn(run.run_id, None)
        return run

    async def registry_changes(
        self, changes: Sequence[RegistryChange], trigger: dict[str, Any]
    ) -> repo.RunRow:
        """Returns the new run re-deciding the listings that ``changes`` concern."""
        engine = self._engine
        full = {**trigger, "registries": {c.kind: c.since.isoformat() for c in changes}}
        run = await create_run(engine, scope="targets", trigger=full, status="selecting")

        async def select() -> None:
            backend = self._lookup.backend
            await prepare_registry_run(engine, backend, changes, trigger=full, run_id=run.run_id)

        self._spawn(run.run_id, select)
        return run

    async def stop(self) -> None:
        """Cancels running jobs (each marked failed, resumable) and waits for them."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def wait(self) -> None:
        """Returns when every job started so far has ended (for tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _start(self, request: ReverificationRequest, principal: str) -> bytes:
        trigger = {"by": "api", "api_key_id": principal}
        engine = self._engine
        if request.all:
            run = await self.all_listings(trigger)
        elif request.listing_ids is not None:
            run = await self.listings(request.listing_ids, trigger)
        else:
            kinds = list(dict.fromkeys(request.registries or []))
            if request.since is not None:
                since = request.since if request.since.tzinfo else request.since.replace(tzinfo=UTC)
                changes = [RegistryChange(kind, since) for kind in kinds]
            else:
                changes = await changes_since_import(engine, kinds)
            run = await self.registry_changes(changes, trigger)
        status = await run_status(engine, run.run_id)
        assert status is not None  # noqa: S101 - created just above
        return _job(status).model_dump_json().encode()

    def _spawn(self, run_id: str, before: Callable[[], Awaitable[None]] | None) -> None:
        task = asyncio.create_task(self._run(run_id, before), name=f"reverify-{run_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, run_id: str, before: Callable[[], Awaitable[None]] | None) -> None:
        settings = batch_settings(self._settings)
        try:
            async with self._lock:
                if before is not None:
                    await before()
                # Requests must see the new registry data too, not answers cached before.
                self._lookup.invalidate()
                lookup = RegistryLookup(self._lookup.backend, settings=settings)
                await run_shard(
                    self._engine,
                    self._make_verifier(settings, lookup),
                    run_id=run_id,
                    shard=Shard(),
                    options=RunnerOptions(
                        page_size=settings.reverify_page_size,
                        concurrency=settings.reverify_concurrency,
                    ),
                )
        except asyncio.CancelledError:
            await fail_run(self._engine, run_id, "interrupted by shutdown; resume with --run-id")
            raise
        except Exception as exc:
            _log.exception("reverify_job_failed", extra={"run_id": run_id})
            await fail_run(self._engine, run_id, f"{type(exc).__name__}: {exc}")


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
