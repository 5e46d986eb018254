"""Units of work: the one place a transaction or a read connection is opened.

``write(engine)`` yields a connection inside a transaction that commits when the block
ends and rolls back when it raises: callers never commit, as Polar's ``get_db_session``
owns commit and rollback for a request. ``read(engine)`` yields a connection for reads;
whatever it began is rolled back when the block ends.

A database fault (the server gone, a refused connection, a failed statement: any
``SQLAlchemyError`` or ``OSError``) propagates unchanged by default, for callers that
handle it themselves: readiness reports it, the delivery worker and background jobs log
it, the recorder isolates it. With ``unavailable_on_fault=True`` it becomes
``StorageUnavailableError`` instead, the 503 a request answers. Any other exception
(a ``NotFoundError`` raised in the block, say) passes through untouched either way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from listing_gate.errors import StorageUnavailableError

__all__ = ["read", "unavailable", "write"]

_STORE_UNAVAILABLE = "the decision store is unavailable"
# asyncpg and aiosqlite faults arrive wrapped as SQLAlchemyError; a refused or reset
# connection can surface as the bare OSError (ConnectionRefusedError, say).
_FAULTS = (SQLAlchemyError, OSError)


def write(
    engine: AsyncEngine, *, unavailable_on_fault: bool = False
) -> AbstractAsyncContextManager[AsyncConnection]:
    """Returns a context yielding a connection in a transaction: committed at the end of the
    block, rolled back when the block raises."""
    if not unavailable_on_fault:
        # The engine's own context, not a wrapper: this is on every request's path.
        return engine.begin()
    return _mapped(engine.begin())


def read(
    engine: AsyncEngine, *, unavailable_on_fault: bool = False
) -> AbstractAsyncContextManager[AsyncConnection]:
    """Returns a context yielding a connection for reads; what it began is rolled back."""
    if not unavailable_on_fault:
        return engine.connect()
    return _mapped(engine.connect())


def unavailable() -> StorageUnavailableError:
    """Returns the error a request gets when the decision store cannot be reached."""
    return StorageUnavailableError(_STORE_UNAVAILABLE)


@asynccontextmanager
async def _mapped(
    context: AbstractAsyncContextManager[AsyncConnection],
) -> AsyncIterator[AsyncConnection]:
    try:
        async with context as conn:
            yield conn
    except _FAULTS as exc:
        raise unavailable() from exc
