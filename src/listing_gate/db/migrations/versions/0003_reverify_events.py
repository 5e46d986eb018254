"""Re-verification runs, checkpoints, targets, changes, listing terms; the event outbox.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from listing_gate.db.tables, like 0002: a migration
# keeps describing the schema as it was at this revision.
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Creates the re-verification and outbox tables."""
    _reverify()
    _events()


def _reverify() -> None:
    op.create_table(
        "reverify_runs",
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("trigger_json", sa.Text(), nullable=False),
        sa.Column("targets", sa.Integer(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("started_at", _TS, nullable=True),
        sa.Column("finished_at", _TS, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", name="pk_reverify_runs"),
    )
    op.create_index("ix_reverify_runs_created_at", "reverify_runs", ["created_at"])
    op.create_table(
        "reverify_checkpoints",
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("shard_index", sa.Integer(), nullable=False),
        sa.Column("shard_count", sa.Integer(), nullable=False),
        sa.Column("last_listing_id", sa.Text(), nullable=True),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["reverify_runs.run_id"],
            name="fk_reverify_checkpoints_run_id_reverify_runs",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "shard_index", name="pk_reverify_checkpoints"),
    )
    op.create_table(
        "reverify_targets",
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("listing_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["reverify_runs.run_id"],
            name="fk_reverify_targets_run_id_reverify_runs",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "listing_id", name="pk_reverify_targets"),
    )
    op.create_table(
        "reverify_changes",
        sa.Column("verification_id", sa.String(32), nullable=False),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("listing_id", sa.Text(), nullable=False),
        sa.Column("seller_id", sa.Text(), nullable=False),
        sa.Column("previous_verification_id", sa.String(32), nullable=False),
        sa.Column("old_decision", sa.String(16), nullable=False),
        sa.Column("new_decision", sa.String(16), nullable=False),
        sa.Column("old_reason_codes_json", sa.Text(), nullable=False),
        sa.Column("new_reason_codes_json", sa.Text(), nullable=False),
        sa.Column("action", sa.String(64), nullable=True),
        sa.Column("decided_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["verification_id"],
            ["decisions.verification_id"],
            name="fk_reverify_changes_verification_id_decisions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("verification_id", name="pk_reverify_changes"),
    )
    op.create_index(
        "ix_reverify_changes_run_id_listing_id", "reverify_changes", ["run_id", "listing_id"]
    )
    op.create_table(
        "listing_terms",
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("listing_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("term", "listing_id", name="pk_listing_terms"),
    )
    op.create_index("ix_listing_terms_listing_id", "listing_terms", ["listing_id"])
    op.create_table(
        "listing_terms_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("watermark", sa.String(32), nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_listing_terms_state"),
    )


def _events() -> None:
    op.create_table(
        "outcome_events",
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("listing_id", sa.Text(), nullable=False),
        sa.Column("verification_id", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("occurred_at", _TS, nullable=False),
        sa.Column("dispatched", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_outcome_events"),
    )
    op.create_index(
        "ix_outcome_events_dispatched_event_id", "outcome_events", ["dispatched", "event_id"]
    )
    op.create_index("ix_outcome_events_listing_id", "outcome_events", ["listing_id"])
    op.create_table(
        "event_deliveries",
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("endpoint_id", sa.String(16), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _TS, nullable=False),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", _TS, nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["outcome_events.event_id"],
            name="fk_event_deliveries_event_id_outcome_events",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "endpoint_id", name="pk_event_deliveries"),
    )
    op.create_index(
        "ix_event_deliveries_status_next_attempt_at",
        "event_deliveries",
        ["status", "next_attempt_at"],
    )
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("endpoint_id", sa.String(16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("attempted_at", _TS, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_attempts"),
    )
    op.create_index("ix_webhook_attempts_event_id", "webhook_attempts", ["event_id"])


def downgrade() -> None:
    """Drops the re-verification and outbox tables."""
    for table in (
        "webhook_attempts",
        "event_deliveries",
        "outcome_events",
        "listing_terms_state",
        "listing_terms",
        "reverify_changes",
        "reverify_targets",
        "reverify_checkpoints",
        "reverify_runs",
    ):
        op.drop_table(table)
