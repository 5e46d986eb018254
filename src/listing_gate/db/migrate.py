"""Schema migrations run from code: `alembic upgrade head` for a URL or an engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

_HERE = Path(__file__).resolve().parent
# Any constant works; it only has to be the same in every process that migrates.
_PG_MIGRATION_LOCK = 7_110_110


def alembic_config() -> Config:
    """Returns the Alembic config of the package (script location inside the wheel)."""
    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE / "migrations"))
    return config


async def upgrade_async(url_or_engine: str | AsyncEngine, revision: str = "head") -> None:
    """Upgrades the database to `revision` (head by default); safe to run from many workers."""
    owned = isinstance(url_or_engine, str)
    engine = (
        create_async_engine(url_or_engine, poolclass=pool.NullPool)
        if isinstance(url_or_engine, str)
        else url_or_engine
    )
    try:
        async with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Workers starting together would race to create the same tables; the
                # transaction-scoped lock lets one migrate while the others wait.
                await connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            await connection.run_sync(_upgrade, revision)
    finally:
        if owned:
            await engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Upgrades the database at `url` to `revision`; for callers outside an event loop."""
    asyncio.run(upgrade_async(url, revision))


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
