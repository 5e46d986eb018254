"""What a reason says is Chinese from end to end, whatever went wrong and wherever."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from casebook import load_cases
from listing_gate.domain import ListingDraft, Reason, RegistryKind
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.memory import RECORD_TYPES, MemoryRegistry
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

from .outage import FailingRegistry

DECISION_DAY = datetime(2026, 12, 15, 8, tzinfo=UTC)
REAL_WORLD = Path(__file__).resolve().parents[2] / "bench" / "realworld"
# English prose is lower-case words; codes such as CCC, GB or XK and the values a finding
# quotes (the listing's and the registry's) are not prose.
_PROSE = re.compile(r"[a-z]{2,}")


def _sample(shared_dir: Path, loaded_at: datetime, kinds: Sequence[RegistryKind]) -> MemoryRegistry:
    registry = MemoryRegistry(lambda: loaded_at)
    for kind in kinds:
        registry.load_jsonl(kind, shared_dir / "data" / "registry" / f"{kind}.jsonl")
    return registry


def _prose(reason: Reason) -> str:
    message = reason.message
    for quoted in (reason.listing_value, reason.registry_value):
        if quoted:
            message = message.replace(quoted, "")
    return " ".join(_PROSE.findall(message))


def _english(
    backend: Any, shared_dir: Path, cases: Path | None = None
) -> tuple[list[str], set[str]]:
    async def run() -> tuple[list[str], set[str]]:
        lookup = RegistryLookup(backend, settings=Settings(), clock=lambda: DECISION_DAY)
        verifier = Verifier.from_lookup(lookup, clock=lambda: DECISION_DAY)
        english, seen = [], set()
        for case in load_cases(cases or shared_dir / "data" / "cases.jsonl"):
            verification = await verifier.verify(ListingDraft.model_validate(case.draft))
            for reason in verification.reasons:
                seen.add(reason.code)
                if prose := _prose(reason):
                    english.append(f"{case.case_id} {reason.code}: {prose!r} in {reason.message}")
        return english, seen

    return asyncio.run(run())


def test_no_reason_of_a_sample_case_carries_english(shared_dir: Path) -> None:
    """Match explanations and number flaws are worded from the data files, in Chinese."""
    english, seen = _english(_sample(shared_dir, DECISION_DAY, list(RECORD_TYPES)), shared_dir)
    assert english == []
    assert {"MANUFACTURER_UNCERTAIN", "CREDENTIAL_NUMBER_INVALID"} <= seen  # not vacuous


@pytest.mark.parametrize("broken", list(RECORD_TYPES))
def test_a_registry_outage_is_told_in_chinese(broken: RegistryKind, shared_dir: Path) -> None:
    """The cause of REGISTRY_UNAVAILABLE is worded, not the backend's exception text."""
    full = _sample(shared_dir, DECISION_DAY, list(RECORD_TYPES))
    english, seen = _english(FailingRegistry(full, broken), shared_dir)
    assert english == []
    assert "REGISTRY_UNAVAILABLE" in seen


def test_an_old_or_never_imported_registry_is_told_in_chinese(shared_dir: Path) -> None:
    """REGISTRY_STALE and a registry never imported name the registry in Chinese."""
    old = DECISION_DAY - timedelta(days=5)
    english, seen = _english(_sample(shared_dir, old, ["ccc", "license", "standard"]), shared_dir)
    assert english == []
    assert {"REGISTRY_STALE", "REGISTRY_UNAVAILABLE"} <= seen


def test_no_reason_of_a_real_world_case_carries_english(shared_dir: Path) -> None:
    """Placeholders, ranges, families, editions and foreign names are worded in Chinese too."""
    registry = MemoryRegistry(lambda: DECISION_DAY)
    for kind in RECORD_TYPES:
        registry.load_jsonl(kind, REAL_WORLD / "registry" / f"{kind}.jsonl")
    english, seen = _english(registry, shared_dir, REAL_WORLD / "cases.jsonl")
    assert english == []
    assert {"DISCLOSURE_MISSING", "MODEL_UNCERTAIN", "TEST_REPORT_MISMATCH"} <= seen
