"""API fixtures: the real app over a real database (SQLite and PostgreSQL) seeded with the
package's sample registries, driven through ASGITransport inside its lifespan.

Seeding takes seconds, so it is done once per session into a template (a file for SQLite,
a template database for PostgreSQL) and each test gets a fresh copy of it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI

import dbcopy
from listing_gate.app import create_app
from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.registries.sample import load_sample_if_empty
from listing_gate.runtime import Resources, VerifierFactory
from listing_gate.service.auth import create_key
from listing_gate.settings import Settings

# Key name -> scopes; every test app gets one key of each.
KEYS = {
    "verifier": {"verify"},
    "reader": {"read"},
    "both": {"verify", "read"},
    "admin": {"admin"},
}


@dataclass
class Api:
    """A running app, a client for it, its resources, and one API key per scope set."""

    app: FastAPI
    client: httpx.AsyncClient
    resources: Resources
    keys: dict[str, str]

    def auth(self, name: str = "both") -> dict[str, str]:
        """Returns the Authorization header of the named key."""
        return {"Authorization": f"Bearer {self.keys[name]}"}


StartApi = Callable[..., AbstractAsyncContextManager[Api]]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests build their own Settings; a LISTING_GATE_* variable of the shell must not leak in."""
    for name in list(os.environ):
        if name.startswith("LISTING_GATE_") and not name.startswith("LISTING_GATE_TEST_"):
            monkeypatch.delenv(name)


async def _seed(url: str) -> None:
    engine = make_engine(Settings(database_url=url))
    try:
        await upgrade_async(engine)
        await load_sample_if_empty(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the sample registries."""
    return dbcopy.sqlite_template(tmp_path_factory.mktemp("template"), _seed)


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> Iterator[str]:
    """The name of a migrated PostgreSQL database holding the sample registries."""
    with dbcopy.pg_template(pg_admin_url, "lg_tpl", _seed) as name:
        yield name


@pytest.fixture(params=["sqlite", "postgres"])
async def seeded_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_admin_url: str
) -> AsyncIterator[str]:
    """A fresh seeded database per test, once on SQLite and once on PostgreSQL."""
    template = request.getfixturevalue(
        f"{'sqlite' if request.param == 'sqlite' else 'pg'}_template"
    )
    async with dbcopy.copy_of(template, tmp_path=tmp_path, admin_url=pg_admin_url) as url:
        yield url


@pytest.fixture
def start_api(seeded_url: str) -> StartApi:
    """Returns an opener of the app with settings overrides and an optional verifier."""

    @asynccontextmanager
    async def start(
        *, verifier_factory: VerifierFactory | None = None, **overrides: Any
    ) -> AsyncIterator[Api]:
        # No key cache by default, so a revocation is seen by the very next request.
        settings = Settings(**{"database_url": seeded_url, "api_key_cache_s": 0, **overrides})
        app = create_app(settings, verifier_factory=verifier_factory)
        async with app.router.lifespan_context(app):
            resources: Resources = app.state.resources
            keys = {
                name: (await create_key(resources.engine, name, frozenset(scopes)))[0]
                for name, scopes in KEYS.items()
            }
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gate") as client:
                yield Api(app, client, resources, keys)

    return start


@pytest.fixture
async def api(start_api: StartApi) -> AsyncIterator[Api]:
    """The app with default settings (keys required), running."""
    async with start_api() as running:
        yield running


@pytest.fixture(scope="session")
def cases(shared_dir: Path) -> list[dict[str, Any]]:
    """The labelled cases of ../shared/data/cases.jsonl, as parsed JSON."""
    text = (shared_dir / "data" / "cases.jsonl").read_text("utf-8")
    return [orjson.loads(line) for line in text.splitlines() if line.strip()]


def _first(cases: list[dict[str, Any]], family: str) -> dict[str, Any]:
    return next(c["draft"] for c in cases if family in c["tags"])


@pytest.fixture(scope="session")
def block_draft(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """A draft the law forbids: its model is one character off the certificate's."""
    return _first(cases, "neg_model_not_covered")


@pytest.fixture(scope="session")
def allow_draft(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """A draft whose every field matches a valid certificate."""
    return _first(cases, "pos_exact")
