"""The one wrapper every registry backend goes through on the decision path.

It adds, once for all backends: a TTL cache (not-found kept for less time), coalescing of
concurrent identical lookups, a circuit breaker per registry, and the per-verification
deadline. Its answers are the domain's one answer type (`Found`, `NotFound`, `Unavailable`),
which the rules read as they are. Whatever goes wrong comes back as `Unavailable`, never as
an exception, so the rules answer REGISTRY_UNAVAILABLE (review) instead of a 5xx or a
silent allow.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable, Sequence
from datetime import datetime
from functools import partial
from typing import Any, cast

from prometheus_client import Counter

from listing_gate.domain import (
    REGISTRY_KINDS,
    Answer,
    CccRecord,
    Found,
    LicenseRecord,
    NotFound,
    RecallRecord,
    SpotCheckRecord,
    StandardRecord,
    Unavailable,
)
from listing_gate.ids import utcnow
from listing_gate.observability.metrics import REGISTRY_BACKEND_LATENCY, REGISTRY_LOOKUPS
from listing_gate.registries.breaker import CircuitBreaker
from listing_gate.registries.cache import TtlCache
from listing_gate.registries.coalesce import Coalescer
from listing_gate.registries.deadline import deadline, remaining
from listing_gate.registries.freshness import Freshness, assess, publish
from listing_gate.registries.protocol import RegistryBackend, RegistryStatus
from listing_gate.settings import Settings

__all__ = [
    "Answer",
    "Found",
    "Freshness",
    "NotFound",
    "RegistryLookup",
    "Unavailable",
    "deadline",
]

_log = logging.getLogger("listing_gate.registries")
_FRESHNESS_TTL_S = 5.0  # asked on every verification; a few seconds old is fresh enough
_STATUS_KEY = ("status",)


class RegistryLookup:
    """Cached, coalesced, breaker-guarded, deadline-bounded access to one backend."""

    def __init__(
        self,
        backend: RegistryBackend,
        *,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.backend = backend
        self.source = backend.name
        self._settings = settings
        self._clock = clock
        self._monotonic = monotonic
        self._ttl = settings.registry_cache_ttl_s
        self._negative_ttl = min(settings.registry_negative_cache_ttl_s, self._ttl)
        # A backend call never outlives a whole verification, whoever waits for it.
        self._call_timeout = settings.verification_deadline_s
        self._cache: TtlCache[Hashable, Any] = TtlCache(settings.registry_cache_max_entries)
        self._inflight: Coalescer[Hashable, Any] = Coalescer()
        self._breakers: dict[str, CircuitBreaker] = {
            kind: CircuitBreaker(
                kind,
                failures=settings.registry_breaker_failures,
                reset_s=settings.registry_breaker_reset_s,
                clock=monotonic,
            )
            for kind in REGISTRY_KINDS
        }
        self._outcomes: dict[tuple[str, str], Counter] = {
            (kind, outcome): REGISTRY_LOOKUPS.labels(kind, outcome)
            for kind in REGISTRY_KINDS
            for outcome in ("hit", "miss", "not_found", "error", "timeout")
        }
        self._generation = 0
        self._freshness: tuple[float, dict[str, Freshness]] | None = None
        self._statuses: list[RegistryStatus] | None = None

    # --- lookups ------------------------------------------------------------------------

    async def ccc(
        self, key: str, *, deadline: float | None = None
    ) -> Found[CccRecord] | NotFound | Unavailable:
        """Returns the CCC record with this key (latest issued version), NotFound or Unavailable."""
        cache_key = ("ccc", key)
        hit = self._cache.get(cache_key, self._monotonic())
        if hit is not None:
            self._outcomes["ccc", "hit"].inc()
            return cast("Found[CccRecord] | NotFound", hit)
        return cast(
            "Answer[CccRecord]",
            await self._fetch("ccc", cache_key, partial(self.backend.get_ccc, key), deadline),
        )

    async def license(
        self, key: str, *, deadline: float | None = None
    ) -> Found[LicenseRecord] | NotFound | Unavailable:
        """Returns the licence with this canonical number, NotFound or Unavailable."""
        cache_key = ("license", key)
        hit = self._cache.get(cache_key, self._monotonic())
        if hit is not None:
            self._outcomes["license", "hit"].inc()
            return cast("Found[LicenseRecord] | NotFound", hit)
        call = partial(self.backend.get_license, key)
        return cast(
            "Answer[LicenseRecord]", await self._fetch("license", cache_key, call, deadline)
        )

    async def recalls(
        self, *, model_key: str, manufacturer_cores: Sequence[str], deadline: float | None = None
    ) -> Found[list[RecallRecord]] | Unavailable:
        """Returns recalls naming the model key or a manufacturer core (maybe none)."""
        cores = tuple(sorted(set(manufacturer_cores)))
        cache_key = ("recall", model_key, cores)
        hit = self._cache.get(cache_key, self._monotonic())
        if hit is not None:
            self._outcomes["recall", "hit"].inc()
            return cast("Found[list[RecallRecord]]", hit)
        call = partial(self.backend.find_recalls, model_key=model_key, manufacturer_cores=cores)
        return cast(
            "Found[list[RecallRecord]] | Unavailable",
            await self._fetch("recall", cache_key, call, deadline),
        )

    async def spot_checks(
        self, *, model_key: str, manufacturer_cores: Sequence[str], deadline: float | None = None
    ) -> Found[list[SpotCheckRecord]] | Unavailable:
        """Returns spot-check failures naming the model key or a core (maybe none)."""
        cores = tuple(sorted(set(manufacturer_cores)))
        cache_key = ("spot_check", model_key, cores)
        hit = self._cache.get(cache_key, self._monotonic())
        if hit is not None:
            self._outcomes["spot_check", "hit"].inc()
            return cast("Found[list[SpotCheckRecord]]", hit)
        call = partial(self.backend.find_spot_checks, model_key=model_key, manufacturer_cores=cores)
        return cast(
            "Found[list[SpotCheckRecord]] | Unavailable",
            await self._fetch("spot_check", cache_key, call, deadline),
        )

    async def standards(
        self, keys: Sequence[str], *, deadline: float | None = None
    ) -> Found[dict[str, StandardRecord]] | Unavailable:
        """Returns the standards found by key (missing ones absent), or Unavailable."""
        now = self._monotonic()
        found: dict[str, StandardRecord] = {}
        missing: list[str] = []
        oldest: datetime | None = None
        # Cached per standard: listings share standards in ever new combinations.
        for key in dict.fromkeys(keys):
            entry = self._cache.get(("standard", key), now)
            if entry is None:
                missing.append(key)
                continue
            if isinstance(entry, Found):
                found[key] = entry.value
            oldest = entry.retrieved_at if oldest is None else min(oldest, entry.retrieved_at)
        if not missing:
            self._outcomes["standard", "hit"].inc()
            return Found(found, self.source, oldest or self._clock())
        call = partial(self._fetch_standards, tuple(missing))
        fetched = await self._fetch(
            "standard", ("standards", *missing), call, deadline, cache=False
        )
        if not isinstance(fetched, Found):
            return cast("Unavailable", fetched)
        found.update(fetched.value)
        retrieved = fetched.retrieved_at if oldest is None else min(oldest, fetched.retrieved_at)
        return Found(found, self.source, retrieved)

    async def _fetch_standards(self, keys: tuple[str, ...]) -> dict[str, StandardRecord]:
        generation = self._generation
        records = await self.backend.get_standards(keys)
        now, retrieved = self._monotonic(), self._clock()
        if generation == self._generation:
            for key in keys:
                record = records.get(key)
                if record is None:
                    self._cache.put(
                        ("standard", key), NotFound(self.source, retrieved), self._negative_ttl, now
                    )
                else:
                    self._cache.put(
                        ("standard", key), Found(record, self.source, retrieved), self._ttl, now
                    )
        return {key: records[key] for key in keys if key in records}

    # --- the miss path: breaker, coalescing, deadline ------------------------------------

    async def _fetch(
        self,
        kind: str,
        cache_key: Hashable,
        call: Callable[[], Awaitable[Any]],
        at: float | None,
        *,
        cache: bool = True,
    ) -> Found[Any] | NotFound | Unavailable:
        task = self._inflight.get(cache_key)
        if task is None:
            if not self._breakers[kind].allow():
                self._outcomes[kind, "error"].inc()
                return Unavailable(kind, "circuit open")
            task = self._inflight.start(cache_key, self._call(kind, cache_key, call, cache))
        try:
            async with asyncio.timeout(remaining(at, self._call_timeout)):
                # shield: a caller giving up must not cancel the call others are waiting for
                result: Found[Any] | NotFound | Unavailable = await asyncio.shield(task)
        except TimeoutError:
            self._outcomes[kind, "timeout"].inc()
            return Unavailable(kind, "timeout")
        self._outcomes[kind, _outcome(result)].inc()
        return result

    async def _call(
        self, kind: str, cache_key: Hashable, call: Callable[[], Awaitable[Any]], cache: bool
    ) -> Found[Any] | NotFound | Unavailable:
        generation = self._generation
        breaker = self._breakers[kind]
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._call_timeout):
                value = await call()
        except TimeoutError:
            breaker.failure()
            _log.warning("registry_call_failed registry=%s reason=timeout", kind)
            return Unavailable(kind, "timeout")
        except asyncio.CancelledError:
            breaker.failure()
            raise
        except Exception as exc:
            breaker.failure()
            _log.warning("registry_call_failed registry=%s reason=%r", kind, exc)
            return Unavailable(kind, f"error: {type(exc).__name__}: {exc}"[:200])
        finally:
            REGISTRY_BACKEND_LATENCY.labels(kind).observe(time.perf_counter() - started)
        breaker.success()
        now = self._clock()
        result = NotFound(self.source, now) if value is None else Found(value, self.source, now)
        if cache and generation == self._generation:
            ttl = self._negative_ttl if value is None else self._ttl
            self._cache.put(cache_key, result, ttl, self._monotonic())
        return result

    # --- freshness ------------------------------------------------------------------------

    async def freshness(self, *, deadline: float | None = None) -> dict[str, Freshness]:
        """Returns per kind: records, last import, age, allowed age, stale, loaded (cached ~5 s)."""
        cached = self._freshness
        if cached is not None and cached[0] > self._monotonic():
            return cached[1]
        task = self._inflight.get(_STATUS_KEY) or self._inflight.start(
            _STATUS_KEY, self._read_status()
        )
        try:
            async with asyncio.timeout(remaining(deadline, self._call_timeout)):
                return await asyncio.shield(task)
        except TimeoutError:
            return self._assess(error="timeout")

    async def _read_status(self) -> dict[str, Freshness]:
        generation = self._generation
        try:
            async with asyncio.timeout(self._call_timeout):
                statuses = await self.backend.status()
        except Exception as exc:
            _log.warning("registry_status_failed reason=%r", exc)
            result = self._assess(error=f"error: {type(exc).__name__}")
        else:
            self._statuses = statuses
            result = self._assess()
        publish(result)
        if generation == self._generation:
            self._freshness = (self._monotonic() + _FRESHNESS_TTL_S, result)
        return result

    def _assess(self, *, error: str | None = None) -> dict[str, Freshness]:
        # Without a fresh status, the last one read still tells the ages (from now).
        return assess(
            self._statuses,
            source=self.source,
            now=self._clock(),
            max_age_hours=self._settings.registry_max_age_hours,
            error=error,
        )

    def invalidate(self) -> None:
        """Drops cached answers and freshness (after an import): the next lookups ask again."""
        self._generation += 1
        self._cache.clear()
        self._inflight.forget()
        self._freshness = None


def _outcome(result: Found[Any] | NotFound | Unavailable) -> str:
    if isinstance(result, Found):
        return "miss"
    if isinstance(result, NotFound):
        return "not_found"
    return "timeout" if result.reason == "timeout" else "error"
