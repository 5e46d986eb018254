"""Engine construction: the only place that knows SQLite from PostgreSQL connection details."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from listing_gate.settings import Settings


def is_sqlite(url: str) -> bool:
    """True when the URL names an SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(settings: Settings) -> AsyncEngine:
    """Returns an async engine; SQLite files get WAL, a busy timeout and their folder created."""
    url = make_url(settings.database_url)
    if is_sqlite(settings.database_url):
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(settings))
        return engine
    return create_async_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_size,
        pool_pre_ping=True,
    )


def make_sqlite_writer_engine(settings: Settings) -> Engine | None:
    """Returns a blocking engine on the same SQLite file for the decision writer, else None.

    Its connections never wait for a lock (busy_timeout 0: the writer retries without
    blocking the event loop) and never checkpoint on commit (the writer checkpoints on a
    thread of its own). None for PostgreSQL and in-memory SQLite.
    """
    url = make_url(settings.database_url)
    if not is_sqlite(settings.database_url) or url.database in (None, "", ":memory:"):
        return None
    # Commits run on the loop thread, checkpoints on a helper thread: one pool, two threads.
    engine = create_engine(
        url.set(drivername="sqlite"), connect_args={"timeout": 0, "check_same_thread": False}
    )
    event.listen(engine, "connect", _sqlite_pragmas(settings))
    event.listen(engine, "connect", _sqlite_writer_pragmas)
    return engine


def _sqlite_writer_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _sqlite_pragmas(settings: Settings) -> Callable[[Any, Any], None]:
    # WAL lets readers run beside the single writer. synchronous=FULL syncs the WAL at
    # every commit, so an answered decision survives an OS crash or a power cut, not only
    # a killed process (NORMAL, which syncs at checkpoints only); see the setting.
    synchronous = settings.sqlite_synchronous

    def pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return pragmas
