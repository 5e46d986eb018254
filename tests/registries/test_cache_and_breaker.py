"""The small parts of the lookup wrapper on their own: TTL cache, breaker, coalescer."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY

from listing_gate.registries.breaker import BreakerState, CircuitBreaker
from listing_gate.registries.cache import TtlCache
from listing_gate.registries.coalesce import Coalescer


def test_an_entry_is_served_until_its_ttl_and_not_after() -> None:
    """Expiry is exact: alive before now + ttl, gone at it."""
    cache: TtlCache[str, int] = TtlCache(10)
    cache.put("a", 1, ttl=5.0, now=100.0)
    assert cache.get("a", 104.9) == 1
    assert cache.get("a", 105.0) is None
    assert len(cache) == 0


def test_a_full_cache_drops_the_entry_stored_longest_ago() -> None:
    """The size bound holds; the oldest entry goes first, a re-stored one counts as new."""
    cache: TtlCache[str, int] = TtlCache(2)
    cache.put("a", 1, ttl=60, now=0)
    cache.put("b", 2, ttl=60, now=1)
    cache.put("a", 3, ttl=60, now=2)
    cache.put("c", 4, ttl=60, now=3)
    assert (cache.get("a", 4), cache.get("b", 4), cache.get("c", 4)) == (3, None, 4)


def test_a_zero_ttl_or_size_stores_nothing() -> None:
    """Caching can be switched off by settings."""
    off: TtlCache[str, int] = TtlCache(0)
    off.put("a", 1, ttl=60, now=0)
    no_ttl: TtlCache[str, int] = TtlCache(10)
    no_ttl.put("a", 1, ttl=0, now=0)
    assert off.get("a", 0) is None
    assert no_ttl.get("a", 0) is None


def test_the_breaker_state_is_exported_as_a_gauge() -> None:
    """0 closed, 1 open, 2 half-open, per registry."""
    now = [0.0]
    breaker = CircuitBreaker("gauge-test", failures=1, reset_s=10, clock=lambda: now[0])

    def gauge() -> float | None:
        return REGISTRY.get_sample_value(
            "listing_gate_registry_breaker_state", {"registry": "gauge-test"}
        )

    assert gauge() == BreakerState.CLOSED
    breaker.failure()
    assert gauge() == BreakerState.OPEN
    now[0] = 10.0
    assert breaker.allow()
    assert gauge() == BreakerState.HALF_OPEN
    assert not breaker.allow()  # one probe at a time
    breaker.success()
    assert gauge() == BreakerState.CLOSED


def test_successes_reset_the_failure_count() -> None:
    """Only failures in a row open the breaker."""
    breaker = CircuitBreaker("reset-test", failures=2, reset_s=10, clock=lambda: 0.0)
    breaker.failure()
    breaker.success()
    breaker.failure()
    assert breaker.state is BreakerState.CLOSED


@pytest.mark.anyio
async def test_the_coalescer_forgets_a_call_once_it_finishes() -> None:
    """A finished call is not handed out again; the next caller starts a fresh one."""
    coalescer: Coalescer[str, int] = Coalescer()

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    task = coalescer.start("k", answer())
    assert coalescer.get("k") is task
    assert await task == 42
    assert coalescer.get("k") is None
    assert len(coalescer) == 0
