"""Durable decisions with group commit: many requests' rows, one transaction, one fsync.

Each request puts its rows on a bounded in-memory queue and awaits their commit; one
writer task takes whatever is waiting (up to ``write_batch_max`` rows) and writes it in
a single transaction. Under load a commit carries many requests, so throughput grows
with concurrency instead of queueing on per-request commits, and no request holds a
connection while it waits. The caller answers only after its commit succeeded: a full
queue is ``OverloadedError`` (503, back-pressure), a failed write ``StorageUnavailableError``
(503), never an unrecorded 200.

No request fails because of another's data: when a group fails for any reason but the
database itself failing (connection, disk, server), its writes are retried in halves
until the rows the database refuses fail alone and the rest commit. A refused row is
counted as ``row_refused``, not ``storage``: the storage reasons page on-call, one
request's bad row does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories.access import IdempotentAnswer, write_idempotent_answers
from listing_gate.db.repositories.decisions import DecisionRow, write_decisions
from listing_gate.db.sqlite_writer import SqliteLoopWriter
from listing_gate.errors import OverloadedError, StorageUnavailableError
from listing_gate.observability.metrics import WRITE_BATCH_SIZE, WRITE_QUEUE_DEPTH, WRITE_REJECTIONS

__all__ = ["Recorder"]

_log = logging.getLogger("listing_gate.recorder")


def _new_future() -> asyncio.Future[None]:
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    # A caller that timed out no longer awaits its future; marking the exception as
    # retrieved keeps asyncio from reporting it as lost.
    future.add_done_callback(lambda f: f.cancelled() or f.exception())
    return future


@dataclass(slots=True)
class _Write:
    rows: Sequence[DecisionRow]
    answer: IdempotentAnswer | None
    done: asyncio.Future[None] = field(default_factory=_new_future)

    @property
    def size(self) -> int:
        return max(1, len(self.rows))


class Recorder:
    """Owns the decision write queue and its single writer task."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        queue_max: int,
        batch_max: int,
        commit_timeout_s: float,
        idempotency_ttl: timedelta,
        writer_engine: Engine | None = None,
    ) -> None:
        self._engine = engine
        # SQLite: transactions on the loop thread (see sqlite_writer); else the async engine.
        self._sqlite = SqliteLoopWriter(writer_engine) if writer_engine is not None else None
        self._queue: asyncio.Queue[_Write] = asyncio.Queue()
        self._queue_max = queue_max
        self._batch_max = batch_max
        self._timeout = commit_timeout_s
        self._idempotency_ttl = idempotency_ttl
        self._depth = 0  # rows waiting, the unit the bound is expressed in
        self._writer: asyncio.Task[None] | None = None
        self._closing = False

    async def start(self) -> None:
        """Starts the writer task."""
        self._writer = asyncio.create_task(self._run(), name="decision-writer")

    async def stop(self) -> None:
        """Refuses new writes, commits everything already queued, then stops the writer."""
        self._closing = True
        if self._writer is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), self._timeout)
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer
        self._writer = None
        if self._sqlite is not None:
            self._sqlite.close()

    async def record(
        self, rows: Sequence[DecisionRow], answer: IdempotentAnswer | None = None
    ) -> None:
        """Returns once ``rows`` (and the idempotent answer) are committed; raises 503 errors."""
        if self._closing or self._writer is None:
            WRITE_REJECTIONS.labels(reason="closing").inc()
            raise StorageUnavailableError("the service is shutting down")
        write = _Write(rows, answer)
        if self._depth + write.size > self._queue_max:
            WRITE_REJECTIONS.labels(reason="queue_full").inc()
            raise OverloadedError(
                f"{self._depth} decisions are waiting to be recorded; retry shortly"
            )
        self._depth += write.size
        WRITE_QUEUE_DEPTH.set(self._depth)
        self._queue.put_nowait(write)
        try:
            # shield: a caller that gives up must not cancel a write other callers share.
            await asyncio.wait_for(asyncio.shield(write.done), self._timeout)
        except TimeoutError:
            WRITE_REJECTIONS.labels(reason="timeout").inc()
            raise StorageUnavailableError(
                f"the decision was not recorded within {self._timeout:g}s"
            ) from None

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            rows = batch[0].size
            while rows < self._batch_max and not self._queue.empty():
                write = self._queue.get_nowait()
                batch.append(write)
                rows += write.size
            try:
                await self._commit_isolating(batch)
            finally:
                self._depth -= rows
                WRITE_QUEUE_DEPTH.set(self._depth)
                for _ in batch:
                    self._queue.task_done()

    async def _commit_isolating(self, batch: list[_Write]) -> Exception | None:
        """Commits ``batch``, isolating the writes the database refuses.

        Returns the outage that failed the rest of the batch, if the database went away.
        """
        try:
            await self._commit(batch)
        except Exception as exc:  # the writer must outlive any database fault
            if _is_outage(exc):
                _fail(batch, exc)
                return exc
            if len(batch) == 1:
                _fail(batch, exc)
                return None
            # A row of the group was refused (a NUL PostgreSQL cannot store, a duplicate
            # id, ...) and it must not fail the requests batched with it. Halving finds
            # it in about 2*log2(n) transactions, where one per write would take n.
            middle = len(batch) // 2
            outage = await self._commit_isolating(batch[:middle])
            if outage is not None:
                _fail(batch[middle:], outage)
                return outage
            return await self._commit_isolating(batch[middle:])
        WRITE_BATCH_SIZE.observe(sum(len(w.rows) for w in batch))
        for write in batch:
            if not write.done.done():
                write.done.set_result(None)
        return None

    async def _commit(self, batch: list[_Write]) -> None:
        rows = [row for write in batch for row in write.rows]
        answers = [write.answer for write in batch if write.answer is not None]
        expired = datetime.now(UTC) - self._idempotency_ttl
        if self._sqlite is not None:
            await self._sqlite.write(
                lambda conn: _write(conn, rows, answers, expired), timeout_s=self._timeout
            )
            return
        async with unit.write(self._engine) as conn:
            await conn.run_sync(_write, rows, answers, expired)


def _write(
    conn: Connection, rows: list[DecisionRow], answers: list[IdempotentAnswer], expired: datetime
) -> None:
    write_decisions(conn, rows)
    write_idempotent_answers(conn, answers, expired)


# SQLSTATE classes of a database that cannot serve anyone: connection exception,
# invalid authorization, invalid catalog name (the database is gone), insufficient
# resources, operator intervention, system error, internal error.
_OUTAGE_CLASSES = frozenset({"08", "28", "3D", "53", "57", "58", "XX"})
_READ_ONLY_TRANSACTION = "25006"  # a failed-over primary, now a standby
# Data exception (a NUL, an invalid byte, a value out of range), integrity constraint
# violation, program limit exceeded (an index entry too large): one row's own fault.
_ROW_CLASSES = frozenset({"22", "23", "54"})


def _sqlstate(exc: BaseException) -> str:
    return str(getattr(getattr(exc, "orig", None), "sqlstate", None) or "")


def _is_outage(exc: BaseException) -> bool:
    """True when the database itself failed, so retrying part of the group cannot help."""
    if isinstance(exc, OSError | TimeoutError | InterfaceError | OperationalError):
        # asyncpg's server errors arrive as a plain DBAPIError; these are its connection
        # faults and, on SQLite, a lock held past the deadline, a full or failing disk.
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    state = _sqlstate(exc)
    return state[:2] in _OUTAGE_CLASSES or state == _READ_ONLY_TRANSACTION


def _is_refused_row(exc: BaseException) -> bool:
    """True when the database refused this write's own data (not a fault of the store)."""
    # UnicodeError: a lone surrogate, which no driver can encode.
    if isinstance(exc, IntegrityError | DataError | UnicodeError):
        return True
    return _sqlstate(exc)[:2] in _ROW_CLASSES


def _fail(batch: list[_Write], exc: Exception) -> None:
    if len(batch) == 1 and not _is_outage(exc) and _is_refused_row(exc):
        _log.warning("decision row refused", extra={"error": repr(exc)})
        WRITE_REJECTIONS.labels(reason="row_refused").inc()
    else:
        _log.error("decision write failed", extra={"rows": len(batch), "error": repr(exc)})
        WRITE_REJECTIONS.labels(reason="storage").inc(len(batch))
    for write in batch:
        if not write.done.done():
            write.done.set_exception(unit.unavailable())
