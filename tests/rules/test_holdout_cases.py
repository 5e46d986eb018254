"""The blind hold-out set (bench/holdout), decided across its evaluation window.

Written from the law alone, after the rules: every decision acceptable and no false allow
on every day of the window its README states (2026-11-11 to 2026-12-31).
"""

import asyncio
from datetime import date
from pathlib import Path

import pytest

from casebook import CaseResult, load_cases, memory_verifier, run_cases
from listing_gate.rules.policy import load_policy

HOLDOUT = Path(__file__).resolve().parents[2] / "bench" / "holdout"
# The first and last day of the evaluation window, and the accuracy benchmark's default.
WINDOW = ["2026-11-11", "2026-12-15", "2026-12-31"]


@pytest.fixture(scope="module", params=WINDOW)
def results(request: pytest.FixtureRequest) -> list[CaseResult]:
    """The answer to every hold-out case on one day of the window."""
    moment = load_policy().moment_of(date.fromisoformat(request.param))
    verifier = memory_verifier(HOLDOUT / "registry", clock=lambda: moment)
    return asyncio.run(run_cases(load_cases(HOLDOUT / "cases.jsonl"), verifier.verify))


def test_no_holdout_case_is_falsely_allowed(results: list[CaseResult]) -> None:
    """A listing the law forbids is never allowed, however the seller wrote it."""
    assert [r.case.case_id for r in results if r.false_allow] == []


def test_every_holdout_decision_is_acceptable(results: list[CaseResult]) -> None:
    """Decisions land in each case's acceptable set, with its required and forbidden codes."""
    wrong = [f"{r.case.case_id}: {r.decision} {sorted(r.codes)}" for r in results if not r.passed]
    assert wrong == []


def test_every_holdout_case_was_decided(results: list[CaseResult]) -> None:
    """The suite covers the whole file (80 cases when it was written)."""
    lines = (HOLDOUT / "cases.jsonl").read_text("utf-8").splitlines()
    assert len(results) == sum(1 for line in lines if line.strip()) >= 80
