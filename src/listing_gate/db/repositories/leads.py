"""SQL of the lead report: listings whose latest decision is a block, in time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from listing_gate.db.tables.decisions import decisions, listings
from listing_gate.db.tables.reverify import reverify_changes

__all__ = ["BlockedRow", "blocked_page"]


@dataclass(frozen=True, slots=True)
class BlockedRow:
    """A blocked listing's latest decision as recorded, with the re-verification action."""

    listing_id: str
    verification_id: str
    decided_at: datetime
    seller_id: str
    seller_shop_name: str | None
    seller_legal_name: str | None
    seller_credit_code: str | None
    category_code: str | None
    reasons_json: str
    evidence_json: str
    draft_json: str
    verification_json: str
    policy_version: str
    origin: str
    action: str | None  # set when a re-verification recorded this block


_QUERY = (
    select(
        listings.c.listing_id,
        decisions.c.verification_id,
        listings.c.latest_decided_at.label("decided_at"),
        decisions.c.seller_id,
        decisions.c.seller_shop_name,
        decisions.c.seller_legal_name,
        decisions.c.seller_credit_code,
        decisions.c.category_code,
        decisions.c.reasons_json,
        decisions.c.evidence_json,
        decisions.c.draft_json,
        decisions.c.verification_json,
        decisions.c.policy_version,
        decisions.c.origin,
        reverify_changes.c.action,
    )
    .select_from(listings)
    .join(decisions, decisions.c.verification_id == listings.c.latest_verification_id)
    .outerjoin(reverify_changes, reverify_changes.c.verification_id == decisions.c.verification_id)
    .where(listings.c.latest_decision == "block")
)


async def blocked_page(
    conn: AsyncConnection,
    *,
    since: datetime,
    until: datetime | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[BlockedRow]:
    """Returns up to ``limit`` listings blocked by a decision made in [since, until), by time."""
    at, listing_id = listings.c.latest_decided_at, listings.c.listing_id
    query = _QUERY.where(at >= since)
    if until is not None:
        query = query.where(at < until)
    if after is not None:
        # Keyset paging on (time, id): stable while new decisions arrive.
        query = query.where(or_(at > after[0], and_(at == after[0], listing_id > after[1])))
    result = await conn.execute(query.order_by(at, listing_id).limit(limit))
    return [BlockedRow(**row._mapping) for row in result]
