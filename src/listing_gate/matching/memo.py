"""A bounded memo of pure verdicts, keyed by the texts compared."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["Memo"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Remembers up to ``size`` results; when full, the oldest one goes first.

    Not locked: the decisions that use it run on the event loop's one thread.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._results: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        """Returns the result remembered for ``key``, or None."""
        return self._results.get(key)

    def put(self, key: K, result: V) -> V:
        """Remembers ``result`` for ``key`` and returns it."""
        if len(self._results) >= self._size:
            del self._results[next(iter(self._results))]
        self._results[key] = result
        return result
