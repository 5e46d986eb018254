"""A recorded world for re-verification, event and report tests, on SQLite and PostgreSQL.

The shared sample registries are imported into the real mirror, then every labelled
case's draft is decided and recorded through the service's own decision path, plus three
listings on one certificate (two allowed, one blocked for its model) so a revocation has
several listings to flip and one to leave blocked. Seeding runs once per session into a
template (a file, a template database); each test gets a fresh copy.
"""

from __future__ import annotations

import copy
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

import dbcopy
from listing_gate.app import create_app
from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.tables.decisions import decisions, listings
from listing_gate.db.tables.reverify import reverify_changes
from listing_gate.domain import REGISTRY_KINDS, ListingDraft, RegistryKind
from listing_gate.registries.importer import import_file
from listing_gate.reverify.jobs import (
    RunStatus,
    changes_since_import,
    prepare_registry_run,
    run_shard,
    run_status,
)
from listing_gate.reverify.runner import RunnerOptions
from listing_gate.reverify.shards import Shard
from listing_gate.runtime import open_resources
from listing_gate.service.auth import SCOPES, Principal, create_key
from listing_gate.service.decisions import Caller
from listing_gate.settings import Settings

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
REGISTRY = SHARED_DATA / "registry"
# The clones on the certificate of the first exact-match case.
TWIN_IDS = ("twin-allow-1", "twin-allow-2")
BLOCKED_TWIN_ID = "twin-blocked-model"
_CALLER = Caller(Principal("seed", "seeding", frozenset(SCOPES)))


def settings(url: str, **overrides: Any) -> Settings:
    """Returns test settings: a deadline no loaded test machine misses (no spurious
    REGISTRY_UNAVAILABLE that a later re-decision would then "fix")."""
    return Settings(**{"database_url": url, "verification_deadline_s": 30.0, **overrides})


def case_drafts() -> list[dict[str, Any]]:
    """Returns the drafts of the labelled cases, in file order."""
    lines = (SHARED_DATA / "cases.jsonl").read_text("utf-8").splitlines()
    return [orjson.loads(line)["draft"] for line in lines if line.strip()]


def exact_draft() -> dict[str, Any]:
    """Returns the first draft whose every field matches a valid certificate."""
    lines = (SHARED_DATA / "cases.jsonl").read_text("utf-8").splitlines()
    cases = [orjson.loads(line) for line in lines if line.strip()]
    return next(c["draft"] for c in cases if "pos_exact" in c["tags"])


def world_drafts() -> list[dict[str, Any]]:
    """Returns every draft the world records: the cases and the certificate's twins."""
    base = exact_draft()
    twins = []
    for listing_id in TWIN_IDS:
        twin = copy.deepcopy(base)
        twin["listing_id"] = listing_id
        twins.append(twin)
    blocked = copy.deepcopy(base)
    blocked["listing_id"] = BLOCKED_TWIN_ID
    blocked["product"]["model"] = "ZQ-99999"
    return [*case_drafts(), *twins, blocked]


def registry_file_with(tmp: Path, kind: str, change: dict[str, Any], key: str) -> Path:
    """Returns a copy of the shared ``kind`` file with the record whose ``key`` matches changed."""
    out = tmp / f"{kind}-changed.jsonl"
    lines = []
    for line in (REGISTRY / f"{kind}.jsonl").read_text("utf-8").splitlines():
        record = orjson.loads(line)
        if record.get(key) == change.get(key):
            record.update(change)
        lines.append(orjson.dumps(record).decode())
    out.write_text("\n".join(lines) + "\n", "utf-8")
    return out


async def import_all(url: str) -> None:
    """Imports every shared registry file into the database at ``url``."""
    engine = make_engine(settings(url))
    try:
        await upgrade_async(engine)
        for kind in REGISTRY_KINDS:
            await import_file(engine, kind, REGISTRY / f"{kind}.jsonl")
    finally:
        await engine.dispose()


async def seed(url: str) -> None:
    """Migrates, imports the registries and records a decision for every world draft."""
    await import_all(url)
    drafts = [ListingDraft.model_validate(d) for d in world_drafts()]
    async with open_resources(settings(url)) as resources:
        await resources.decisions.decide(drafts, _CALLER, origin="api")


async def latest(url: str) -> dict[str, tuple[str, str]]:
    """Returns listing id -> (latest verification id, latest decision)."""
    engine = make_engine(settings(url))
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(
                    listings.c.listing_id,
                    listings.c.latest_verification_id,
                    listings.c.latest_decision,
                )
            )
            return {row[0]: (row[1], row[2]) for row in rows}
    finally:
        await engine.dispose()


async def latest_evidence(url: str) -> dict[str, list[dict[str, Any]]]:
    """Returns listing id -> the evidence of its latest decision."""
    engine = make_engine(settings(url))
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(listings.c.listing_id, decisions.c.evidence_json).join(
                    decisions, decisions.c.verification_id == listings.c.latest_verification_id
                )
            )
            return {listing: orjson.loads(text) for listing, text in rows}
    finally:
        await engine.dispose()


async def twin_certificate_revoked(url: str, tmp: Path) -> Path:
    """Returns a CCC file that revokes the certificate the twin listings were allowed on."""
    cert = next(
        e["record_id"] for e in (await latest_evidence(url))[TWIN_IDS[0]] if e["registry"] == "ccc"
    )
    return registry_file_with(
        tmp, "ccc", {"certificate_no": cert, "status": "revoked"}, "certificate_no"
    )


async def reverify_import(
    url: str, kind: RegistryKind, path: Path, *, page_size: int = 50
) -> RunStatus:
    """Returns the finished run re-deciding what importing ``path`` as ``kind`` changed."""
    async with open_resources(settings(url)) as resources:
        engine = resources.engine
        await import_file(engine, kind, path)
        changes = await changes_since_import(engine, [kind])
        run = await prepare_registry_run(
            engine, resources.lookup.backend, changes, trigger={"by": "test"}
        )
        await run_shard(
            engine,
            resources.decisions.verifier,
            run_id=run.run_id,
            shard=Shard(),
            options=RunnerOptions(page_size=page_size),
        )
        status = await run_status(engine, run.run_id)
    assert status is not None
    return status


@dataclass
class RunningApp:
    """The app inside its lifespan, a client, and bearer headers per scope."""

    app: FastAPI
    client: httpx.AsyncClient
    headers: dict[str, dict[str, str]]


@asynccontextmanager
async def running_app(url: str, **overrides: Any) -> AsyncIterator[RunningApp]:
    """Yields the real app over the database at ``url`` with one key per scope."""
    app = create_app(settings(url, api_key_cache_s=0, **overrides))
    async with app.router.lifespan_context(app):
        engine = app.state.resources.engine
        headers = {}
        for scope in SCOPES:
            key, _row = await create_key(engine, scope, frozenset({scope}))
            headers[scope] = {"Authorization": f"Bearer {key}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gate") as client:
            yield RunningApp(app, client, headers)


def all_revoked(tmp: Path) -> Path:
    """Returns a CCC file with every certificate revoked: most listings change."""
    out = tmp / "ccc-all-revoked.jsonl"
    lines = []
    for line in (REGISTRY / "ccc.jsonl").read_text("utf-8").splitlines():
        record = orjson.loads(line)
        record["status"] = "revoked"
        lines.append(orjson.dumps(record).decode())
    out.write_text("\n".join(lines) + "\n", "utf-8")
    return out


async def reverify_counts(url: str) -> tuple[int, int, int]:
    """Returns (reverify decisions, listings with more than one, change rows)."""
    engine = make_engine(settings(url))
    try:
        async with engine.connect() as conn:
            per_listing = (
                select(decisions.c.listing_id, func.count().label("n"))
                .where(decisions.c.origin == "reverify")
                .group_by(decisions.c.listing_id)
                .subquery()
            )
            total = await conn.scalar(select(func.coalesce(func.sum(per_listing.c.n), 0)))
            doubled = await conn.scalar(
                select(func.count()).select_from(per_listing).where(per_listing.c.n > 1)
            )
            changes = await conn.scalar(select(func.count()).select_from(reverify_changes))
    finally:
        await engine.dispose()
    return int(total or 0), int(doubled or 0), int(changes or 0)


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests build their own Settings; a LISTING_GATE_* variable of the shell must not leak in."""
    for name in list(os.environ):
        if name.startswith("LISTING_GATE_") and not name.startswith("LISTING_GATE_TEST_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def world_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the world."""
    return dbcopy.sqlite_template(tmp_path_factory.mktemp("world"), seed)


@pytest.fixture(scope="session")
def world_pg(pg_admin_url: str) -> Iterator[str]:
    """The name of a PostgreSQL template database holding the world."""
    with dbcopy.pg_template(pg_admin_url, "lg_world", seed) as name:
        yield name


@pytest.fixture(params=["sqlite", "postgres"])
async def world_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_admin_url: str
) -> AsyncIterator[str]:
    """A fresh copy of the world per test, once on SQLite and once on PostgreSQL."""
    kind = "sqlite" if request.param == "sqlite" else "pg"
    template = request.getfixturevalue(f"world_{kind}")
    async with dbcopy.copy_of(template, tmp_path=tmp_path, admin_url=pg_admin_url) as url:
        yield url
