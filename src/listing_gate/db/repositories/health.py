"""SQL of the readiness probe: the cheapest statement the database must answer."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["ping"]


async def ping(conn: AsyncConnection) -> None:
    """Returns once the database has answered a trivial query; raises its fault otherwise."""
    await conn.execute(text("SELECT 1"))
