"""SQLite durability: answered means recorded, across an OS crash too, unless traded away."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db.engine import make_engine, make_sqlite_writer_engine
from listing_gate.settings import Settings

pytestmark = pytest.mark.anyio

FULL, NORMAL = 2, 1  # what PRAGMA synchronous reads back


async def _synchronous(settings: Settings) -> tuple[int, int]:
    """Returns the setting as the request engine's and the decision writer's connections see it."""
    engine: AsyncEngine = make_engine(settings)
    writer = make_sqlite_writer_engine(settings)
    assert writer is not None
    try:
        async with engine.connect() as conn:
            read = (await conn.exec_driver_sql("PRAGMA synchronous")).scalar_one()
        with writer.connect() as conn:
            written = conn.exec_driver_sql("PRAGMA synchronous").scalar_one()
    finally:
        await engine.dispose()
        writer.dispose()
    return int(read), int(written)


async def test_sqlite_syncs_every_commit_by_default(sqlite_url: str) -> None:
    """synchronous=FULL on every connection, the decision writer's included."""
    assert await _synchronous(Settings(database_url=sqlite_url)) == (FULL, FULL)


async def test_normal_sync_is_a_setting(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """LISTING_GATE_SQLITE_SYNCHRONOUS=normal trades OS-crash durability for speed."""
    monkeypatch.setenv("LISTING_GATE_SQLITE_SYNCHRONOUS", "normal")
    settings = Settings(database_url=sqlite_url)
    assert await _synchronous(settings) == (NORMAL, NORMAL)
