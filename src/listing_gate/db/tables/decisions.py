"""Decision records: every answered verification, kept at least two years (draft art. 15).

``decisions`` holds one row per answered verification with everything a regulator lead
(draft art. 12) or a re-verification needs: the draft as decided, the seller's identity,
decision, reasons, evidence and the exact JSON answered. ``decision_evidence`` indexes
the registry records each decision relied on, so a revoked certificate or a new recall
finds the listings it touches. ``listings`` points at each listing's latest decision.

JSON columns are text written by the service (orjson) rather than a JSON type, so the
stored answer is byte-for-byte what the client got, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, String, Table, Text

from listing_gate.db.tables.base import metadata
from listing_gate.db.types import UtcDateTime

__all__ = ["decision_evidence", "decisions", "listings"]

decisions = Table(
    "decisions",
    metadata,
    Column("verification_id", String(32), primary_key=True),
    Column("listing_id", Text, nullable=False),
    Column("seller_id", Text, nullable=False),
    Column("seller_shop_name", Text),
    Column("seller_legal_name", Text),
    Column("seller_credit_code", Text),
    Column("decision", String(16), nullable=False),
    Column("key_product", Boolean, nullable=False),
    Column("category_code", String(16)),
    # JSON array of reason codes in answer order: cheap to compare across re-decisions.
    Column("reason_codes_json", Text, nullable=False),
    Column("reasons_json", Text, nullable=False),
    Column("evidence_json", Text, nullable=False),
    Column("draft_json", Text, nullable=False),
    Column("verification_json", Text, nullable=False),
    Column("policy_version", String(64), nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    # api, batch, cli or reverify: which path produced the decision.
    Column("origin", String(16), nullable=False),
    Column("api_key_id", String(32)),
    Column("request_id", String(64)),
    Index("ix_decisions_decided_at", "decided_at"),
)
# Newest-first history of one listing is the read path of GET /v1/listings/{id}/verifications.
Index(
    "ix_decisions_listing_id_decided_at",
    decisions.c.listing_id,
    decisions.c.decided_at.desc(),
)

decision_evidence = Table(
    "decision_evidence",
    metadata,
    Column(
        "verification_id",
        String(32),
        ForeignKey("decisions.verification_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("registry", String(32), primary_key=True),
    Column("record_id", Text, primary_key=True),
    Column("status", String(32), nullable=False),
    Index("ix_decision_evidence_registry_record_id", "registry", "record_id"),
)

listings = Table(
    "listings",
    metadata,
    Column("listing_id", Text, primary_key=True),
    Column("seller_id", Text, nullable=False),
    Column("latest_verification_id", String(32), nullable=False),
    Column("latest_decision", String(16), nullable=False),
    Column("latest_decided_at", UtcDateTime, nullable=False),
    Index("ix_listings_latest_decision", "latest_decision"),
)
