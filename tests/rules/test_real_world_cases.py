"""The real-world case set (bench/realworld), decided across its evaluation window.

Listings as sellers write them (DOMAIN.md "Real-world shapes"): zero false allows and at
least 98% of decisions acceptable on every day of the window its README states.
"""

import asyncio
from datetime import date
from pathlib import Path

import pytest

from casebook import CaseResult, load_cases, memory_verifier, run_cases
from listing_gate.rules.policy import load_policy

REAL_WORLD = Path(__file__).resolve().parents[2] / "bench" / "realworld"
# The first and last day of the evaluation window, and the accuracy benchmark's default.
WINDOW = ["2026-11-11", "2026-12-15", "2026-12-31"]


@pytest.fixture(scope="module", params=WINDOW)
def results(request: pytest.FixtureRequest) -> list[CaseResult]:
    """The answer to every real-world case on one day of the window."""
    moment = load_policy().moment_of(date.fromisoformat(request.param))
    verifier = memory_verifier(REAL_WORLD / "registry", clock=lambda: moment)
    return asyncio.run(run_cases(load_cases(REAL_WORLD / "cases.jsonl"), verifier.verify))


def test_no_real_world_case_is_falsely_allowed(results: list[CaseResult]) -> None:
    """A listing the law forbids is never allowed, however the seller wrote it."""
    assert [r.case.case_id for r in results if r.false_allow] == []


def test_at_least_98_percent_of_real_world_decisions_are_acceptable(
    results: list[CaseResult],
) -> None:
    """Decisions land in each case's acceptable set."""
    wrong = [
        f"{r.case.case_id}: {r.decision} {sorted(r.codes)}" for r in results if not r.decision_ok
    ]
    assert len(wrong) <= len(results) * 2 // 100, wrong


def test_every_real_world_case_was_decided(results: list[CaseResult]) -> None:
    """The suite covers the whole file (151 cases when it was written)."""
    lines = (REAL_WORLD / "cases.jsonl").read_text("utf-8").splitlines()
    assert len(results) == sum(1 for line in lines if line.strip()) >= 151
