"""Reading recorded decisions back: one by id, or a listing's history newest first."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories import decisions as repo
from listing_gate.domain import find_control
from listing_gate.errors import InvalidRequestError, NotFoundError

__all__ = ["get_verification", "listing_history"]


async def get_verification(engine: AsyncEngine, verification_id: str) -> bytes:
    """Returns the Verification JSON exactly as it was answered; raises NotFoundError."""
    async with unit.read(engine, unavailable_on_fault=True) as conn:
        text = await repo.get_verification_json(conn, verification_id)
    if text is None:
        raise NotFoundError(f"no verification {verification_id!r} is recorded")
    return text.encode()


async def listing_history(
    engine: AsyncEngine, listing_id: str, *, limit: int, cursor: str | None
) -> bytes:
    """Returns ``{listing_id, verifications, next_cursor}``, newest first; raises NotFoundError.

    ``next_cursor`` is null on the last page; pass it back as ``cursor`` for the next one.
    """
    before = _decode(cursor) if cursor else None
    async with unit.read(engine, unavailable_on_fault=True) as conn:
        page = await repo.listing_history(conn, listing_id, limit=limit + 1, before=before)
    if not page and before is None:
        raise NotFoundError(f"no verification of listing {listing_id!r} is recorded")
    more = len(page) > limit
    page = page[:limit]
    next_cursor = _encode(page[-1].decided_at, page[-1].verification_id) if more else None
    # The stored documents are spliced in unparsed: each item is byte-for-byte the answer.
    items = ",".join(entry.verification_json for entry in page).encode()
    return (
        b'{"listing_id":'
        + orjson.dumps(listing_id)
        + b',"verifications":['
        + items
        + b'],"next_cursor":'
        + orjson.dumps(next_cursor)
        + b"}"
    )


def _encode(decided_at: datetime, verification_id: str) -> str:
    raw = f"{decided_at.isoformat()}|{verification_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, verification_id = raw.split("|", 1)
        decided_at = datetime.fromisoformat(at)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _bad_cursor() from None
    # A forged cursor must not carry to the database what a path or a draft may not.
    if decided_at.tzinfo is None or find_control(verification_id) is not None:
        raise _bad_cursor()
    return decided_at, verification_id


def _bad_cursor() -> InvalidRequestError:
    return InvalidRequestError(
        "the cursor is invalid",
        [
            {
                "pointer": "/query/cursor",
                "field": "cursor",
                "detail": "not a cursor this API gave",
                "code": "cursor_invalid",
            }
        ],
    )
