"""SQL of re-verification: runs, shard checkpoints, keyset pages of listings, changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, TypedDict, Unpack

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from listing_gate.db.tables.decisions import decisions, listings
from listing_gate.db.tables.registry import registry_imports
from listing_gate.db.tables.reverify import (
    reverify_changes,
    reverify_checkpoints,
    reverify_runs,
    reverify_targets,
)

__all__ = [
    "ChangeRow",
    "Checkpoint",
    "Latest",
    "RunRow",
    "RunUpdate",
    "add_targets",
    "change_page",
    "checkpoints",
    "count_listings",
    "create_run",
    "get_run",
    "import_started",
    "insert_changes",
    "latest_decisions",
    "latest_pointers",
    "listing_id_page",
    "load_checkpoint",
    "prior_actions",
    "save_checkpoint",
    "set_run_status",
    "transitions",
]


@dataclass(frozen=True, slots=True)
class RunRow:
    """One re-verification run as stored."""

    run_id: str
    scope: str
    status: str
    trigger_json: str
    targets: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """How far one shard of a run has come: it resumes after ``last_listing_id``."""

    run_id: str
    shard_index: int
    shard_count: int
    last_listing_id: str | None
    processed: int
    changed: int
    done: bool


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """A re-decision recorded because it changed the listing's decision or reason codes."""

    verification_id: str
    run_id: str
    listing_id: str
    seller_id: str
    previous_verification_id: str
    old_decision: str
    new_decision: str
    old_reason_codes_json: str
    new_reason_codes_json: str
    action: str | None  # what the platform did, for the lead report (draft art. 12)
    decided_at: datetime


class RunUpdate(TypedDict, total=False):
    """The run columns a status change may set besides the status itself."""

    targets: int
    started_at: datetime
    finished_at: datetime
    error: str | None


@dataclass(frozen=True, slots=True)
class Latest:
    """A listing's latest recorded decision: what a re-decision is compared with."""

    listing_id: str
    verification_id: str
    seller_id: str
    decision: str
    reason_codes_json: str
    draft_json: str


def _insert(conn: AsyncConnection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


async def create_run(conn: AsyncConnection, run: RunRow) -> None:
    """Inserts a run row."""
    await conn.execute(insert(reverify_runs).values(_run(run)))


def _run(run: RunRow) -> dict[str, Any]:
    return {name: getattr(run, name) for name in RunRow.__dataclass_fields__}


async def get_run(conn: AsyncConnection, run_id: str) -> RunRow | None:
    """Returns the run, or None when there is none with this id."""
    row = (
        await conn.execute(select(reverify_runs).where(reverify_runs.c.run_id == run_id))
    ).first()
    return None if row is None else RunRow(**row._mapping)


async def set_run_status(
    conn: AsyncConnection, run_id: str, status: str, **values: Unpack[RunUpdate]
) -> None:
    """Sets the run's status and any of targets, started_at, finished_at, error."""
    await conn.execute(
        update(reverify_runs)
        .where(reverify_runs.c.run_id == run_id)
        .values(status=status, **values)
    )


async def load_checkpoint(
    conn: AsyncConnection, run_id: str, shard_index: int
) -> Checkpoint | None:
    """Returns the shard's checkpoint, or None before its first committed page."""
    row = (
        await conn.execute(
            select(reverify_checkpoints).where(
                reverify_checkpoints.c.run_id == run_id,
                reverify_checkpoints.c.shard_index == shard_index,
            )
        )
    ).first()
    if row is None:
        return None
    values = dict(row._mapping)
    values.pop("updated_at")
    return Checkpoint(**values)


async def save_checkpoint(conn: AsyncConnection, checkpoint: Checkpoint, now: datetime) -> None:
    """Inserts or moves the shard's checkpoint (in the caller's transaction)."""
    values = {name: getattr(checkpoint, name) for name in Checkpoint.__dataclass_fields__}
    values["updated_at"] = now
    stmt = _insert(conn)(reverify_checkpoints).values(**values)
    keys = ("last_listing_id", "processed", "changed", "done", "updated_at")
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[reverify_checkpoints.c.run_id, reverify_checkpoints.c.shard_index],
            set_={key: stmt.excluded[key] for key in keys},
        )
    )


async def checkpoints(conn: AsyncConnection, run_id: str) -> list[Checkpoint]:
    """Returns the checkpoints of every shard that has committed a page, by shard."""
    result = await conn.execute(
        select(reverify_checkpoints)
        .where(reverify_checkpoints.c.run_id == run_id)
        .order_by(reverify_checkpoints.c.shard_index)
    )
    out = []
    for row in result:
        values = dict(row._mapping)
        values.pop("updated_at")
        out.append(Checkpoint(**values))
    return out


async def add_targets(conn: AsyncConnection, run_id: str, listing_ids: Sequence[str]) -> None:
    """Adds listings to a targeted run; ids already there are kept once."""
    if not listing_ids:
        return
    stmt = _insert(conn)(reverify_targets).on_conflict_do_nothing()
    await conn.execute(stmt, [{"run_id": run_id, "listing_id": i} for i in listing_ids])


async def listing_id_page(
    conn: AsyncConnection, *, run_id: str | None, after: str | None, limit: int
) -> list[str]:
    """Returns up to ``limit`` listing ids after ``after`` in id order: all, or a run's targets."""
    if run_id is None:
        column = listings.c.listing_id
        query = select(column)
    else:
        column = reverify_targets.c.listing_id
        query = select(column).where(reverify_targets.c.run_id == run_id)
    if after is not None:
        query = query.where(column > after)
    result = await conn.execute(query.order_by(column).limit(limit))
    return list(result.scalars())


async def count_listings(conn: AsyncConnection, run_id: str | None) -> int:
    """Returns how many listings a run walks: every recorded listing, or its targets."""
    if run_id is None:
        query = select(func.count()).select_from(listings)
    else:
        query = select(func.count()).where(reverify_targets.c.run_id == run_id)
    return int(await conn.scalar(query) or 0)


_LATEST = (
    select(
        listings.c.listing_id,
        listings.c.latest_verification_id,
        decisions.c.seller_id,
        decisions.c.decision,
        decisions.c.reason_codes_json,
        decisions.c.draft_json,
    )
    .select_from(listings)
    .join(decisions, decisions.c.verification_id == listings.c.latest_verification_id)
)


async def latest_decisions(conn: AsyncConnection, listing_ids: Sequence[str]) -> list[Latest]:
    """Returns each listing's latest decision and draft, in listing id order."""
    if not listing_ids:
        return []
    result = await conn.execute(
        _LATEST.where(listings.c.listing_id.in_(listing_ids)).order_by(listings.c.listing_id)
    )
    return [Latest(*row) for row in result]


async def latest_pointers(
    conn: AsyncConnection, listing_ids: Sequence[str], *, lock: bool
) -> dict[str, str]:
    """Returns each listing's latest verification id; ``lock`` holds the rows (PostgreSQL)."""
    query = select(listings.c.listing_id, listings.c.latest_verification_id).where(
        listings.c.listing_id.in_(listing_ids)
    )
    if lock and conn.dialect.name == "postgresql":
        # Ordered so concurrent writers lock in one order and cannot deadlock.
        query = query.order_by(listings.c.listing_id).with_for_update()
    result = await conn.execute(query)
    return {str(listing): str(latest) for listing, latest in result}


async def prior_actions(conn: AsyncConnection, verification_ids: Sequence[str]) -> dict[str, str]:
    """Returns the lead-report action recorded for those re-decisions that have one."""
    if not verification_ids:
        return {}
    result = await conn.execute(
        select(reverify_changes.c.verification_id, reverify_changes.c.action).where(
            reverify_changes.c.verification_id.in_(verification_ids),
            reverify_changes.c.action.is_not(None),
        )
    )
    return {str(vid): str(action) for vid, action in result}


async def insert_changes(conn: AsyncConnection, rows: Sequence[ChangeRow]) -> None:
    """Inserts reverify_changes rows (in the transaction recording their decisions)."""
    if rows:
        await conn.execute(insert(reverify_changes), [asdict(row) for row in rows])


async def change_page(
    conn: AsyncConnection, run_id: str, *, after: str | None, limit: int
) -> list[ChangeRow]:
    """Returns up to ``limit`` of the run's changes after verification id ``after``."""
    query = select(reverify_changes).where(reverify_changes.c.run_id == run_id)
    if after is not None:
        query = query.where(reverify_changes.c.verification_id > after)
    result = await conn.execute(query.order_by(reverify_changes.c.verification_id).limit(limit))
    return [ChangeRow(**row._mapping) for row in result]


async def transitions(conn: AsyncConnection, run_id: str) -> dict[tuple[str, str], int]:
    """Returns how many recorded re-decisions of the run went from one decision to another."""
    old, new = reverify_changes.c.old_decision, reverify_changes.c.new_decision
    result = await conn.execute(
        select(old, new, func.count()).where(reverify_changes.c.run_id == run_id).group_by(old, new)
    )
    return {(str(a), str(b)): int(n) for a, b, n in result}


async def import_started(conn: AsyncConnection, kind: str) -> datetime | None:
    """Returns when the latest import of ``kind`` started (its changed records carry it)."""
    return await conn.scalar(
        select(registry_imports.c.started_at)
        .where(registry_imports.c.kind == kind)
        .order_by(registry_imports.c.id.desc())
        .limit(1)
    )
