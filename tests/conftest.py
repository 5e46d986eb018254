"""Shared fixtures: the async backend, and throwaway SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import dbcopy

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
    async with dbcopy.pg_database(pg_admin_url) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'listing-gate.db'}"
        return
    async with dbcopy.pg_database(request.getfixturevalue("pg_admin_url")) as url:
        yield url


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout: the labelled cases and sample registries."""
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the labelled cases live there")
    return SHARED
