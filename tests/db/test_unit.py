"""Units of work: a block that ends commits, one that raises rolls back, and a database fault
becomes a 503 only where the caller asked for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.repositories.access import ApiKeyRow, insert_api_key, list_api_keys
from listing_gate.errors import NotFoundError, StorageUnavailableError
from listing_gate.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
async def bare(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a fresh database that has no schema yet (SQLite and PostgreSQL)."""
    engine = make_engine(Settings(database_url=database_url))
    try:
        yield engine
    finally:
        await engine.dispose()


def _key(key_id: str) -> ApiKeyRow:
    return ApiKeyRow(key_id, key_id, key_id.ljust(64, "0"), "lg_x", "read", datetime.now(UTC), None)


async def _key_ids(engine: AsyncEngine) -> list[str]:
    async with unit.read(engine) as conn:
        return [row.key_id for row in await list_api_keys(conn)]


async def _write_then_fail(engine: AsyncEngine) -> None:
    async with unit.write(engine) as conn:
        await insert_api_key(conn, _key("undone"))
        raise RuntimeError("the caller fails after writing")


async def test_a_block_that_ends_commits_and_one_that_raises_rolls_back(
    bare: AsyncEngine,
) -> None:
    """Callers never commit: the end of the block does, and an exception undoes it all."""
    await upgrade_async(bare)
    async with unit.write(bare) as conn:
        await insert_api_key(conn, _key("kept"))
    with pytest.raises(RuntimeError):
        await _write_then_fail(bare)
    assert await _key_ids(bare) == ["kept"]


async def test_a_fault_propagates_as_itself_unless_the_caller_answers_503(
    bare: AsyncEngine,
) -> None:
    """A read on a database without the schema fails; mapped, it is StorageUnavailableError."""
    with pytest.raises(SQLAlchemyError):
        await _key_ids(bare)
    with pytest.raises(StorageUnavailableError) as caught:
        async with unit.read(bare, unavailable_on_fault=True) as conn:
            await list_api_keys(conn)
    assert isinstance(caught.value.__cause__, SQLAlchemyError)
    with pytest.raises(StorageUnavailableError):
        async with unit.write(bare, unavailable_on_fault=True) as conn:
            await insert_api_key(conn, _key("nowhere"))


async def test_an_error_of_the_caller_is_never_taken_for_a_fault(bare: AsyncEngine) -> None:
    """A domain error raised inside a mapped block reaches the caller unchanged."""
    await upgrade_async(bare)
    with pytest.raises(NotFoundError):
        async with unit.read(bare, unavailable_on_fault=True):
            raise NotFoundError("no such thing")
