"""SQL that finds the listings a registry change concerns: evidence and listing terms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from listing_gate.db.tables.decisions import decision_evidence, decisions, listings
from listing_gate.db.tables.reverify import listing_terms, listing_terms_state

__all__ = [
    "DecidedDraft",
    "decision_page",
    "listings_citing",
    "listings_with_terms",
    "replace_terms",
    "set_watermark",
    "watermark",
]

_STATE_ID = 1


@dataclass(frozen=True, slots=True)
class DecidedDraft:
    """A recorded decision's draft, to be indexed under its listing."""

    verification_id: str
    listing_id: str
    draft_json: str


async def watermark(conn: AsyncConnection) -> str | None:
    """Returns the highest verification id the term index has seen, or None if never built."""
    value = await conn.scalar(
        select(listing_terms_state.c.watermark).where(listing_terms_state.c.id == _STATE_ID)
    )
    return None if value is None else str(value)


async def set_watermark(conn: AsyncConnection, value: str, now: datetime) -> None:
    """Stores the term index's watermark."""
    ins = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = ins(listing_terms_state).values(id=_STATE_ID, watermark=value, updated_at=now)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[listing_terms_state.c.id],
            set_={"watermark": stmt.excluded.watermark, "updated_at": stmt.excluded.updated_at},
        )
    )


async def decision_page(
    conn: AsyncConnection, *, after: str | None, limit: int
) -> list[DecidedDraft]:
    """Returns the drafts of decisions after verification id ``after``, in id order.

    Re-verification decisions are left out: they keep the draft of the decision before.
    """
    query = select(
        decisions.c.verification_id, decisions.c.listing_id, decisions.c.draft_json
    ).where(decisions.c.origin != "reverify")
    if after is not None:
        query = query.where(decisions.c.verification_id > after)
    result = await conn.execute(query.order_by(decisions.c.verification_id).limit(limit))
    return [DecidedDraft(str(v), str(listing), str(draft)) for v, listing, draft in result]


async def replace_terms(conn: AsyncConnection, terms: Mapping[str, set[str]]) -> None:
    """Makes ``terms[listing]`` the whole term set of each listing given."""
    if not terms:
        return
    await conn.execute(delete(listing_terms).where(listing_terms.c.listing_id.in_(list(terms))))
    rows = [{"term": t, "listing_id": listing} for listing, ts in terms.items() for t in ts]
    if rows:
        await conn.execute(insert(listing_terms), rows)


async def listings_with_terms(conn: AsyncConnection, terms: Sequence[str]) -> list[str]:
    """Returns the listings indexed under any of ``terms``."""
    if not terms:
        return []
    result = await conn.execute(
        select(listing_terms.c.listing_id).where(listing_terms.c.term.in_(terms)).distinct()
    )
    return list(result.scalars())


async def listings_citing(
    conn: AsyncConnection, registry: str, record_ids: Sequence[str]
) -> list[str]:
    """Returns the listings whose latest decision cites one of these registry records."""
    if not record_ids:
        return []
    # evidence -> decision -> listing, each step an index hit; the last condition keeps
    # only decisions that are still their listing's latest.
    query = (
        select(listings.c.listing_id)
        .select_from(decision_evidence)
        .join(decisions, decisions.c.verification_id == decision_evidence.c.verification_id)
        .join(listings, listings.c.listing_id == decisions.c.listing_id)
        .where(
            decision_evidence.c.registry == registry,
            decision_evidence.c.record_id.in_(record_ids),
            listings.c.latest_verification_id == decision_evidence.c.verification_id,
        )
        .distinct()
    )
    return list((await conn.execute(query)).scalars())
