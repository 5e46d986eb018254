"""SQL of the outbox: events, per-endpoint deliveries with leases, and the attempt log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from listing_gate.db.tables.events import event_deliveries, outcome_events, webhook_attempts

__all__ = [
    "Attempt",
    "Due",
    "EventRow",
    "claim_due",
    "count_by_status",
    "dispatch",
    "insert_events",
    "record_attempts",
    "undispatched",
]


@dataclass(frozen=True, slots=True)
class EventRow:
    """An outcome-change event as the outbox stores it, with the exact body to post."""

    event_id: str
    event_type: str
    listing_id: str
    verification_id: str
    payload: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class Due:
    """A delivery to make now: the event's body and how often it was tried before."""

    event_id: str
    endpoint_id: str
    attempts: int
    payload: str


@dataclass(frozen=True, slots=True)
class Attempt:
    """The result of one POST and the delivery state it leads to."""

    event_id: str
    endpoint_id: str
    attempt: int
    attempted_at: datetime
    outcome: str  # delivered, failed or dead_letter
    status_code: int | None
    error: str | None
    duration_ms: int
    next_attempt_at: datetime  # when failed: the retry's due time


async def insert_events(conn: AsyncConnection, rows: Sequence[EventRow]) -> None:
    """Adds events to the outbox, undispatched (in the caller's transaction)."""
    if rows:
        await conn.execute(
            insert(outcome_events), [{**asdict(row), "dispatched": False} for row in rows]
        )


async def undispatched(conn: AsyncConnection, limit: int) -> list[str]:
    """Returns up to ``limit`` ids of events not yet fanned out to the endpoints, oldest first."""
    result = await conn.execute(
        select(outcome_events.c.event_id)
        .where(outcome_events.c.dispatched.is_(False))
        .order_by(outcome_events.c.event_id)
        .limit(limit)
    )
    return list(result.scalars())


async def dispatch(
    conn: AsyncConnection,
    event_ids: Sequence[str],
    endpoints: Sequence[tuple[str, str]],
    now: datetime,
) -> None:
    """Makes one pending delivery per (event, endpoint id + display URL); idempotent."""
    if not event_ids:
        return
    rows = [
        {
            "event_id": event_id,
            "endpoint_id": endpoint_id,
            "endpoint": display,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "updated_at": now,
        }
        for event_id in event_ids
        for endpoint_id, display in endpoints
    ]
    ins = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    if rows:
        # Two workers fanning out the same event leave one delivery per endpoint.
        await conn.execute(ins(event_deliveries).on_conflict_do_nothing(), rows)
    await conn.execute(
        update(outcome_events)
        .where(outcome_events.c.event_id.in_(event_ids))
        .values(dispatched=True)
    )


async def claim_due(
    conn: AsyncConnection,
    *,
    endpoint_ids: Sequence[str],
    now: datetime,
    lease_until: datetime,
    limit: int,
) -> list[Due]:
    """Returns pending deliveries due by ``now``, leased until ``lease_until`` to this caller."""
    d = event_deliveries.c
    query = (
        select(d.event_id, d.endpoint_id, d.attempts, outcome_events.c.payload)
        .select_from(event_deliveries)
        .join(outcome_events, outcome_events.c.event_id == d.event_id)
        .where(d.status == "pending", d.next_attempt_at <= now, d.endpoint_id.in_(endpoint_ids))
        .order_by(d.next_attempt_at, d.event_id)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        # Several workers share the table: each takes rows the others have not locked.
        query = query.with_for_update(of=event_deliveries, skip_locked=True)
    due = [Due(*row) for row in await conn.execute(query)]
    if due:
        # The lease: a worker that dies mid-POST leaves the row due again after it.
        await conn.execute(
            update(event_deliveries)
            .where(
                d.event_id == bindparam("e_id"),
                d.endpoint_id == bindparam("ep_id"),
            )
            .values(next_attempt_at=lease_until, updated_at=now),
            [{"e_id": x.event_id, "ep_id": x.endpoint_id} for x in due],
        )
    return due


_STATUS = {"delivered": "delivered", "failed": "pending", "dead_letter": "dead"}


async def record_attempts(conn: AsyncConnection, attempts: Sequence[Attempt]) -> None:
    """Logs the attempts and moves each delivery to delivered, pending (retry) or dead."""
    if not attempts:
        return
    d = event_deliveries.c
    await conn.execute(
        update(event_deliveries)
        .where(d.event_id == bindparam("e_id"), d.endpoint_id == bindparam("ep_id"))
        .values(
            status=bindparam("new_status"),
            attempts=bindparam("n"),
            next_attempt_at=bindparam("due"),
            last_status_code=bindparam("code"),
            last_error=bindparam("err"),
            delivered_at=bindparam("delivered"),
            updated_at=bindparam("at"),
        ),
        [
            {
                "e_id": a.event_id,
                "ep_id": a.endpoint_id,
                "new_status": _STATUS[a.outcome],
                "n": a.attempt,
                "due": a.next_attempt_at,
                "code": a.status_code,
                "err": a.error,
                "delivered": a.attempted_at if a.outcome == "delivered" else None,
                "at": a.attempted_at,
            }
            for a in attempts
        ],
    )
    await conn.execute(
        insert(webhook_attempts),
        [
            {
                "event_id": a.event_id,
                "endpoint_id": a.endpoint_id,
                "attempt": a.attempt,
                "attempted_at": a.attempted_at,
                "outcome": a.outcome,
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in attempts
        ],
    )


async def count_by_status(conn: AsyncConnection) -> dict[str, int]:
    """Returns how many deliveries are pending, delivered and dead."""
    d = event_deliveries.c
    result = await conn.execute(select(d.status, func.count()).group_by(d.status))
    return {str(status): int(n) for status, n in result}
