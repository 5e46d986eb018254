"""SQL of the registry mirror: batched upserts for import, index-hit reads for lookups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Executable,
    Insert,
    Table,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import TextClause

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
    "ChangedRow",
    "ImportLog",
    "RecordRow",
    "ccc_record",
    "changed_page",
    "count_records",
    "has_records",
    "latest_imports",
    "license_record",
    "notice_records",
    "record_import",
    "standard_records",
    "upsert_records",
]

TABLES: dict[str, Table] = {
    "ccc": registry_ccc,
    "license": registry_license,
    "recall": registry_recall,
    "spot_check": registry_spot_check,
    "standard": registry_standard,
}
# kind -> (model-key table, manufacturer-core table)
_TERMS: dict[str, tuple[Table, Table]] = {
    "recall": (registry_recall_model, registry_recall_manufacturer),
    "spot_check": (registry_spot_check_model, registry_spot_check_manufacturer),
}


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One record ready to store: its keys, status and source JSON."""

    record_id: str
    key: str
    status: str
    record: str
    ccc_kind: str | None = None
    issued_on: date | None = None
    model_keys: tuple[str, ...] = field(default=())
    manufacturer_cores: tuple[str, ...] = field(default=())


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


# --- import --------------------------------------------------------------------------------

_UPSERTS: dict[tuple[str, str], Insert] = {}


def _upsert(dialect: str, kind: str) -> Insert:
    # Built once per (dialect, kind): the statement object is immutable and reusable.
    statement = _UPSERTS.get((dialect, kind))
    if statement is not None:
        return statement
    table = TABLES[kind]
    ins = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    new = ins.excluded
    values: dict[str, Any] = {
        c.name: new[c.name] for c in table.columns if c.name not in {"record_id", "changed_at"}
    }
    # Re-importing an unchanged record must not make it look changed to re-verification.
    values["changed_at"] = case(
        (table.c.record == new.record, table.c.changed_at), else_=new.changed_at
    )
    statement = ins.on_conflict_do_update(index_elements=[table.c.record_id], set_=values)
    _UPSERTS[(dialect, kind)] = statement
    return statement


def _params(kind: str, row: RecordRow, now: datetime) -> dict[str, Any]:
    params: dict[str, Any] = {
        "record_id": row.record_id,
        "status": row.status,
        "record": row.record,
        "imported_at": now,
        "changed_at": now,
    }
    if kind == "ccc":
        params["key"] = row.key
        params["kind"] = row.ccc_kind
        params["issued_on"] = row.issued_on
    return params


async def upsert_records(
    conn: AsyncConnection, kind: str, rows: Sequence[RecordRow], now: datetime
) -> int:
    """Inserts or replaces rows by id (unique within `rows`); returns how many existed."""
    if not rows:
        return 0
    ids = [row.record_id for row in rows]
    if conn.dialect.name == "postgresql":
        existed = await _upsert_unnest(conn, kind, rows, now)
    else:
        table = TABLES[kind]
        existed = int(
            await conn.scalar(
                select(func.count()).select_from(table).where(table.c.record_id.in_(ids))
            )
            or 0
        )
        sql, rows_as_tuples = _sqlite_plan(conn.dialect, kind)
        await conn.exec_driver_sql(sql, rows_as_tuples(rows, now))
    if kind in _TERMS:
        await _replace_terms(conn, kind, rows, ids)
    return existed


_SQLITE_PLANS: dict[str, tuple[str, Callable[[Sequence[RecordRow], datetime], list[Any]]]] = {}


def _sqlite_plan(
    dialect: Dialect, kind: str
) -> tuple[str, Callable[[Sequence[RecordRow], datetime], list[Any]]]:
    # SQLAlchemy's per-row parameter processing costs more than SQLite's own insert; the
    # upsert is compiled once and rows go to the driver as tuples, converted exactly as
    # the column types would (timestamps once per batch, not once per row).
    plan = _SQLITE_PLANS.get(kind)
    if plan is not None:
        return plan
    table = TABLES[kind]
    compiled = _upsert(dialect.name, kind).compile(dialect=dialect)
    order = tuple(compiled.positiontup or ())
    stamp = table.c.imported_at.type.dialect_impl(dialect).bind_processor(dialect)
    day = table.c.get("issued_on")
    day_processor = (
        day.type.dialect_impl(dialect).bind_processor(dialect) if day is not None else None
    )

    def rows_as_tuples(rows: Sequence[RecordRow], now: datetime) -> list[Any]:
        at = stamp(now) if stamp else now
        fixed = {"imported_at": at, "changed_at": at}
        out = []
        for row in rows:
            values = _params(kind, row, now) | fixed
            if day_processor is not None:
                values["issued_on"] = day_processor(values["issued_on"])
            out.append(tuple(values[name] for name in order))
        return out

    plan = (str(compiled), rows_as_tuples)
    _SQLITE_PLANS[kind] = plan
    return plan


_ARRAY_TYPES = {"issued_on": "date[]"}
_UNNEST: dict[str, TextClause] = {}


def _unnest_statement(kind: str) -> TextClause:
    # One statement per batch on PostgreSQL: the batch travels as one array per column
    # and unnest() turns it back into rows, several times faster than executemany.
    # RETURNING (xmax = 0) is true for a row this statement inserted rather than updated.
    statement = _UNNEST.get(kind)
    if statement is not None:
        return statement
    table = TABLES[kind]
    arrays = [c.name for c in table.columns if c.name not in {"imported_at", "changed_at"}]
    unnest = ", ".join(f"CAST(:{name} AS {_ARRAY_TYPES.get(name, 'text[]')})" for name in arrays)
    updates = ", ".join(
        f"{name} = excluded.{name}" for name in [*arrays, "imported_at"] if name != "record_id"
    )
    statement = text(
        f"INSERT INTO {table.name} ({', '.join(arrays)}, imported_at, changed_at) "
        f"SELECT u.*, CAST(:now AS timestamptz), CAST(:now AS timestamptz) "
        f"FROM unnest({unnest}) AS u "
        f"ON CONFLICT (record_id) DO UPDATE SET {updates}, changed_at = CASE "
        f"WHEN {table.name}.record = excluded.record THEN {table.name}.changed_at "
        f"ELSE excluded.changed_at END "
        f"RETURNING (xmax = 0) AS inserted"
    )
    _UNNEST[kind] = statement
    return statement


async def _upsert_unnest(
    conn: AsyncConnection, kind: str, rows: Sequence[RecordRow], now: datetime
) -> int:
    columns = [_params(kind, row, now) for row in rows]
    names = [c.name for c in TABLES[kind].columns if c.name not in {"imported_at", "changed_at"}]
    params: dict[str, Any] = {name: [c[name] for c in columns] for name in names}
    params["now"] = now
    result = await conn.execute(_unnest_statement(kind), params)
    inserted = sum(1 for (flag,) in result if flag)
    return len(rows) - inserted


async def _replace_terms(
    conn: AsyncConnection, kind: str, rows: Sequence[RecordRow], ids: list[str]
) -> None:
    models, cores = _TERMS[kind]
    for table, column, attr in (
        (models, "model_key", "model_keys"),
        (cores, "manufacturer_core", "manufacturer_cores"),
    ):
        await conn.execute(delete(table).where(table.c.record_id.in_(ids)))
        params = [
            {column: term, "record_id": row.record_id}
            for row in rows
            for term in getattr(row, attr)
        ]
        if params:
            await conn.execute(insert(table), params)


async def count_records(conn: AsyncConnection, kind: str) -> int:
    """Returns how many records of `kind` the mirror holds."""
    return int(await conn.scalar(select(func.count()).select_from(TABLES[kind])) or 0)


async def has_records(conn: AsyncConnection, kind: str) -> bool:
    """Returns True when the mirror holds at least one record of `kind` (no full count)."""
    return bool(await conn.scalar(select(exists().select_from(TABLES[kind]))))


async def record_import(
    conn: AsyncConnection,
    kind: str,
    *,
    source: str | None,
    started_at: datetime,
    finished_at: datetime,
    added: int,
    replaced: int,
    records: int,
) -> None:
    """Logs a finished import; the latest one per kind is the registry's freshness."""
    await conn.execute(
        insert(registry_imports).values(
            kind=kind,
            source=source,
            started_at=started_at,
            finished_at=finished_at,
            added=added,
            replaced=replaced,
            records=records,
        )
    )


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
    models, cores = _TERMS[kind]
    matching = union(
        select(models.c.record_id).where(models.c.model_key == bindparam("model_key")),
        select(cores.c.record_id).where(
            cores.c.manufacturer_core.in_(bindparam("cores", expanding=True))
        ),
    )
    return select(table.c.record).where(table.c.record_id.in_(matching)).order_by(table.c.record_id)


_NOTICES = {kind: _notice_statement(kind) for kind in _TERMS}


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
