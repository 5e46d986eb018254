"""Shared fixtures: the async backend, and throwaway SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Runs async tests on asyncio, the loop uvicorn serves on."""
    return "asyncio"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file per test."""
    return f"sqlite+aiosqlite:///{tmp_path / 'listing-gate.db'}"


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The libpq URL of a PostgreSQL server the tests may create databases on."""
    return os.environ.get("LISTING_GATE_TEST_PG_ADMIN_URL", DEFAULT_PG_ADMIN_URL)


@pytest.fixture
async def pg_url(pg_admin_url: str) -> AsyncIterator[str]:
    """A fresh PostgreSQL database per test, dropped afterwards; parallel runs never collide."""
    url = await _create_pg_database(pg_admin_url)
    try:
        yield url
    finally:
        await _drop_pg_database(pg_admin_url, url)


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'listing-gate.db'}"
        return
    url = await _create_pg_database(request.getfixturevalue("pg_admin_url"))
    try:
        yield url
    finally:
        await _drop_pg_database(request.getfixturevalue("pg_admin_url"), url)


async def _create_pg_database(admin_url: str) -> str:
    name = f"lg_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


async def _drop_pg_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout: the labelled cases and sample registries."""
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the labelled cases live there")
    return SHARED
