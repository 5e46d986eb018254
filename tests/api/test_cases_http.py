"""Every labelled case gets over HTTP (single and batch) the decision the core gives it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from casebook import Case, judge, load_cases, memory_verifier
from listing_gate.domain import ListingDraft, Verification
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

from .conftest import StartApi

pytestmark = pytest.mark.anyio

DECISION_DAY = datetime(2026, 12, 15, 8, tzinfo=UTC)  # the core suite's day, in the cases' window
Core = dict[str, tuple[str, frozenset[str]]]


def _on_decision_day(settings: Settings, lookup: RegistryLookup) -> Verifier:
    return Verifier.from_lookup(
        lookup, clock=lambda: DECISION_DAY, deadline_s=settings.verification_deadline_s
    )


@pytest.fixture(scope="module")
def labelled(shared_dir: Path) -> list[Case]:
    """The labelled cases."""
    return load_cases(shared_dir / "data" / "cases.jsonl")


@pytest.fixture(scope="module")
def core(shared_dir: Path, labelled: list[Case]) -> Core:
    """The core's decision and reason codes per case, as tests/rules decides them."""
    verifier = memory_verifier(shared_dir / "data" / "registry", clock=lambda: DECISION_DAY)

    async def decide_all() -> list[Verification]:
        return [await verifier.verify(ListingDraft.model_validate(c.draft)) for c in labelled]

    decided = asyncio.run(decide_all())
    return {
        c.case_id: (v.decision.value, frozenset(r.code for r in v.reasons))
        for c, v in zip(labelled, decided, strict=True)
    }


async def test_every_case_decides_over_http_as_in_the_core(
    start_api: StartApi, labelled: list[Case], core: Core
) -> None:
    """Batch and single POSTs give each case the core's decision and codes, no false allow."""
    async with start_api(verifier_factory=_on_decision_day) as api:
        batch = await api.client.post(
            "/v1/verifications/batch",
            json={"listings": [c.draft for c in labelled]},
            headers=api.auth(),
        )
        singles = [
            (await api.client.post("/v1/verifications", json=c.draft, headers=api.auth())).json()
            for c in labelled
        ]
    results = batch.json()["results"]
    assert len(results) == len(labelled)
    for case, from_batch, single in zip(labelled, results, singles, strict=True):
        for answer in (from_batch, single):
            got = (answer["decision"], frozenset(r["code"] for r in answer["reasons"]))
            assert got == core[case.case_id], case.case_id
            assert not judge(case, Verification.model_validate(answer)).false_allow
