"""Registry mirror: one table per registry kind, term index tables, and the import log.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported from listing_gate.db.tables: a migration must
# keep describing the schema as it was at this revision, whatever the tables become.
_RECORD_TABLES = (
    "registry_ccc",
    "registry_license",
    "registry_recall",
    "registry_spot_check",
    "registry_standard",
)
_TERM_TABLES = (
    ("registry_recall_model", "registry_recall", "model_key"),
    ("registry_recall_manufacturer", "registry_recall", "manufacturer_core"),
    ("registry_spot_check_model", "registry_spot_check", "model_key"),
    ("registry_spot_check_manufacturer", "registry_spot_check", "manufacturer_core"),
)


def _create_record_table(name: str, *extra: sa.Column[object]) -> None:
    op.create_table(
        name,
        sa.Column("record_id", sa.Text(), nullable=False),
        *extra,
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_changed_at_record_id", name, ["changed_at", "record_id"])


def _create_term_table(name: str, parent: str, column: str) -> None:
    op.create_table(
        name,
        sa.Column(column, sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            [f"{parent}.record_id"],
            name=f"fk_{name}_record",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(column, "record_id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_record_id", name, ["record_id"])


def upgrade() -> None:
    """Creates the registry mirror tables."""
    _create_record_table(
        "registry_ccc",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_registry_ccc_key", "registry_ccc", ["key"])
    for name in _RECORD_TABLES[1:]:
        _create_record_table(name)
    for name, parent, column in _TERM_TABLES:
        _create_term_table(name, parent, column)
    op.create_table(
        "registry_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("replaced", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_imports"),
    )
    op.create_index("ix_registry_imports_kind_id", "registry_imports", ["kind", "id"])


def downgrade() -> None:
    """Drops the registry mirror tables (index tables first: they reference the records)."""
    op.drop_table("registry_imports")
    for name, _parent, _column in _TERM_TABLES:
        op.drop_table(name)
    for name in _RECORD_TABLES:
        op.drop_table(name)
