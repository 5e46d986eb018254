"""Test databases: the one place PostgreSQL test databases are created and dropped, and
seeded templates with cheap per-test copies of them, on SQLite and PostgreSQL.

Every PostgreSQL database gets a unique name, so parallel runs never collide. Seeding
(migrations, registry imports, recorded listings) is slow; copying a seeded template
is not. A session builds each template once; every test gets its own copy.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.engine import make_url

Seed = Callable[[str], Coroutine[Any, Any, None]]
T = TypeVar("T")


def run_sync(work: Coroutine[Any, Any, T]) -> T:
    """Returns a coroutine's result, even when called from inside a running test loop."""
    # Session fixtures may be set up from inside a running loop: a thread of their own
    # runs the coroutine all the same.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def pg_url(admin_url: str, name: str) -> str:
    """Returns the asyncpg URL of database ``name`` on the admin URL's server."""
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


async def pg_execute(admin_url: str, sql: str) -> None:
    """Runs one statement (CREATE or DROP DATABASE) on the admin connection."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def create_pg_database(admin_url: str, prefix: str, template: str | None = None) -> str:
    """Returns the name of a new, uniquely named database: empty, or a copy of ``template``."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template is not None else ""
    await pg_execute(admin_url, f'CREATE DATABASE "{name}"{copy}')
    return name


async def drop_pg_database(admin_url: str, name: str) -> None:
    """Drops the database, closing whatever connections are still open on it."""
    await pg_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@asynccontextmanager
async def pg_database(
    admin_url: str, *, prefix: str = "lg_test", template: str | None = None
) -> AsyncIterator[str]:
    """Yields the URL of a new database (a copy of ``template`` if given), dropped on exit."""
    name = await create_pg_database(admin_url, prefix, template)
    try:
        yield pg_url(admin_url, name)
    finally:
        await drop_pg_database(admin_url, name)


def sqlite_template(directory: Path, seed: Seed) -> Path:
    """Returns a seeded SQLite file in ``directory``."""
    path = directory / "template.db"
    run_sync(seed(f"sqlite+aiosqlite:///{path}"))
    return path


@contextmanager
def pg_template(admin_url: str, prefix: str, seed: Seed) -> Iterator[str]:
    """Yields the name of a seeded PostgreSQL database, dropped at the end."""
    name = run_sync(create_pg_database(admin_url, prefix))
    try:
        run_sync(seed(pg_url(admin_url, name)))
        yield name
    finally:
        run_sync(drop_pg_database(admin_url, name))


@asynccontextmanager
async def copy_of(template: Path | str, *, tmp_path: Path, admin_url: str) -> AsyncIterator[str]:
    """Yields the URL of a fresh copy of a template: an SQLite file or a PostgreSQL database."""
    if isinstance(template, Path):
        target = tmp_path / "listing-gate.db"
        shutil.copyfile(template, target)
        yield f"sqlite+aiosqlite:///{target}"
        return
    async with pg_database(admin_url, template=template) as url:
        yield url
