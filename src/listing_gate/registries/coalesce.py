"""Coalescing: concurrent lookups of one key share a single backend call."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Hashable
from functools import partial
from typing import Any, Generic, TypeVar

__all__ = ["Coalescer"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Coalescer(Generic[K, V]):
    """Runs at most one call per key at a time; callers arriving meanwhile get its task."""

    __slots__ = ("_inflight",)

    def __init__(self) -> None:
        # Holding the task here is also what keeps it alive: the loop only keeps weak refs.
        self._inflight: dict[K, asyncio.Task[V]] = {}

    def get(self, key: K) -> asyncio.Task[V] | None:
        """Returns the call in flight for `key`, if any."""
        return self._inflight.get(key)

    def start(self, key: K, call: Coroutine[Any, Any, V]) -> asyncio.Task[V]:
        """Returns a task running `call`, registered under `key` until it finishes."""
        task = asyncio.get_running_loop().create_task(call)
        self._inflight[key] = task
        task.add_done_callback(partial(self._finished, key))
        return task

    def forget(self) -> None:
        """Stops handing out the calls in flight (their current waiters still get them)."""
        self._inflight.clear()

    def __len__(self) -> int:
        return len(self._inflight)

    def _finished(self, key: K, task: asyncio.Task[V]) -> None:
        if self._inflight.get(key) is task:
            del self._inflight[key]
        if not task.cancelled():
            # Mark any exception retrieved: waiters that timed out no longer look at it.
            task.exception()
