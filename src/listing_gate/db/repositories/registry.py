"""SQL of the registry mirror's reads: index-hit lookups, change pages, import status.

Imports write through registry_import.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Executable,
    Table,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from listing_gate.db.tables.registry import (
    registry_ccc,
    registry_imports,
    registry_license,
    registry_recall,
    registry_recall_manufacturer,
    registry_recall_model,
    registry_spot_check,
    registry_spot_check_manufacturer,
    registry_spot_check_model,
    registry_standard,
)

__all__ = [
    "TABLES",
    "TERM_TABLES",
    "ChangedRow",
    "ImportLog",
    "ccc_record",
    "changed_page",
    "count_records",
    "has_records",
    "latest_imports",
    "license_record",
    "notice_records",
    "standard_records",
]

TABLES: dict[str, Table] = {
    "ccc": registry_ccc,
    "license": registry_license,
    "recall": registry_recall,
    "spot_check": registry_spot_check,
    "standard": registry_standard,
}
# kind -> (model-key table, manufacturer-core table)
TERM_TABLES: dict[str, tuple[Table, Table]] = {
    "recall": (registry_recall_model, registry_recall_manufacturer),
    "spot_check": (registry_spot_check_model, registry_spot_check_manufacturer),
}


@dataclass(frozen=True, slots=True)
class ChangedRow:
    """A stored record with the time its content last changed."""

    record_id: str
    key: str
    changed_at: datetime
    record: str


@dataclass(frozen=True, slots=True)
class ImportLog:
    """The latest import of one kind."""

    records: int
    finished_at: datetime


async def count_records(conn: AsyncConnection, kind: str) -> int:
    """Returns how many records of `kind` the mirror holds."""
    return int(await conn.scalar(select(func.count()).select_from(TABLES[kind])) or 0)


async def has_records(conn: AsyncConnection, kind: str) -> bool:
    """Returns True when the mirror holds at least one record of `kind` (no full count)."""
    return bool(await conn.scalar(select(exists().select_from(TABLES[kind]))))


_LATEST_IMPORTS = select(
    registry_imports.c.kind, registry_imports.c.records, registry_imports.c.finished_at
).where(
    registry_imports.c.id.in_(
        select(func.max(registry_imports.c.id)).group_by(registry_imports.c.kind)
    )
)


async def latest_imports(conn: AsyncConnection) -> dict[str, ImportLog]:
    """Returns the latest import per kind; kinds never imported are absent."""
    result = await conn.execute(_LATEST_IMPORTS)
    return {kind: ImportLog(records, finished) for kind, records, finished in result.all()}


# --- lookups (statements built once; every one is an index hit) ------------------------------

_CCC = (
    select(registry_ccc.c.record)
    .where(registry_ccc.c.key == bindparam("key"))
    .order_by(registry_ccc.c.issued_on.desc().nulls_last(), registry_ccc.c.record_id.desc())
    .limit(1)
)
_LICENSE = select(registry_license.c.record).where(registry_license.c.record_id == bindparam("key"))
_STANDARDS = select(registry_standard.c.record_id, registry_standard.c.record).where(
    registry_standard.c.record_id.in_(bindparam("keys", expanding=True))
)


def _notice_statement(kind: str) -> Executable:
    table = TABLES[kind]
    models, cores = TERM_TABLES[kind]
    matching = union(
        select(models.c.record_id).where(models.c.model_key == bindparam("model_key")),
        select(cores.c.record_id).where(
            cores.c.manufacturer_core.in_(bindparam("cores", expanding=True))
        ),
    )
    return select(table.c.record).where(table.c.record_id.in_(matching)).order_by(table.c.record_id)


_NOTICES = {kind: _notice_statement(kind) for kind in TERM_TABLES}


async def ccc_record(conn: AsyncConnection, key: str) -> str | None:
    """Returns the JSON of the latest-issued CCC record with this key, or None."""
    value = await conn.scalar(_CCC, {"key": key})
    return None if value is None else str(value)


async def license_record(conn: AsyncConnection, key: str) -> str | None:
    """Returns the JSON of the licence with this canonical number, or None."""
    value = await conn.scalar(_LICENSE, {"key": key})
    return None if value is None else str(value)


async def notice_records(
    conn: AsyncConnection, kind: str, model_key: str, cores: Sequence[str]
) -> list[str]:
    """Returns the JSON of recalls or spot checks listing the model key or one of the cores."""
    result = await conn.execute(_NOTICES[kind], {"model_key": model_key, "cores": list(cores)})
    return [str(value) for value in result.scalars()]


async def standard_records(conn: AsyncConnection, keys: Sequence[str]) -> dict[str, str]:
    """Returns the JSON of the standards found, by key."""
    if not keys:
        return {}
    result = await conn.execute(_STANDARDS, {"keys": list(keys)})
    return {str(key): str(record) for key, record in result.all()}


async def changed_page(
    conn: AsyncConnection,
    kind: str,
    since: datetime,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[ChangedRow]:
    """Returns up to `limit` records changed after `since`, ordered by (changed_at, id)."""
    table = TABLES[kind]
    key = table.c.key if kind == "ccc" else table.c.record_id
    condition = table.c.changed_at > since
    if after is not None:
        at, record_id = after
        # Keyset paging: stable under concurrent imports and cheap on the composite index.
        condition = and_(
            condition,
            or_(
                table.c.changed_at > at,
                and_(table.c.changed_at == at, table.c.record_id > record_id),
            ),
        )
    statement = (
        select(table.c.record_id, key, table.c.changed_at, table.c.record)
        .where(condition)
        .order_by(table.c.changed_at, table.c.record_id)
        .limit(limit)
    )
    result = await conn.execute(statement)
    return [ChangedRow(str(r[0]), str(r[1]), r[2], str(r[3])) for r in result.all()]
