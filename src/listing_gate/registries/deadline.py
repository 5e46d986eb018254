"""The per-verification deadline every registry lookup inside it is bounded by."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["current_deadline", "deadline", "remaining"]

# time.monotonic() value; tasks started inside the block (asyncio.gather) copy it.
_DEADLINE: ContextVar[float | None] = ContextVar("listing_gate_registry_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Yields the absolute deadline (time.monotonic()) bounding lookups in the block.

    A nested block can only tighten an outer deadline, never extend it.
    """
    at = time.monotonic() + seconds
    outer = _DEADLINE.get()
    if outer is not None:
        at = min(at, outer)
    token = _DEADLINE.set(at)
    try:
        yield at
    finally:
        _DEADLINE.reset(token)


def current_deadline() -> float | None:
    """Returns the deadline in force in this context, or None outside any block."""
    return _DEADLINE.get()


def remaining(at: float | None, default: float) -> float:
    """Returns the seconds left until `at` (or the context's deadline; else `default`)."""
    if at is None:
        at = _DEADLINE.get()
    if at is None:
        return default
    return at - time.monotonic()
