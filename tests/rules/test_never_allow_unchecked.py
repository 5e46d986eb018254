"""No listing is ever allowed on data that was not checked, whichever registry fails."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from casebook import load_cases
from listing_gate.domain import ListingDraft, RegistryKind
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.memory import RECORD_TYPES, MemoryRegistry
from listing_gate.rules.catalog import load_catalog
from listing_gate.rules.policy import load_policy
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

from .outage import FailingRegistry

DECISION_DAY = datetime(2026, 12, 15, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample(shared_dir: Path) -> MemoryRegistry:
    """The sample registries in memory."""
    registry = MemoryRegistry(lambda: DECISION_DAY)
    for kind in RECORD_TYPES:
        registry.load_jsonl(kind, shared_dir / "data" / "registry" / f"{kind}.jsonl")
    return registry


@pytest.mark.parametrize("broken", list(RECORD_TYPES))
def test_a_failing_registry_never_lets_a_listing_that_needed_it_through(
    broken: RegistryKind, sample: MemoryRegistry, shared_dir: Path
) -> None:
    """Every sample case whose decision consulted the failing registry is held for review."""

    catalog, policy, settings = load_catalog(), load_policy(), Settings()

    async def run() -> tuple[int, list[str]]:
        consulted, wrong = 0, []
        for case in load_cases(shared_dir / "data" / "cases.jsonl"):
            # A fresh lookup per case: an open circuit breaker would hide later calls.
            backend = FailingRegistry(sample, broken)
            lookup = RegistryLookup(backend, settings=settings, clock=lambda: DECISION_DAY)
            verifier = Verifier(
                catalog=catalog, policy=policy, lookup=lookup, clock=lambda: DECISION_DAY
            )
            verification = await verifier.verify(ListingDraft.model_validate(case.draft))
            codes = {r.code for r in verification.reasons}
            if broken not in backend.calls:
                continue
            consulted += 1
            if verification.decision == "allow" or "REGISTRY_UNAVAILABLE" not in codes:
                wrong.append(f"{case.case_id}: {verification.decision} {sorted(codes)}")
        return consulted, wrong

    consulted, wrong = asyncio.run(run())
    assert wrong == []
    assert consulted >= 5  # the outage really hit decisions, or this test proves nothing
