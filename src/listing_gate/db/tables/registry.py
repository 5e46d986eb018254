"""The registry mirror: one table per registry kind, index tables, and the import log.

Every record keeps the whole source JSON (`record`) so it reads back in exactly the shape
it was imported; the columns beside it are the normalised keys lookups go through, each
indexed, so every lookup the rules make is an index hit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, Table, Text

from listing_gate.db.tables.base import metadata
from listing_gate.db.types import UtcDateTime


def _record_table(name: str, *extra: Column[Any]) -> Table:
    # record_id: the record's identity for replace-by-id (canonical key where one exists);
    # changed_at moves only when the record's content changes, for re-verification.
    return Table(
        name,
        metadata,
        Column("record_id", Text, primary_key=True),
        *extra,
        Column("status", Text, nullable=False),
        Column("record", Text, nullable=False),
        Column("imported_at", UtcDateTime, nullable=False),
        Column("changed_at", UtcDateTime, nullable=False),
        Index(f"ix_{name}_changed_at_record_id", "changed_at", "record_id"),
    )


registry_ccc = _record_table(
    "registry_ccc",
    # key: 16-digit certificate key (vehicle versions share it) or self-declaration key
    Column("key", Text, nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("issued_on", Date, nullable=True),
)
registry_license = _record_table("registry_license")
registry_recall = _record_table("registry_recall")
registry_spot_check = _record_table("registry_spot_check")
registry_standard = _record_table("registry_standard")


def _term_table(name: str, parent: Table, column: str) -> Table:
    # (term, record_id) as primary key makes the lookup by term an index range scan;
    # the second index serves the delete-before-reinsert when a record is replaced.
    return Table(
        name,
        metadata,
        Column(column, Text, primary_key=True),
        Column(
            "record_id",
            Text,
            # named by hand: the conventional name would pass PostgreSQL's 63-character limit
            ForeignKey(parent.c.record_id, ondelete="CASCADE", name=f"fk_{name}_record"),
            primary_key=True,
            index=True,
        ),
    )


registry_recall_model = _term_table("registry_recall_model", registry_recall, "model_key")
registry_recall_manufacturer = _term_table(
    "registry_recall_manufacturer", registry_recall, "manufacturer_core"
)
registry_spot_check_model = _term_table(
    "registry_spot_check_model", registry_spot_check, "model_key"
)
registry_spot_check_manufacturer = _term_table(
    "registry_spot_check_manufacturer", registry_spot_check, "manufacturer_core"
)

registry_imports = Table(
    "registry_imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),
    Column("source", Text, nullable=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=False),
    Column("added", Integer, nullable=False),
    Column("replaced", Integer, nullable=False),
    # records held for the kind after this import: freshness reads it instead of COUNT(*)
    Column("records", Integer, nullable=False),
    Index("ix_registry_imports_kind_id", "kind", "id"),
)
