"""Labelled cases (the shared/data/cases.jsonl format): loading and judging answers to them."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from listing_gate.domain import ListingDraft, Verification
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.memory import RECORD_TYPES, MemoryRegistry
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

__all__ = [
    "Case",
    "CaseResult",
    "TagStats",
    "judge",
    "load_cases",
    "memory_verifier",
    "run_cases",
    "summarize",
]


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled listing draft and what a correct gate must answer for it."""

    case_id: str
    tags: tuple[str, ...]
    description: str
    draft: dict[str, Any]
    decision_any_of: frozenset[str]
    codes_required: frozenset[str]
    codes_forbidden: frozenset[str]


@dataclass(frozen=True, slots=True)
class CaseResult:
    """How one answer measured up to its case."""

    case: Case
    decision: str
    codes: frozenset[str]

    @property
    def decision_ok(self) -> bool:
        """True when the decision is one the case accepts."""
        return self.decision in self.case.decision_any_of

    @property
    def codes_ok(self) -> bool:
        """True when every required code is present and no forbidden one is."""
        return self.case.codes_required <= self.codes and not (
            self.codes & self.case.codes_forbidden
        )

    @property
    def passed(self) -> bool:
        """True when both the decision and the reason codes are acceptable."""
        return self.decision_ok and self.codes_ok

    @property
    def false_allow(self) -> bool:
        """True when the gate allowed what the case says must not be allowed."""
        return self.decision == "allow" and "allow" not in self.case.decision_any_of

    @property
    def false_block(self) -> bool:
        """True when the gate blocked what the case says must not be blocked."""
        return self.decision == "block" and "block" not in self.case.decision_any_of


@dataclass
class TagStats:
    """Counts for one tag (or for all cases)."""

    cases: int = 0
    decisions_ok: int = 0
    codes_ok: int = 0
    passed: int = 0
    false_allows: int = 0
    false_blocks: int = 0
    failures: list[str] = field(default_factory=list)


def load_cases(path: Path) -> list[Case]:
    """Returns the cases of a JSONL file, in file order."""
    cases = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            raw = json.loads(line)
            expect = raw["expect"]
            cases.append(
                Case(
                    case_id=raw["case_id"],
                    tags=tuple(raw.get("tags", ())),
                    description=raw.get("description", ""),
                    draft=raw["draft"],
                    decision_any_of=frozenset(expect["decision_any_of"]),
                    codes_required=frozenset(expect.get("codes_required", ())),
                    codes_forbidden=frozenset(expect.get("codes_forbidden", ())),
                )
            )
    return cases


def judge(case: Case, verification: Verification) -> CaseResult:
    """Returns how ``verification`` measures up to ``case``."""
    return CaseResult(
        case=case,
        decision=verification.decision.value,
        codes=frozenset(r.code for r in verification.reasons),
    )


def summarize(results: Iterable[CaseResult]) -> dict[str, TagStats]:
    """Returns statistics per tag, plus ``"ALL"`` over every case."""
    stats: dict[str, TagStats] = defaultdict(TagStats)
    for result in results:
        for tag in ("ALL", *result.case.tags):
            entry = stats[tag]
            entry.cases += 1
            entry.decisions_ok += result.decision_ok
            entry.codes_ok += result.codes_ok
            entry.passed += result.passed
            entry.false_allows += result.false_allow
            entry.false_blocks += result.false_block
            if not result.passed and tag == "ALL":
                entry.failures.append(
                    f"{result.case.case_id} [{result.case.tags[0] if result.case.tags else ''}] "
                    f"got {result.decision} {sorted(result.codes)}; "
                    f"want {sorted(result.case.decision_any_of)} "
                    f"+{sorted(result.case.codes_required)} -{sorted(result.case.codes_forbidden)}"
                )
    return dict(stats)


async def run_cases(
    cases: Iterable[Case], verify: Callable[[ListingDraft], Awaitable[Verification]]
) -> list[CaseResult]:
    """Returns each case's result from ``verify``, in order."""
    return [judge(case, await verify(ListingDraft.model_validate(case.draft))) for case in cases]


def memory_verifier(registry_dir: Path, clock: Callable[[], datetime]) -> Verifier:
    """Returns a verifier over every registry JSONL file of ``registry_dir``, held in memory."""
    backend = MemoryRegistry(clock)
    for kind in RECORD_TYPES:
        for path in sorted(registry_dir.glob(f"{kind}*.jsonl")):
            backend.load_jsonl(kind, path)
    lookup = RegistryLookup(backend, settings=Settings(), clock=clock)
    return Verifier.from_lookup(lookup, clock=clock)
