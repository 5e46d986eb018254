"""The outcome-change outbox, per-endpoint delivery state, and the delivery log.

``outcome_events`` is written in the transaction that records the changed decision, so
an event exists exactly when its decision does. The delivery worker fans each event out
to ``event_deliveries`` (one row per configured endpoint, keyed by a hash of the URL so
no secret in a URL lands in a key) and logs every attempt in ``webhook_attempts``.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from listing_gate.db.tables.base import metadata
from listing_gate.db.types import UtcDateTime

__all__ = ["event_deliveries", "outcome_events", "webhook_attempts"]

outcome_events = Table(
    "outcome_events",
    metadata,
    Column("event_id", String(32), primary_key=True),
    Column("event_type", String(64), nullable=False),
    Column("listing_id", Text, nullable=False),
    Column("verification_id", String(32), nullable=False),
    # The exact JSON body every endpoint receives (and the signature covers).
    Column("payload", Text, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    # False until the worker has made one delivery row per configured endpoint.
    Column("dispatched", Boolean, nullable=False),
    Index("ix_outcome_events_dispatched_event_id", "dispatched", "event_id"),
    Index("ix_outcome_events_listing_id", "listing_id"),
)

event_deliveries = Table(
    "event_deliveries",
    metadata,
    Column(
        "event_id",
        String(32),
        ForeignKey(outcome_events.c.event_id, ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("endpoint_id", String(16), primary_key=True),
    # The URL without credentials or query, for people reading the table.
    Column("endpoint", Text, nullable=False),
    # pending, delivered or dead
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    # Due time while pending; a claimed row is pushed forward by a lease meanwhile.
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("delivered_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_event_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False),
    Column("endpoint_id", String(16), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("attempted_at", UtcDateTime, nullable=False),
    # delivered, failed or dead_letter (the failed attempt that exhausted the retries)
    Column("outcome", String(16), nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Index("ix_webhook_attempts_event_id", "event_id"),
)
