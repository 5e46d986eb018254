"""SQL for API keys and remembered idempotent answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from listing_gate.db.tables.access import api_keys, idempotency_keys

__all__ = [
    "ApiKeyRow",
    "IdempotentAnswer",
    "find_api_key",
    "find_idempotent_answer",
    "insert_api_key",
    "list_api_keys",
    "prune_idempotent_answers",
    "revoke_api_key",
    "save_idempotent_answers",
    "write_idempotent_answers",
]


@dataclass(frozen=True, slots=True)
class ApiKeyRow:
    """An API key as stored: never the key itself, only its digest and a display prefix."""

    key_id: str
    name: str
    key_sha256: str
    prefix: str
    scopes: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class IdempotentAnswer:
    """The first answer given to an idempotent request, and what that request was."""

    principal: str
    idempotency_key: str
    fingerprint: str
    status_code: int
    response_body: bytes
    created_at: datetime


async def insert_api_key(conn: AsyncConnection, row: ApiKeyRow) -> None:
    """Stores a new API key."""
    await conn.execute(api_keys.insert().values(**_as_dict(row)))


async def find_api_key(conn: AsyncConnection, key_sha256: str) -> ApiKeyRow | None:
    """Returns the key with this digest, revoked or not, or None."""
    result = await conn.execute(select(api_keys).where(api_keys.c.key_sha256 == key_sha256))
    row = result.one_or_none()
    return ApiKeyRow(**row._mapping) if row is not None else None


async def list_api_keys(conn: AsyncConnection) -> list[ApiKeyRow]:
    """Returns every key, oldest first."""
    result = await conn.execute(select(api_keys).order_by(api_keys.c.created_at))
    return [ApiKeyRow(**row._mapping) for row in result]


async def revoke_api_key(conn: AsyncConnection, key_id: str, at: datetime) -> bool:
    """Marks the key revoked; returns False when no live key has that id."""
    result = await conn.execute(
        update(api_keys)
        .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return bool(result.rowcount)


async def find_idempotent_answer(
    conn: AsyncConnection, principal: str, key: str, not_before: datetime
) -> IdempotentAnswer | None:
    """Returns the remembered answer for (principal, key) made at or after ``not_before``."""
    result = await conn.execute(
        select(idempotency_keys).where(
            idempotency_keys.c.principal == principal,
            idempotency_keys.c.idempotency_key == key,
            idempotency_keys.c.created_at >= not_before,
        )
    )
    row = result.one_or_none()
    return IdempotentAnswer(**row._mapping) if row is not None else None


async def save_idempotent_answers(
    conn: AsyncConnection, answers: Sequence[IdempotentAnswer], expired_before: datetime
) -> None:
    """Stores answers; an existing one is replaced only when it has expired."""
    await conn.run_sync(write_idempotent_answers, answers, expired_before)


def write_idempotent_answers(
    conn: Connection, answers: Sequence[IdempotentAnswer], expired_before: datetime
) -> None:
    """Blocking form of ``save_idempotent_answers``, for a writer thread or ``run_sync``."""
    if not answers:
        return
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(idempotency_keys)
    stmt = stmt.on_conflict_do_update(
        index_elements=[idempotency_keys.c.principal, idempotency_keys.c.idempotency_key],
        set_={
            "fingerprint": stmt.excluded.fingerprint,
            "status_code": stmt.excluded.status_code,
            "response_body": stmt.excluded.response_body,
            "created_at": stmt.excluded.created_at,
        },
        # A live answer is never overwritten: the first answer is the one replayed.
        where=idempotency_keys.c.created_at < expired_before,
    )
    conn.execute(stmt, [_as_dict(a) for a in answers])


async def prune_idempotent_answers(conn: AsyncConnection, expired_before: datetime) -> int:
    """Deletes remembered answers older than ``expired_before``; returns how many."""
    result = await conn.execute(
        delete(idempotency_keys).where(idempotency_keys.c.created_at < expired_before)
    )
    return int(result.rowcount)


def _as_dict(row: ApiKeyRow | IdempotentAnswer) -> dict[str, Any]:
    return asdict(row)
