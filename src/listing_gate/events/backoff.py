"""Retry delays: exponential in the attempt number, capped, with jitter."""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["retry_delay"]


def retry_delay(
    attempt: int,
    *,
    base_s: float,
    cap_s: float,
    uniform: Callable[[float, float], float] = random.uniform,
) -> float:
    """Returns seconds to wait after failed attempt ``attempt`` (1-based): in [d/2, d]."""
    # d = base * 2^(attempt-1), capped. "Equal jitter": half fixed, half random, so retries
    # from many events failing together spread out, yet never come back immediately.
    delay = min(cap_s, base_s * 2.0 ** min(attempt - 1, 62))
    return delay / 2 + uniform(0.0, delay / 2)
