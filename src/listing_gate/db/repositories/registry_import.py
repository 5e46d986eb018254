"""SQL of registry imports: batched upserts by record id, term index rows, the import log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Insert, case, delete, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import TextClause

from listing_gate.db.repositories.registry import TABLES, TERM_TABLES
from listing_gate.db.tables.registry import registry_imports

__all__ = ["RecordRow", "record_import", "upsert_records"]


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
    if kind in TERM_TABLES:
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
    # Only our own table and column names are interpolated; every value is a bound parameter.
    columns = ", ".join(arrays)
    statement = text(
        f"INSERT INTO {table.name} ({columns}, imported_at, changed_at) "  # noqa: S608
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
    models, cores = TERM_TABLES[kind]
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
