"""A registry that hangs: the verification still answers, in time, with review."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from listing_gate.domain import ListingDraft, RegistryKind
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.mirror import MirrorBackend
from listing_gate.registries.protocol import ChangedRecord, RegistryStatus
from listing_gate.service.verify import Verifier

from .conftest import loaded_mirror, settings_for

DEADLINE_S = 0.3


class HangingBackend:
    """The sample mirror's status, but every record lookup hangs (or everything does)."""

    name = "mirror"

    def __init__(self, mirror: MirrorBackend, *, status_hangs: bool) -> None:
        self._mirror = mirror
        self._status_hangs = status_hangs

    async def _hang(self) -> Any:
        await asyncio.Event().wait()

    async def get_ccc(self, key: str) -> Any:
        return await self._hang()

    async def get_license(self, key: str) -> Any:
        return await self._hang()

    async def find_recalls(self, *, model_key: str, manufacturer_cores: Sequence[str]) -> Any:
        return await self._hang()

    async def find_spot_checks(self, *, model_key: str, manufacturer_cores: Sequence[str]) -> Any:
        return await self._hang()

    async def get_standards(self, keys: Sequence[str]) -> Any:
        return await self._hang()

    async def status(self) -> list[RegistryStatus]:
        if self._status_hangs:
            await self._hang()
        return await self._mirror.status()

    async def changed_since(
        self, kind: RegistryKind, since: datetime
    ) -> AsyncIterator[ChangedRecord]:
        async for change in self._mirror.changed_since(kind, since):
            yield change


@pytest.fixture(scope="module")
def allowed_ccc_draft(shared_dir: Path) -> ListingDraft:
    """A labelled draft that is allowed when the CCC registry answers."""
    for line in (shared_dir / "data" / "cases.jsonl").read_bytes().splitlines():
        case = orjson.loads(line)
        if "pos_exact" in case["tags"] and "regime_ccc" in case["tags"]:
            return ListingDraft.model_validate(case["draft"])
    raise AssertionError("no pos_exact CCC case in cases.jsonl")


@pytest.mark.anyio
@pytest.mark.parametrize("status_hangs", [False, True], ids=["lookups-hang", "all-hangs"])
async def test_a_hung_registry_gives_review_with_registry_unavailable_within_the_deadline(
    sqlite_url: str, sample_dir: Path, allowed_ccc_draft: ListingDraft, status_hangs: bool
) -> None:
    """Never allow on unchecked data, never hang: review with REGISTRY_UNAVAILABLE, in time."""
    engine = await loaded_mirror(sqlite_url, sample_dir)
    backend = HangingBackend(MirrorBackend(engine), status_hangs=status_hangs)
    settings = settings_for(sqlite_url, verification_deadline_s=DEADLINE_S)
    lookup = RegistryLookup(backend, settings=settings)
    verifier = Verifier.from_lookup(
        lookup, deadline_s=DEADLINE_S, clock=lambda: datetime(2026, 12, 1, tzinfo=UTC)
    )
    started = time.monotonic()
    verification = await verifier.verify(allowed_ccc_draft)
    elapsed = time.monotonic() - started
    await engine.dispose()
    assert verification.decision == "review"
    assert "REGISTRY_UNAVAILABLE" in {r.code for r in verification.reasons}
    assert elapsed < DEADLINE_S + 0.2
