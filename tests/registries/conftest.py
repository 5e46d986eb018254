"""Registry fixtures: sample records, a loaded mirror, and a fake registry API (respx)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import orjson
import pytest
import respx
import stamina
from sqlalchemy.ext.asyncio import AsyncEngine

import dbcopy
from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.domain import REGISTRY_KINDS
from listing_gate.registries.http import make_http_client
from listing_gate.registries.importer import import_file
from listing_gate.registries.keys import RecordKeys, keys_for
from listing_gate.registries.protocol import RECORD_MODELS
from listing_gate.settings import Settings

API_BASE = "http://registry.test/v1"
CHANGED_AT = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
Records = dict[str, list[dict[str, Any]]]


@pytest.fixture(autouse=True)
def _no_retry_sleeps() -> Iterator[None]:
    """Retries happen (up to three attempts) but never sleep in tests."""
    with stamina.set_testing(True, attempts=3):
        yield


@pytest.fixture(scope="session")
def sample_dir(shared_dir: Path) -> Path:
    """The sample registry files of ../shared/data/registry."""
    return shared_dir / "data" / "registry"


@pytest.fixture(scope="session")
def sample_records(sample_dir: Path) -> Records:
    """Every sample record as parsed JSON, by kind."""
    return {
        kind: [
            orjson.loads(line) for line in (sample_dir / f"{kind}.jsonl").read_bytes().splitlines()
        ]
        for kind in REGISTRY_KINDS
    }


def settings_for(url: str = "sqlite+aiosqlite:///:memory:", **overrides: Any) -> Settings:
    """Returns test settings for a database URL, with the registry API at API_BASE."""
    values: dict[str, Any] = {"database_url": url, "registry_http_base_url": API_BASE}
    return Settings(**(values | overrides))


async def loaded_mirror(url: str, sample_dir: Path) -> AsyncEngine:
    """Returns an engine on a migrated database holding every sample registry."""
    engine = make_engine(settings_for(url))
    await upgrade_async(engine)
    for kind in REGISTRY_KINDS:
        await import_file(engine, kind, sample_dir / f"{kind}.jsonl")
    return engine


class FakeRegistryApi:
    """Answers like the registry API from sample records; a respx side effect."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.keys: dict[str, list[tuple[RecordKeys, dict[str, Any]]]] = {
            kind: [
                (keys_for(kind, RECORD_MODELS[kind].model_validate(r)), r) for r in records[kind]
            ]
            for kind in REGISTRY_KINDS
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        """Returns the response for one GET under API_BASE."""
        path = unquote(request.url.path).removeprefix("/v1")
        head, _, rest = path.strip("/").partition("/")
        handlers = {
            "ccc": self._record,
            "license": self._record,
            "recall": self._search,
            "spot_check": self._search,
            "standard": self._standards,
            "status": self._status,
            "changes": self._changes,
        }
        handler = handlers.get(head)
        return handler(head, rest, request.url.params) if handler else httpx.Response(404)

    def _record(self, kind: str, key: str, _query: httpx.QueryParams) -> httpx.Response:
        matches = [r for k, r in self.keys[kind] if k.key == key]
        if not matches:
            return httpx.Response(404, json={"detail": "not found"})
        return httpx.Response(200, json=max(matches, key=lambda r: r.get("issued_on") or ""))

    def _search(self, kind: str, _rest: str, query: httpx.QueryParams) -> httpx.Response:
        model, cores = query.get("model"), set(query.get_list("manufacturer"))
        found = [
            r
            for k, r in self.keys[kind]
            if model in k.model_keys or cores & set(k.manufacturer_cores)
        ]
        return httpx.Response(200, json=found)

    def _standards(self, kind: str, _rest: str, query: httpx.QueryParams) -> httpx.Response:
        wanted = set(query.get_list("number"))
        return httpx.Response(200, json=[r for k, r in self.keys[kind] if k.key in wanted])

    def _status(self, _kind: str, _rest: str, _query: httpx.QueryParams) -> httpx.Response:
        rows = [
            {"kind": kind, "records": len(rows), "last_import_at": CHANGED_AT.isoformat()}
            for kind, rows in self.records.items()
        ]
        return httpx.Response(200, json={"registries": rows})

    def _changes(self, _head: str, kind: str, query: httpx.QueryParams) -> httpx.Response:
        since = datetime.fromisoformat(query["since"])
        rows = [] if since >= CHANGED_AT else self.keys[kind]
        start = int(query.get("cursor") or 0)
        changes = [
            {
                "record_id": k.record_id,
                "key": k.key,
                "changed_at": CHANGED_AT.isoformat(),
                "record": r,
            }
            for k, r in rows[start : start + 100]
        ]
        more = start + 100 < len(rows)
        return httpx.Response(
            200, json={"changes": changes, "next": str(start + 100) if more else None}
        )


@contextmanager
def fake_registry_api(records: Records) -> Iterator[respx.MockRouter]:
    """Serves `records` under API_BASE at the httpx transport; the route is named `api`."""
    with respx.mock(base_url=API_BASE, assert_all_called=False) as router:
        router.get(url__startswith=API_BASE, name="api").mock(side_effect=FakeRegistryApi(records))
        yield router


@pytest.fixture
def registry_api(sample_records: Records) -> Iterator[respx.MockRouter]:
    """The fake registry API serving the sample records for one test."""
    with fake_registry_api(sample_records) as router:
        yield router


def scratch_pg_database(admin_url: str) -> AbstractAsyncContextManager[str]:
    """Returns a context yielding the URL of a new PostgreSQL database, dropped on exit."""
    return dbcopy.pg_database(admin_url, prefix="lg_reg")


@pytest.fixture
async def http_client() -> AsyncIterator[httpx.AsyncClient]:
    """The shared registry client as the service builds it."""
    async with make_http_client(settings_for()) as client:
        yield client
