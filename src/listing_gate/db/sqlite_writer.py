"""Runs SQLite write transactions on the event loop thread, and WAL checkpoints beside it.

Why not a thread: pysqlite releases the GIL around every statement step, so a writer
thread competing with a busy event loop waits out the interpreter's switch interval
(5 ms) again and again, and one group commit takes tens of milliseconds. On the loop
thread a commit is a fraction of a millisecond: with synchronous=FULL (the default) it
appends to the WAL and syncs it once, for the whole group (about 0.1 ms on the CI
machine's disk; see the README for the measured cost against NORMAL, which does not
sync at commit). What could block longer is kept off the loop: a lock held by another
writer is retried after a sleep (the connection never waits, busy_timeout=0), and
checkpoints (which sync the database file) run on a helper thread.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

__all__ = ["SqliteLoopWriter"]

_log = logging.getLogger("listing_gate.recorder")
_CHECKPOINT_EVERY_S = 1.0
_RETRY_FIRST_S = 0.002
_RETRY_MAX_S = 0.05


class SqliteLoopWriter:
    """Commits blocking write functions on the loop thread; checkpoints the WAL on a thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-checkpoint")
        self._last_checkpoint = time.monotonic()
        self._checkpointing = False

    async def write(self, work: Callable[[Connection], None], *, timeout_s: float) -> None:
        """Returns once ``work`` committed in one transaction; retries while SQLite is locked."""
        deadline = time.monotonic() + timeout_s
        pause = _RETRY_FIRST_S
        while True:
            try:
                with self._engine.begin() as conn:
                    work(conn)
                break
            except OperationalError as exc:
                if not _locked(exc) or time.monotonic() + pause > deadline:
                    raise
                await asyncio.sleep(pause)
                pause = min(pause * 2, _RETRY_MAX_S)
        self._maybe_checkpoint()

    def close(self) -> None:
        """Waits for a running checkpoint, then closes the connections."""
        self._thread.shutdown(wait=True)
        self._engine.dispose()

    def _maybe_checkpoint(self) -> None:
        now = time.monotonic()
        if self._checkpointing or now - self._last_checkpoint < _CHECKPOINT_EVERY_S:
            return
        self._checkpointing = True
        self._last_checkpoint = now
        future = asyncio.get_running_loop().run_in_executor(self._thread, self._checkpoint)
        future.add_done_callback(self._checkpoint_done)

    def _checkpoint(self) -> None:
        # PASSIVE never waits for readers or writers; what it cannot copy now it copies later.
        with self._engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def _checkpoint_done(self, future: asyncio.Future[None]) -> None:
        self._checkpointing = False
        if not future.cancelled() and future.exception() is not None:
            _log.warning("wal checkpoint failed", extra={"error": repr(future.exception())})


def _locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text
