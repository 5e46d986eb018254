"""A circuit breaker per registry: after repeated failures, stop calling for a while."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from listing_gate.observability.metrics import REGISTRY_BREAKER_STATE

__all__ = ["BreakerState", "CircuitBreaker"]


class BreakerState(IntEnum):
    """The gauge values: 0 closed, 1 open, 2 half-open."""

    CLOSED = 0
    OPEN = 1
    HALF_OPEN = 2


class CircuitBreaker:
    """Closed until `failures` failures in a row; open for `reset_s`; then one probe call."""

    def __init__(
        self, name: str, *, failures: int, reset_s: float, clock: Callable[[], float]
    ) -> None:
        self._threshold = failures
        self._reset_s = reset_s
        self._clock = clock
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False
        self._gauge = REGISTRY_BREAKER_STATE.labels(name)
        self._state = BreakerState.CLOSED
        self._gauge.set(BreakerState.CLOSED)

    @property
    def state(self) -> BreakerState:
        """Returns the current state (an open breaker past its reset reads as half-open)."""
        if self._state is BreakerState.OPEN and self._clock() - self._opened_at >= self._reset_s:
            return BreakerState.HALF_OPEN
        return self._state

    def allow(self) -> bool:
        """Returns True if a call may go out now; half-open lets exactly one probe through."""
        if self._state is BreakerState.CLOSED:
            return True
        if self._state is BreakerState.OPEN:
            if self._clock() - self._opened_at < self._reset_s:
                return False
            self._set(BreakerState.HALF_OPEN)
        if self._probing:
            return False
        self._probing = True
        return True

    def success(self) -> None:
        """Records a call that worked: the breaker closes."""
        self._failures = 0
        self._probing = False
        if self._state is not BreakerState.CLOSED:
            self._set(BreakerState.CLOSED)

    def failure(self) -> None:
        """Records a failed call: a failed probe or the Nth failure in a row opens it."""
        self._probing = False
        self._failures += 1
        if self._state is BreakerState.HALF_OPEN or self._failures >= self._threshold:
            self._opened_at = self._clock()
            self._set(BreakerState.OPEN)

    def _set(self, state: BreakerState) -> None:
        self._state = state
        self._gauge.set(state)
