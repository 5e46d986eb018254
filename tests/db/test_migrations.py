"""Migrations: head builds the schema the table modules describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from listing_gate.db import tables
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.tables.base import metadata

REGISTRY_TABLES = {
    "registry_ccc",
    "registry_license",
    "registry_recall",
    "registry_recall_model",
    "registry_recall_manufacturer",
    "registry_spot_check",
    "registry_spot_check_model",
    "registry_spot_check_manufacturer",
    "registry_standard",
    "registry_imports",
}


def _diff(connection: Connection) -> list[object]:
    # the same discovery env.py does: every table module registers on the shared MetaData
    for module in pkgutil.iter_modules(tables.__path__):
        importlib.import_module(f"{tables.__name__}.{module.name}")
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


@pytest.mark.anyio
async def test_upgrade_head_creates_the_registry_tables_and_matches_the_models(
    database_url: str,
) -> None:
    """After `upgrade head` the database has the registry tables and no drift from the code."""
    await upgrade_async(database_url)
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
            diff = await conn.run_sync(_diff)
    finally:
        await engine.dispose()
    assert tables >= REGISTRY_TABLES | {"alembic_version"}
    assert diff == []


@pytest.mark.anyio
async def test_upgrading_twice_is_harmless(database_url: str) -> None:
    """Every worker may run the migration at start-up; the second run does nothing."""
    await upgrade_async(database_url)
    await upgrade_async(database_url)
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            versions = (await conn.exec_driver_sql("select version_num from alembic_version")).all()
    finally:
        await engine.dispose()
    assert len(versions) == 1
