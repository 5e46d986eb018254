"""What the API process runs beside requests: re-verification jobs and webhook delivery.

Jobs run one at a time per process, each with its own registry lookup (an empty cache:
a job started after an import must see the imported records, not cached answers). A
job cut short by shutdown is marked failed and resumes with ``listing-gate reverify
--run-id``; its checkpoints make that safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from listing_gate.db import unit
from listing_gate.db.idempotency import Idempotency
from listing_gate.db.repositories import reverify as repo
from listing_gate.db.repositories.access import IdempotentAnswer, save_idempotent_answers
from listing_gate.events.worker import DeliveryWorker
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.reverify.jobs import (
    batch_settings,
    create_run,
    fail_run,
    prepare_registry_run,
    run_shard,
)
from listing_gate.reverify.runner import RunnerOptions
from listing_gate.reverify.selection import RegistryChange
from listing_gate.reverify.shards import Shard
from listing_gate.runtime import Resources, default_verifier

__all__ = ["Background", "ReverifyJobs", "open_background"]

_log = logging.getLogger("listing_gate.reverify")


class ReverifyJobs:
    """Starts re-verification runs as background tasks of this process."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        ttl = timedelta(hours=resources.settings.idempotency_ttl_hours)
        # One instance per process, so retries racing on one key wait for each other.
        self.idempotency = Idempotency(resources.engine, ttl)

    async def remember(self, principal: str, key: str, fingerprint: str, body: bytes) -> None:
        """Stores the 202 answer given to an Idempotency-Key, for its retries."""
        now = datetime.now(UTC)
        answer = IdempotentAnswer(principal, key, fingerprint, 202, body, now)
        async with unit.write(self._resources.engine) as conn:
            await save_idempotent_answers(conn, [answer], now - self.idempotency.ttl)

    async def all_listings(self, trigger: dict[str, Any]) -> repo.RunRow:
        """Returns the new run re-deciding every recorded listing."""
        run = await create_run(self._resources.engine, scope="all", trigger=trigger)
        self._spawn(run.run_id, None)
        return run

    async def listings(self, listing_ids: Sequence[str], trigger: dict[str, Any]) -> repo.RunRow:
        """Returns the new run re-deciding the given listings."""
        engine = self._resources.engine
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
        engine = self._resources.engine
        full = {**trigger, "registries": {c.kind: c.since.isoformat() for c in changes}}
        run = await create_run(engine, scope="targets", trigger=full, status="selecting")

        async def select() -> None:
            backend = self._resources.lookup.backend
            await prepare_registry_run(engine, backend, changes, trigger=full, run_id=run.run_id)

        self._spawn(run.run_id, select)
        return run

    def _spawn(self, run_id: str, before: Callable[[], Awaitable[None]] | None) -> None:
        task = asyncio.create_task(self._run(run_id, before), name=f"reverify-{run_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, run_id: str, before: Callable[[], Awaitable[None]] | None) -> None:
        resources = self._resources
        settings = batch_settings(resources.settings)
        try:
            async with self._lock:
                if before is not None:
                    await before()
                # Requests must see the new registry data too, not answers cached before.
                resources.lookup.invalidate()
                lookup = RegistryLookup(resources.lookup.backend, settings=settings)
                await run_shard(
                    resources.engine,
                    default_verifier(settings, lookup),
                    run_id=run_id,
                    shard=Shard(),
                    options=RunnerOptions(
                        page_size=settings.reverify_page_size,
                        concurrency=settings.reverify_concurrency,
                    ),
                )
        except asyncio.CancelledError:
            await fail_run(
                resources.engine, run_id, "interrupted by shutdown; resume with --run-id"
            )
            raise
        except Exception as exc:
            _log.exception("reverify_job_failed", extra={"run_id": run_id})
            await fail_run(resources.engine, run_id, f"{type(exc).__name__}: {exc}")

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


@dataclass(frozen=True, slots=True)
class Background:
    """The app's background services: re-verification jobs, and delivery if configured."""

    jobs: ReverifyJobs
    delivery: DeliveryWorker | None


@asynccontextmanager
async def open_background(resources: Resources) -> AsyncIterator[Background]:
    """Yields the background services; delivery runs only when webhook URLs are set."""
    jobs = ReverifyJobs(resources)
    delivery = None
    if resources.settings.webhook_urls:
        delivery = DeliveryWorker(resources.engine, resources.settings)
        await delivery.start()
    try:
        yield Background(jobs, delivery)
    finally:
        await jobs.stop()
        if delivery is not None:
            await delivery.stop()
