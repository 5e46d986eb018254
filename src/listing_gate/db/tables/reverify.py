"""Re-verification runs: their shards' checkpoints, selected listings, changes, term index.

A run re-decides either every recorded listing or the listings a registry change
selected (``reverify_targets``). Each shard walks listing ids in order and moves its
checkpoint in the same transaction that records its re-decisions, so a killed shard
resumes after the last committed page and never records a listing twice.
``reverify_changes`` remembers what each recorded re-decision changed (and, for the lead
report, the action it amounts to). ``listing_terms`` indexes each listing's latest draft
by the registry keys it would be looked up under, so a new recall or certificate finds
the listings it concerns without reading every draft.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from listing_gate.db.tables.base import metadata
from listing_gate.db.tables.decisions import decisions
from listing_gate.db.types import UtcDateTime

__all__ = [
    "listing_terms",
    "listing_terms_state",
    "reverify_changes",
    "reverify_checkpoints",
    "reverify_runs",
    "reverify_targets",
]

reverify_runs = Table(
    "reverify_runs",
    metadata,
    Column("run_id", String(32), primary_key=True),
    # "all": every listing; "targets": the listings in reverify_targets.
    Column("scope", String(16), nullable=False),
    # pending, running, done or failed
    Column("status", String(16), nullable=False),
    # JSON: who asked (cli, api, import) and, when registry-driven, the kinds and since.
    Column("trigger_json", Text, nullable=False),
    Column("targets", Integer),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime),
    Column("finished_at", UtcDateTime),
    Column("error", Text),
    Index("ix_reverify_runs_created_at", "created_at"),
)

reverify_checkpoints = Table(
    "reverify_checkpoints",
    metadata,
    Column(
        "run_id",
        String(32),
        ForeignKey(reverify_runs.c.run_id, ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("shard_index", Integer, primary_key=True),
    Column("shard_count", Integer, nullable=False),
    # The last listing id of the last committed page: the shard resumes after it.
    Column("last_listing_id", Text),
    Column("processed", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("done", Boolean, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

reverify_targets = Table(
    "reverify_targets",
    metadata,
    Column(
        "run_id",
        String(32),
        ForeignKey(reverify_runs.c.run_id, ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("listing_id", Text, primary_key=True),
)

reverify_changes = Table(
    "reverify_changes",
    metadata,
    Column(
        "verification_id",
        String(32),
        ForeignKey(decisions.c.verification_id, ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("run_id", String(32), nullable=False),
    Column("listing_id", Text, nullable=False),
    Column("seller_id", Text, nullable=False),
    Column("previous_verification_id", String(32), nullable=False),
    Column("old_decision", String(16), nullable=False),
    Column("new_decision", String(16), nullable=False),
    Column("old_reason_codes_json", Text, nullable=False),
    Column("new_reason_codes_json", Text, nullable=False),
    # For a block: what the platform did, as the lead report (draft art. 12) states it.
    Column("action", String(64)),
    Column("decided_at", UtcDateTime, nullable=False),
    Index("ix_reverify_changes_run_id_listing_id", "run_id", "listing_id"),
)

listing_terms = Table(
    "listing_terms",
    metadata,
    # kind and key: ccc, license, standard or model, then the key; maker, then the core
    Column("term", Text, primary_key=True),
    Column("listing_id", Text, primary_key=True),
    Index("ix_listing_terms_listing_id", "listing_id"),
)

listing_terms_state = Table(
    "listing_terms_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    # The highest verification id indexed; ids are ULIDs, so this is also a time.
    Column("watermark", String(32), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
