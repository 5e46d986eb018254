"""The test databases the other suites rely on can be created and reached."""

import asyncpg
import pytest
from sqlalchemy.engine import make_url


@pytest.mark.anyio
async def test_pg_url_names_a_fresh_reachable_database(pg_url: str) -> None:
    """A per-test PostgreSQL database exists and is empty."""
    url = make_url(pg_url).set(drivername="postgresql")
    conn = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        tables = await conn.fetchval(
            "select count(*) from information_schema.tables where table_schema = 'public'"
        )
    finally:
        await conn.close()
    assert tables == 0
