"""The lookup wrapper: cache, negative cache, coalescing, deadline, breaker, freshness."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from listing_gate.domain import (
    CccRecord,
    CredentialStatus,
    LicenseRecord,
    RecallRecord,
    RegistryKind,
    SpotCheckRecord,
    StandardRecord,
)
from listing_gate.registries.breaker import BreakerState
from listing_gate.registries.lookup import (
    Found,
    RegistryLookup,
    Unavailable,
    deadline,
)
from listing_gate.registries.protocol import ChangedRecord, RegistryStatus

from .conftest import settings_for

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
CERT = CccRecord(
    certificate_no="2024011609123456", kind="certificate", status="valid", product_code="0914"
)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class StubBackend:
    """A backend that counts calls and answers, hangs or fails as a test tells it."""

    name = "stub"

    def __init__(self) -> None:
        self.calls = 0
        self.records: dict[str, CccRecord] = {"2024011609123456": CERT}
        self.hang = False
        self.fail = False
        self.delay = 0.0
        self.statuses: list[RegistryStatus] = []

    async def _answer(self) -> None:
        self.calls += 1
        if self.hang:
            await asyncio.Event().wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise ConnectionError("registry down")

    async def get_ccc(self, key: str) -> CccRecord | None:
        await self._answer()
        return self.records.get(key)

    async def get_license(self, key: str) -> LicenseRecord | None:
        await self._answer()
        return None

    async def find_recalls(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[RecallRecord]:
        await self._answer()
        return []

    async def find_spot_checks(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[SpotCheckRecord]:
        await self._answer()
        return []

    async def get_standards(self, keys: Sequence[str]) -> dict[str, StandardRecord]:
        await self._answer()
        known = {"GB 4943.1-2022": StandardRecord(number="GB 4943.1-2022", status="current")}
        return {k: known[k] for k in keys if k in known}

    async def status(self) -> list[RegistryStatus]:
        await self._answer()
        return self.statuses

    async def changed_since(
        self, kind: RegistryKind, since: datetime
    ) -> AsyncIterator[ChangedRecord]:
        for _ in ():
            yield _


def make_lookup(
    backend: StubBackend, clock: FakeClock | None = None, **settings: Any
) -> RegistryLookup:
    """A lookup over `backend` with test settings."""
    defaults: dict[str, Any] = {
        "registry_cache_ttl_s": 60.0,
        "registry_negative_cache_ttl_s": 10.0,
        "verification_deadline_s": 0.2,
        "registry_breaker_failures": 3,
        "registry_breaker_reset_s": 30.0,
    }
    return RegistryLookup(
        backend,
        settings=settings_for(**(defaults | settings)),
        clock=lambda: NOW,
        monotonic=clock or time.monotonic,
    )


@pytest.mark.anyio
async def test_a_found_record_carries_source_and_retrieval_time() -> None:
    """Evidence needs where and when: Found says both."""
    lookup = make_lookup(StubBackend())
    assert await lookup.ccc("2024011609123456") == Found(CERT, "stub", NOW)


@pytest.mark.anyio
async def test_a_second_lookup_is_served_from_the_cache() -> None:
    """A hit never reaches the backend."""
    backend = StubBackend()
    lookup = make_lookup(backend)
    first = await lookup.ccc("2024011609123456")
    assert await lookup.ccc("2024011609123456") is first
    assert backend.calls == 1


@pytest.mark.anyio
async def test_100_concurrent_lookups_of_one_key_make_one_backend_call() -> None:
    """Concurrent identical lookups are coalesced into a single backend call."""
    backend = StubBackend()
    backend.delay = 0.01
    lookup = make_lookup(backend)
    results = await asyncio.gather(*(lookup.ccc("2024011609123456") for _ in range(100)))
    assert backend.calls == 1
    assert all(r == Found(CERT, "stub", NOW) for r in results)


@pytest.mark.anyio
async def test_a_hung_backend_is_unavailable_by_timeout_within_the_deadline() -> None:
    """A backend that never answers yields Unavailable("timeout"), not an exception."""
    backend = StubBackend()
    backend.hang = True
    lookup = make_lookup(backend, verification_deadline_s=5.0)
    started = time.monotonic()
    with deadline(0.1):
        result = await lookup.ccc("2024011609123456")
    assert result == Unavailable("ccc", "timeout")
    assert time.monotonic() - started < 0.5


@pytest.mark.anyio
async def test_without_a_deadline_block_the_settings_deadline_bounds_a_lookup() -> None:
    """verification_deadline_s applies when the caller sets no deadline of its own."""
    backend = StubBackend()
    backend.hang = True
    lookup = make_lookup(backend, verification_deadline_s=0.05)
    started = time.monotonic()
    assert await lookup.license("粤XK16-204-00397") == Unavailable("license", "timeout")
    assert time.monotonic() - started < 0.5


@pytest.mark.anyio
async def test_a_deadline_bounds_every_lookup_of_the_block_together() -> None:
    """Sequential lookups share one verification deadline, not one each."""
    backend = StubBackend()
    backend.delay = 0.06
    lookup = make_lookup(backend, verification_deadline_s=5.0)
    with deadline(0.1):
        first = await lookup.ccc("2024011609123456")
        second = await lookup.license("粤XK16-204-00397")
    assert isinstance(first, Found)
    assert second == Unavailable("license", "timeout")


@pytest.mark.anyio
async def test_a_failing_backend_is_unavailable_with_the_error() -> None:
    """Backend exceptions come back as Unavailable("error: ..."), never raised."""
    backend = StubBackend()
    backend.fail = True
    result = await make_lookup(backend).ccc("2024011609123456")
    assert isinstance(result, Unavailable)
    assert result.reason.startswith("error: ConnectionError")


@pytest.mark.anyio
async def test_the_breaker_opens_after_n_failures_and_half_opens_after_the_reset() -> None:
    """N failures open the circuit; after the reset one probe goes out and closes it."""
    backend, clock = StubBackend(), FakeClock()
    lookup = make_lookup(backend, clock, registry_breaker_failures=3)
    backend.fail = True
    for _ in range(3):
        await lookup.ccc("2024011609123456")
    assert await lookup.ccc("2024011609123456") == Unavailable("ccc", "circuit open")
    assert backend.calls == 3
    # one breaker per registry: licences are still asked
    assert await lookup.license("粤XK16-204-00397") != Unavailable("license", "circuit open")
    assert backend.calls == 4

    clock.now += 30.0
    backend.fail = False
    assert isinstance(await lookup.ccc("2024011609123456"), Found)  # the half-open probe
    assert lookup._breakers["ccc"].state is BreakerState.CLOSED


@pytest.mark.anyio
async def test_a_failed_probe_opens_the_breaker_again() -> None:
    """Half-open lets one probe through; if it fails, the circuit reopens for a full reset."""
    backend, clock = StubBackend(), FakeClock()
    lookup = make_lookup(backend, clock, registry_breaker_failures=1)
    backend.fail = True
    await lookup.ccc("2024011609123456")
    clock.now += 30.0
    await lookup.ccc("2024011609123456")
    assert backend.calls == 2
    assert await lookup.ccc("2024011609123456") == Unavailable("ccc", "circuit open")


@pytest.mark.anyio
async def test_not_found_is_cached_for_less_time_than_found() -> None:
    """The negative cache expires first, so a newly issued certificate is seen sooner."""
    backend, clock = StubBackend(), FakeClock()
    lookup = make_lookup(backend, clock)
    await lookup.ccc("2024011609123456")
    await lookup.ccc("2024010000000000")
    assert backend.calls == 2
    clock.now += 11.0
    await lookup.ccc("2024011609123456")
    assert backend.calls == 2
    await lookup.ccc("2024010000000000")
    assert backend.calls == 3
    clock.now += 50.0
    await lookup.ccc("2024011609123456")
    assert backend.calls == 4


@pytest.mark.anyio
async def test_invalidate_drops_cached_answers() -> None:
    """After an import, the next lookup asks the backend again."""
    backend = StubBackend()
    lookup = make_lookup(backend)
    await lookup.ccc("2024011609123456")
    lookup.invalidate()
    backend.records["2024011609123456"] = CERT.model_copy(
        update={"status": CredentialStatus.REVOKED}
    )
    result = await lookup.ccc("2024011609123456")
    assert isinstance(result, Found)
    assert result.value.status is CredentialStatus.REVOKED


@pytest.mark.anyio
async def test_standards_are_cached_one_by_one() -> None:
    """A later request with an overlapping set only asks for the standards not yet known."""
    backend = StubBackend()
    lookup = make_lookup(backend)
    first = await lookup.standards(["GB 4943.1-2022", "GB 1-2000"])
    assert isinstance(first, Found)
    assert set(first.value) == {"GB 4943.1-2022"}
    again = await lookup.standards(["GB 1-2000", "GB 4943.1-2022"])
    assert isinstance(again, Found)
    assert again.value == first.value
    assert backend.calls == 1


@pytest.mark.anyio
async def test_recall_search_answers_a_list_even_when_empty() -> None:
    """No recalls is an answer (Found with []), not NotFound."""
    lookup = make_lookup(StubBackend())
    result = await lookup.recalls(model_key="PB2000", manufacturer_cores=["华强电子"])
    assert result == Found([], "stub", NOW)
    assert await lookup.spot_checks(model_key="PB2000", manufacturer_cores=[]) == Found(
        [], "stub", NOW
    )


@pytest.mark.anyio
async def test_freshness_marks_old_and_never_imported_registries_stale() -> None:
    """Age beyond the kind's maximum, or no import at all, is stale; empty is not loaded."""
    backend = StubBackend()
    backend.statuses = [
        RegistryStatus("ccc", "stub", 403, NOW - timedelta(hours=1)),
        RegistryStatus("recall", "stub", 40, NOW - timedelta(hours=49)),
    ]
    fresh = await make_lookup(backend).freshness()
    assert (fresh["ccc"].stale, fresh["ccc"].loaded, fresh["ccc"].age_s) == (False, True, 3600.0)
    assert fresh["recall"].stale
    assert (fresh["license"].stale, fresh["license"].loaded) == (True, False)


@pytest.mark.anyio
async def test_freshness_is_cached_for_a_few_seconds() -> None:
    """It is asked on every verification, so the status is read once per few seconds."""
    backend, clock = StubBackend(), FakeClock()
    lookup = make_lookup(backend, clock)
    await lookup.freshness()
    await lookup.freshness()
    assert backend.calls == 1
    clock.now += 6.0
    await lookup.freshness()
    assert backend.calls == 2


@pytest.mark.anyio
async def test_freshness_of_an_unreachable_backend_is_stale_with_the_reason() -> None:
    """An unreadable status never raises: every kind reads stale and says why."""
    backend = StubBackend()
    backend.hang = True
    fresh = await make_lookup(backend, verification_deadline_s=0.05).freshness()
    assert all(f.stale and f.error == "timeout" for f in fresh.values())
