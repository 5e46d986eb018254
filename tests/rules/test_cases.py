"""Every labelled case of shared/data/cases.jsonl, decided against the sample registries.

The bar of the core issue: zero false allows, at least 99% of decisions acceptable,
and the required / forbidden reason codes honoured.
"""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from casebook import CaseResult, load_cases, memory_verifier, run_cases, summarize

DECISION_DAY = datetime(2026, 12, 15, 8, tzinfo=UTC)  # inside the cases' evaluation window


@pytest.fixture(scope="module")
def results(shared_dir: Path) -> list[CaseResult]:
    """The answer to every case, decided once for the module."""
    verifier = memory_verifier(shared_dir / "data" / "registry", clock=lambda: DECISION_DAY)
    cases = load_cases(shared_dir / "data" / "cases.jsonl")
    return asyncio.run(run_cases(cases, verifier.verify))


def test_no_case_is_falsely_allowed(results: list[CaseResult]) -> None:
    """A listing the law forbids is never allowed."""
    assert [r.case.case_id for r in results if r.false_allow] == []


def test_at_least_99_percent_of_decisions_are_acceptable(results: list[CaseResult]) -> None:
    """Decisions land in each case's acceptable set."""
    wrong = [
        f"{r.case.case_id}: {r.decision} {sorted(r.codes)}" for r in results if not r.decision_ok
    ]
    assert len(wrong) <= len(results) // 100, wrong


def test_required_and_forbidden_codes_are_honoured(results: list[CaseResult]) -> None:
    """Each case's required reason codes are present and its forbidden ones absent."""
    stats = summarize(results)["ALL"]
    assert stats.codes_ok >= stats.cases * 0.99, stats.failures


def test_every_case_was_decided(results: list[CaseResult], shared_dir: Path) -> None:
    """The suite covers the whole file, not a subset."""
    lines = (shared_dir / "data" / "cases.jsonl").read_text("utf-8").splitlines()
    assert len(results) == sum(1 for line in lines if line.strip())
