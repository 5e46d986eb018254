"""One shard of a re-verification run: keyset pages, concurrent re-decisions, batched writes.

Memory is bounded by the page: listing ids are walked in order after the checkpoint,
the next page is read while the current one is decided, and each page's changes commit
with the moved checkpoint in one transaction. A shard killed at any point therefore
resumes after its last committed page, and no listing is recorded twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories import reverify as repo
from listing_gate.db.repositories.decisions import insert_decisions
from listing_gate.db.repositories.events import insert_events
from listing_gate.domain import Decision, ListingDraft
from listing_gate.ids import utcnow
from listing_gate.observability.metrics import REVERIFY_FLIPS, REVERIFY_LISTINGS
from listing_gate.reverify.changes import Outcome, compare, writes_for
from listing_gate.reverify.progress import Progress
from listing_gate.reverify.shards import Shard
from listing_gate.service.decisions import VerifierLike

__all__ = ["Interrupted", "RunnerOptions", "ShardResult", "ShardRunner"]

_log = logging.getLogger("listing_gate.reverify")


class Interrupted(Exception):  # noqa: N818 - it is an event, not an error
    """The run stopped on purpose (the test hook) after committing a page."""


@dataclass(frozen=True, slots=True)
class RunnerOptions:
    """Page size, re-decisions in flight, and a hook that stops after N committed pages."""

    page_size: int = 1000
    concurrency: int = 64
    stop_after_pages: int | None = None


@dataclass(frozen=True, slots=True)
class ShardResult:
    """Where the shard stands after this attempt, and how fast this attempt went."""

    checkpoint: repo.Checkpoint
    errors: int
    seconds: float
    processed_now: int
    unchecked: int = 0  # a registry was unavailable: the recorded decision stands

    @property
    def rate(self) -> float:
        """Returns listings re-decided per second in this attempt."""
        return self.processed_now / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class _Page:
    last_id: str
    latest: list[repo.Latest]


class ShardRunner:
    """Re-decides the listings of one shard of one run, resuming from its checkpoint."""

    def __init__(
        self,
        engine: AsyncEngine,
        verifier: VerifierLike,
        *,
        run_id: str,
        shard: Shard,
        targeted: bool,
        options: RunnerOptions,
        progress: Progress | None = None,
        clock: Callable[[], datetime] = utcnow,
        on_commit: Callable[[repo.Checkpoint], None] | None = None,
    ) -> None:
        self._engine = engine
        self._verifier = verifier
        self._run_id = run_id
        self._shard = shard
        self._targeted = targeted
        self._options = options
        self._progress = progress or Progress("reverify", enabled=False)
        self._clock = clock
        self._on_commit = on_commit
        self._errors = 0
        self._unchecked = 0

    async def run(self) -> ShardResult:
        """Returns the shard's final checkpoint once every page is done (or Interrupted)."""
        started = time.perf_counter()
        async with unit.read(self._engine) as conn:
            checkpoint = await repo.load_checkpoint(conn, self._run_id, self._shard.index)
            total = await repo.count_listings(conn, self._run_id if self._targeted else None)
        if checkpoint is None:
            checkpoint = repo.Checkpoint(
                self._run_id, self._shard.index, self._shard.count, None, 0, 0, False
            )
        elif checkpoint.shard_count != self._shard.count:
            raise ValueError(
                f"run {self._run_id} was sharded {checkpoint.shard_count} ways, not "
                f"{self._shard.count}: resume it with the same --shard-count"
            )
        first = checkpoint.processed
        if not checkpoint.done:
            self._progress.start(-(-total // self._shard.count), checkpoint.processed)
            try:
                checkpoint = await self._pages(checkpoint)
            finally:
                self._progress.close()
        seconds = time.perf_counter() - started
        return ShardResult(
            checkpoint, self._errors, seconds, checkpoint.processed - first, self._unchecked
        )

    async def _pages(self, checkpoint: repo.Checkpoint) -> repo.Checkpoint:
        pending = asyncio.create_task(self._read(checkpoint.last_listing_id))
        pages = 0
        try:
            while (page := await pending) is not None:
                # Read ahead: the database prepares the next page while this one is decided.
                pending = asyncio.create_task(self._read(page.last_id))
                outcomes = await self._decide(page.latest)
                checkpoint = await self._commit(checkpoint, page, outcomes, done=False)
                self._progress.advance(len(page.latest))
                pages += 1
                stop = self._options.stop_after_pages
                if stop is not None and pages >= stop:
                    raise Interrupted(f"stopped after {pages} pages")
        finally:
            pending.cancel()
        return await self._commit(checkpoint, None, [], done=True)

    async def _read(self, after: str | None) -> _Page | None:
        limit = self._options.page_size * self._shard.count
        async with unit.read(self._engine) as conn:
            ids = await repo.listing_id_page(
                conn, run_id=self._run_id if self._targeted else None, after=after, limit=limit
            )
            if not ids:
                return None
            mine = [listing_id for listing_id in ids if self._shard.owns(listing_id)]
            latest = await repo.latest_decisions(conn, mine)
        return _Page(ids[-1], latest)

    async def _decide(self, latest: list[repo.Latest]) -> list[Outcome]:
        # A few workers share the page rather than one task per listing: with lookups
        # answered from the cache a worker decides listing after listing without ever
        # yielding, and task creation would cost a third of a decision; a lookup that goes
        # to the database suspends only its worker while the others carry on.
        results: list[Outcome | None] = [None] * len(latest)
        queue = iter(enumerate(latest))

        async def work() -> None:
            for index, item in queue:
                results[index] = await self._one(item)
                # Yield once per listing: a worker whose lookups all hit the cache would
                # otherwise keep the loop to itself, and a worker whose database answer
                # has arrived would wait past its registry deadline.
                await asyncio.sleep(0)

        workers = min(self._options.concurrency, len(latest))
        await asyncio.gather(*(work() for _ in range(workers)))
        return [result for result in results if result is not None]

    async def _one(self, latest: repo.Latest) -> Outcome | None:
        try:
            draft = ListingDraft.model_validate_json(latest.draft_json)
            verification = await self._verifier.verify(draft)
        except Exception:
            # One undecidable listing must not stop a run over a million; it is counted
            # and logged, and keeps its recorded decision.
            self._errors += 1
            REVERIFY_LISTINGS.labels(outcome="error").inc()
            _log.exception("reverify_failed", extra={"listing_id": latest.listing_id})
            return None
        return compare(latest, draft, verification)

    async def _commit(
        self,
        checkpoint: repo.Checkpoint,
        page: _Page | None,
        outcomes: list[Outcome],
        *,
        done: bool,
    ) -> repo.Checkpoint:
        unchecked = sum(1 for outcome in outcomes if outcome.unchecked)
        if unchecked:
            self._unchecked += unchecked
            REVERIFY_LISTINGS.labels(outcome="unchecked").inc(unchecked)
        changed = [o for o in outcomes if o.changed and not o.unchecked]
        now = self._clock()
        async with unit.write(self._engine) as conn:
            if changed:
                changed = await self._still_latest(conn, changed)
                prior = await repo.prior_actions(
                    conn,
                    [o.latest.verification_id for o in changed if o.latest.decision == "block"],
                )
                writes = writes_for(changed, run_id=self._run_id, prior=prior, now=now)
                await insert_decisions(conn, writes.decisions)
                await repo.insert_changes(conn, writes.changes)
                await insert_events(conn, writes.events)
            checkpoint = replace(
                checkpoint,
                last_listing_id=page.last_id if page else checkpoint.last_listing_id,
                processed=checkpoint.processed + (len(page.latest) if page else 0),
                changed=checkpoint.changed + len(changed),
                done=done,
            )
            await repo.save_checkpoint(conn, checkpoint, now)
        self._count(outcomes, changed)
        if self._on_commit is not None:
            self._on_commit(checkpoint)
        return checkpoint

    @staticmethod
    async def _still_latest(conn: AsyncConnection, changed: list[Outcome]) -> list[Outcome]:
        # A decision recorded for the listing since the page was read (a new upload) is
        # newer than our re-decision of the old draft: that listing is left alone.
        pointers = await repo.latest_pointers(
            conn, [o.latest.listing_id for o in changed], lock=True
        )
        kept = [o for o in changed if pointers.get(o.latest.listing_id) == o.latest.verification_id]
        if len(kept) < len(changed):
            REVERIFY_LISTINGS.labels(outcome="superseded").inc(len(changed) - len(kept))
        return kept

    @staticmethod
    def _count(outcomes: list[Outcome], changed: list[Outcome]) -> None:
        REVERIFY_LISTINGS.labels(outcome="changed").inc(len(changed))
        REVERIFY_LISTINGS.labels(outcome="unchanged").inc(
            sum(1 for outcome in outcomes if not outcome.changed)
        )
        for outcome in changed:
            if outcome.flipped:
                REVERIFY_FLIPS.labels(
                    from_decision=outcome.latest.decision,
                    to_decision=Decision(outcome.verification.decision).value,
                ).inc()
