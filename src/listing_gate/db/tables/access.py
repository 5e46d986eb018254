"""API keys (stored as SHA-256 digests, never in clear) and remembered idempotent answers."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table, Text

from listing_gate.db.tables.base import metadata
from listing_gate.db.types import UtcDateTime

__all__ = ["api_keys", "idempotency_keys"]

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    # A key is 256 random bits, so an unsalted SHA-256 cannot be brute-forced back.
    Column("key_sha256", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("scopes", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    # Keys are per caller: two clients choosing the same key never see each other's answer.
    Column("principal", String(32), primary_key=True),
    Column("idempotency_key", String(255), primary_key=True),
    # SHA-256 of method, path and body: the same key with another request is a conflict.
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_body", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_idempotency_keys_created_at", "created_at"),
)
