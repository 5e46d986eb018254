"""Outcome-change events: the payload a webhook receives, built as an outbox row.

The row is written by whoever records the changed decision, in the same transaction,
so an event exists if and only if its decision was committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson

from listing_gate.db.repositories.events import EventRow
from listing_gate.domain import Evidence
from listing_gate.ids import new_id

__all__ = ["EVENT_TYPE", "OutcomeChange", "outbox_row"]

EVENT_TYPE = "listing.decision_changed"


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    """A listing whose decision changed, with what it was and what it became."""

    listing_id: str
    seller_id: str
    old_decision: str
    new_decision: str
    old_reason_codes: Sequence[str]
    reason_codes: Sequence[str]
    verification_id: str
    previous_verification_id: str
    evidence: Sequence[Evidence]
    occurred_at: datetime
    run_id: str | None = None


def outbox_row(change: OutcomeChange) -> EventRow:
    """Returns the outcome_events row: a new event id and the exact JSON body to post."""
    event_id = new_id()
    payload = {
        "event_id": event_id,
        "type": EVENT_TYPE,
        "occurred_at": change.occurred_at,
        "listing_id": change.listing_id,
        "seller_id": change.seller_id,
        "old_decision": change.old_decision,
        "new_decision": change.new_decision,
        "reason_codes": list(change.reason_codes),
        "previous_reason_codes": list(change.old_reason_codes),
        "verification_id": change.verification_id,
        "previous_verification_id": change.previous_verification_id,
        # The registry records the new decision rests on, with their status then.
        "records": [
            {"registry": e.registry, "record_id": e.record_id, "status": e.status}
            for e in change.evidence
        ],
        "run_id": change.run_id,
    }
    return EventRow(
        event_id=event_id,
        event_type=EVENT_TYPE,
        listing_id=change.listing_id,
        verification_id=change.verification_id,
        # Serialised once and stored: every endpoint and every retry gets the same bytes.
        payload=orjson.dumps(payload).decode(),
        occurred_at=change.occurred_at,
    )
