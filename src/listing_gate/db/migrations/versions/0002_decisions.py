"""Decision records, per-listing latest decision, evidence index, API keys, idempotency.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from listing_gate.db.tables: a migration keeps
# describing the schema as it was at this revision, whatever the tables become.


def upgrade() -> None:
    """Creates the decision log and the access tables."""
    op.create_table(
        "decisions",
        sa.Column("verification_id", sa.String(32), nullable=False),
        sa.Column("listing_id", sa.Text(), nullable=False),
        sa.Column("seller_id", sa.Text(), nullable=False),
        sa.Column("seller_shop_name", sa.Text(), nullable=True),
        sa.Column("seller_legal_name", sa.Text(), nullable=True),
        sa.Column("seller_credit_code", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("key_product", sa.Boolean(), nullable=False),
        sa.Column("category_code", sa.String(16), nullable=True),
        sa.Column("reason_codes_json", sa.Text(), nullable=False),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.Column("evidence_json", sa.Text(), nullable=False),
        sa.Column("draft_json", sa.Text(), nullable=False),
        sa.Column("verification_json", sa.Text(), nullable=False),
        sa.Column("policy_version", sa.String(64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("api_key_id", sa.String(32), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("verification_id", name="pk_decisions"),
    )
    op.create_index("ix_decisions_decided_at", "decisions", ["decided_at"])
    op.create_index(
        "ix_decisions_listing_id_decided_at",
        "decisions",
        ["listing_id", sa.text("decided_at DESC")],
    )
    op.create_table(
        "decision_evidence",
        sa.Column("verification_id", sa.String(32), nullable=False),
        sa.Column("registry", sa.String(32), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["verification_id"],
            ["decisions.verification_id"],
            name="fk_decision_evidence_verification_id_decisions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "verification_id", "registry", "record_id", name="pk_decision_evidence"
        ),
    )
    op.create_index(
        "ix_decision_evidence_registry_record_id", "decision_evidence", ["registry", "record_id"]
    )
    op.create_table(
        "listings",
        sa.Column("listing_id", sa.Text(), nullable=False),
        sa.Column("seller_id", sa.Text(), nullable=False),
        sa.Column("latest_verification_id", sa.String(32), nullable=False),
        sa.Column("latest_decision", sa.String(16), nullable=False),
        sa.Column("latest_decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("listing_id", name="pk_listings"),
    )
    op.create_index("ix_listings_latest_decision", "listings", ["latest_decision"])
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key_sha256", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name="pk_api_keys"),
        sa.UniqueConstraint("key_sha256", name="uq_api_keys_key_sha256"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.String(32), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("principal", "idempotency_key", name="pk_idempotency_keys"),
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])


def downgrade() -> None:
    """Drops the decision log and the access tables."""
    op.drop_table("idempotency_keys")
    op.drop_table("api_keys")
    op.drop_table("listings")
    op.drop_table("decision_evidence")
    op.drop_table("decisions")
