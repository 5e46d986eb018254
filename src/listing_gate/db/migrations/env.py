"""Alembic environment: migrates the connection listing_gate.db.migrate hands in, or the
database named by the service's settings when run from the `alembic` command line."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import listing_gate.db.tables as tables_package
from listing_gate.db.tables.base import metadata


def _import_table_modules() -> None:
    # Every module in db/tables registers its tables on the shared MetaData; importing
    # them all here means a new table module is seen without editing this file.
    for module in pkgutil.iter_modules(tables_package.__path__):
        importlib.import_module(f"{tables_package.__name__}.{module.name}")


_import_table_modules()
config = context.config
target_metadata = metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from listing_gate.settings import Settings  # noqa: PLC0415 - only the CLI path needs it

    return Settings().database_url


async def _run_on_url(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def _main() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    if context.is_offline_mode():
        context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_on_url(_url()))


_main()
