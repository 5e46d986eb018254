"""SQL for the decision log: group inserts, exact reads, newest-first listing history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from listing_gate.db.tables.decisions import decision_evidence, decisions, listings

__all__ = [
    "CitedRecord",
    "DecisionRow",
    "HistoryEntry",
    "count_decisions",
    "get_verification_json",
    "insert_decisions",
    "listing_history",
    "write_decisions",
]


@dataclass(frozen=True, slots=True)
class CitedRecord:
    """A registry record a decision relied on, with its status then: a ``decision_evidence`` row."""

    registry: str
    record_id: str
    status: str


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One decision as stored: the ``decisions`` columns plus the records it cites."""

    verification_id: str
    listing_id: str
    seller_id: str
    seller_shop_name: str | None
    seller_legal_name: str | None
    seller_credit_code: str | None
    decision: str
    key_product: bool
    category_code: str | None
    reason_codes_json: str
    reasons_json: str
    evidence_json: str
    draft_json: str
    verification_json: str
    policy_version: str
    decided_at: datetime
    recorded_at: datetime
    origin: str
    api_key_id: str | None
    request_id: str | None
    evidence: tuple[CitedRecord, ...]


# Every column of ``decisions`` is a field of DecisionRow: a column added to one and not
# the other fails on the first write, not silently.
_COLUMNS = tuple(column.name for column in decisions.columns)
_column_values = attrgetter(*_COLUMNS)


def _decision_values(row: DecisionRow) -> dict[str, Any]:
    return dict(zip(_COLUMNS, _column_values(row), strict=True))


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One decision of a listing's history: its sort key and the JSON answered then."""

    verification_id: str
    decided_at: datetime
    verification_json: str


async def insert_decisions(conn: AsyncConnection, rows: Sequence[DecisionRow]) -> None:
    """Inserts the decisions, their evidence, and moves each listing's latest pointer."""
    await conn.run_sync(write_decisions, rows)


def write_decisions(conn: Connection, rows: Sequence[DecisionRow]) -> None:
    """Blocking form of ``insert_decisions``, for a writer thread or ``run_sync``."""
    if not rows:
        return
    conn.execute(decisions.insert(), [_decision_values(row) for row in rows])
    evidence = [
        {
            "verification_id": row.verification_id,
            "registry": cited.registry,
            "record_id": cited.record_id,
            "status": cited.status,
        }
        for row in rows
        for cited in row.evidence
    ]
    if evidence:
        conn.execute(decision_evidence.insert(), evidence)
    _move_latest(conn, rows)


def _move_latest(conn: Connection, rows: Sequence[DecisionRow]) -> None:
    # One row per listing: an upsert may not touch the same key twice in one statement.
    newest: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen = newest.get(row.listing_id)
        if seen is None or row.decided_at >= seen["latest_decided_at"]:
            newest[row.listing_id] = {
                "listing_id": row.listing_id,
                "seller_id": row.seller_id,
                "latest_verification_id": row.verification_id,
                "latest_decision": row.decision,
                "latest_decided_at": row.decided_at,
            }
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(listings)
    stmt = stmt.on_conflict_do_update(
        index_elements=[listings.c.listing_id],
        set_={
            "seller_id": stmt.excluded.seller_id,
            "latest_verification_id": stmt.excluded.latest_verification_id,
            "latest_decision": stmt.excluded.latest_decision,
            "latest_decided_at": stmt.excluded.latest_decided_at,
        },
        # Concurrent workers may commit out of order; the pointer only moves forward.
        where=listings.c.latest_decided_at <= stmt.excluded.latest_decided_at,
    )
    conn.execute(stmt, list(newest.values()))


async def get_verification_json(conn: AsyncConnection, verification_id: str) -> str | None:
    """Returns the Verification JSON exactly as answered, or None when there is none."""
    result = await conn.execute(
        select(decisions.c.verification_json).where(decisions.c.verification_id == verification_id)
    )
    return result.scalar_one_or_none()


async def listing_history(
    conn: AsyncConnection,
    listing_id: str,
    *,
    limit: int,
    before: tuple[datetime, str] | None = None,
) -> list[HistoryEntry]:
    """Returns up to ``limit`` decisions of the listing, newest first, older than ``before``."""
    query = select(
        decisions.c.verification_id, decisions.c.decided_at, decisions.c.verification_json
    ).where(decisions.c.listing_id == listing_id)
    if before is not None:
        at, vid = before
        query = query.where(
            or_(
                decisions.c.decided_at < at,
                and_(decisions.c.decided_at == at, decisions.c.verification_id < vid),
            )
        )
    query = query.order_by(decisions.c.decided_at.desc(), decisions.c.verification_id.desc())
    result = await conn.execute(query.limit(limit))
    return [HistoryEntry(r.verification_id, r.decided_at, r.verification_json) for r in result]


async def count_decisions(conn: AsyncConnection) -> int:
    """Returns how many decisions are recorded."""
    result = await conn.execute(select(func.count()).select_from(decisions))
    return int(result.scalar_one())
