"""What a re-decision changed, and the rows that record it in one transaction.

A re-decision is recorded only when the decision or its reason codes differ from the
listing's latest recorded decision; a changed *decision* also makes an outbox event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import orjson

from listing_gate.db.repositories.decisions import DecisionRow
from listing_gate.db.repositories.events import EventRow
from listing_gate.db.repositories.reverify import ChangeRow, Latest
from listing_gate.domain import Decision, ListingDraft, Verification
from listing_gate.events.outbox import OutcomeChange, outbox_row
from listing_gate.service.auth import Principal
from listing_gate.service.decisions import Caller, build_decision_row

__all__ = [
    "BLOCKED_AT_UPLOAD",
    "ORIGIN",
    "TAKEN_DOWN",
    "Outcome",
    "Writes",
    "compare",
    "writes_for",
]

ORIGIN = "reverify"
_UNAVAILABLE = "REGISTRY_UNAVAILABLE"
BLOCKED_AT_UPLOAD = "blocked at upload"
TAKEN_DOWN = "taken down on re-verification"
# Recorded as the decision's api_key_id: re-decisions are made by the service itself.
_SYSTEM = Principal("reverify", "re-verification", frozenset())


@dataclass(frozen=True, slots=True)
class Outcome:
    """A listing's latest recorded decision beside its re-decision."""

    latest: Latest
    draft: ListingDraft
    verification: Verification
    old_codes: tuple[str, ...]
    new_codes: tuple[str, ...]

    @property
    def flipped(self) -> bool:
        """Returns True when the decision itself changed."""
        return self.verification.decision.value != self.latest.decision

    @property
    def changed(self) -> bool:
        """Returns True when the decision or its reason codes changed: worth recording."""
        return self.flipped or self.old_codes != self.new_codes

    @property
    def unchecked(self) -> bool:
        """Returns True when a registry the old decision could consult could not be now."""
        # Such a re-decision says nothing new about the listing, only that a registry was
        # down: the decision made on checked data stands, and the listing is counted as
        # not re-decided rather than flipped to review (with a webhook) and back.
        return _UNAVAILABLE in self.new_codes and _UNAVAILABLE not in self.old_codes


def compare(latest: Latest, draft: ListingDraft, verification: Verification) -> Outcome:
    """Returns the re-decision set against the listing's latest recorded decision."""
    old = tuple(str(code) for code in orjson.loads(latest.reason_codes_json))
    new = tuple(reason.code for reason in verification.reasons)
    return Outcome(latest, draft, verification, old, new)


@dataclass(slots=True)
class Writes:
    """Everything one page's changes write: decisions, change rows, outbox events."""

    decisions: list[DecisionRow] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)


def _action(outcome: Outcome, prior: Mapping[str, str]) -> str | None:
    # Draft art. 12 asks what the platform did. A listing that was not blocked and now is
    # was taken down; one already blocked keeps the action of the block it carries on.
    if outcome.verification.decision is not Decision.BLOCK:
        return None
    if outcome.latest.decision != Decision.BLOCK.value:
        return TAKEN_DOWN
    return prior.get(outcome.latest.verification_id, BLOCKED_AT_UPLOAD)


def writes_for(
    outcomes: Sequence[Outcome], *, run_id: str, prior: Mapping[str, str], now: datetime
) -> Writes:
    """Returns the rows recording ``outcomes`` (all changed); ``prior``: earlier actions."""
    writes = Writes()
    caller = Caller(_SYSTEM, run_id)
    for outcome in outcomes:
        verification, latest = outcome.verification, outcome.latest
        # The decision row is built by the service's own builder: one stored shape for
        # every path that records decisions, whatever the service adds to it later.
        row, _answer = build_decision_row(outcome.draft, verification, caller, ORIGIN, now)
        writes.decisions.append(row)
        writes.changes.append(
            ChangeRow(
                verification_id=verification.verification_id,
                run_id=run_id,
                listing_id=latest.listing_id,
                seller_id=latest.seller_id,
                previous_verification_id=latest.verification_id,
                old_decision=latest.decision,
                new_decision=verification.decision.value,
                old_reason_codes_json=orjson.dumps(outcome.old_codes).decode(),
                new_reason_codes_json=orjson.dumps(outcome.new_codes).decode(),
                action=_action(outcome, prior),
                decided_at=verification.decided_at,
            )
        )
        if outcome.flipped:
            change = OutcomeChange(
                listing_id=latest.listing_id,
                seller_id=latest.seller_id,
                old_decision=latest.decision,
                new_decision=verification.decision.value,
                old_reason_codes=outcome.old_codes,
                reason_codes=outcome.new_codes,
                verification_id=verification.verification_id,
                previous_verification_id=latest.verification_id,
                evidence=verification.evidence,
                occurred_at=now,
                run_id=run_id,
            )
            writes.events.append(outbox_row(change))
    return writes
