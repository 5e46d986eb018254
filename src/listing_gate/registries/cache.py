"""A bounded in-process TTL cache: a hit is one dict lookup and one comparison."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["TtlCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """Values with a per-entry expiry; when full, the entry stored longest ago goes first."""

    __slots__ = ("_data", "_max_entries")

    def __init__(self, max_entries: int) -> None:
        self._data: dict[K, tuple[float, V]] = {}
        self._max_entries = max_entries

    def get(self, key: K, now: float) -> V | None:
        """Returns the value stored under `key` if it has not expired at `now`, else None."""
        entry = self._data.get(key)
        if entry is None:
            return None
        if entry[0] <= now:
            del self._data[key]
            return None
        return entry[1]

    def put(self, key: K, value: V, ttl: float, now: float) -> None:
        """Stores `value` until `now + ttl`; a zero TTL or size stores nothing."""
        if ttl <= 0 or self._max_entries <= 0:
            return
        data = self._data
        # Re-inserting moves the key to the end, so dict order stays storage order and the
        # first key is always the oldest: eviction is O(1) without an LRU list. With one
        # TTL per answer class, the oldest entry is also the nearest to expiry.
        data.pop(key, None)
        while len(data) >= self._max_entries:
            del data[next(iter(data))]
        data[key] = (now + ttl, value)

    def clear(self) -> None:
        """Drops every entry."""
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
