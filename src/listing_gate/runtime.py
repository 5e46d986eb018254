"""The resources a running service owns, opened and closed in one place.

The app's lifespan and the CLI (``check``) both go through ``open_resources`` so a
draft checked from the command line takes exactly the path an HTTP request takes:
same verifier, same recorder, same database. ``open_background`` starts what the API
process runs beside requests (re-verification jobs, webhook delivery) and hands each
the resources it needs, so nothing below this module reaches back up for them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db.engine import make_engine, make_sqlite_writer_engine
from listing_gate.db.idempotency import Idempotency
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.recorder import Recorder
from listing_gate.events.worker import DeliveryWorker
from listing_gate.registries.http import HttpBackend, make_http_client
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.mirror import MirrorBackend
from listing_gate.registries.protocol import RegistryBackend
from listing_gate.registries.sample import load_sample_if_empty
from listing_gate.reverify.service import ReverifyJobs
from listing_gate.rules.catalog import Catalog, load_catalog
from listing_gate.rules.policy import Policy, load_policy
from listing_gate.service.auth import KeyStore, load_key_file
from listing_gate.service.decisions import DecisionService, VerifierLike
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

__all__ = [
    "Background",
    "Resources",
    "VerifierFactory",
    "default_verifier",
    "open_background",
    "open_resources",
]

_log = logging.getLogger("listing_gate.runtime")

VerifierFactory = Callable[[Settings, RegistryLookup], VerifierLike]


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything a request may need, built once per process."""

    settings: Settings
    engine: AsyncEngine
    http: httpx.AsyncClient | None
    lookup: RegistryLookup
    catalog: Catalog
    policy: Policy
    keys: KeyStore
    recorder: Recorder
    decisions: DecisionService
    verifier_factory: VerifierFactory


@dataclass(frozen=True, slots=True)
class Background:
    """The app's background services: re-verification jobs, and delivery if configured."""

    jobs: ReverifyJobs
    delivery: DeliveryWorker | None


@asynccontextmanager
async def open_background(resources: Resources) -> AsyncIterator[Background]:
    """Yields the background services; delivery runs only when webhook URLs are set."""
    jobs = ReverifyJobs(
        engine=resources.engine,
        lookup=resources.lookup,
        settings=resources.settings,
        make_verifier=resources.verifier_factory,
    )
    delivery = None
    if resources.settings.webhook_urls:
        delivery = DeliveryWorker(resources.engine, resources.settings)
        await delivery.start()
    try:
        yield Background(jobs, delivery)
    finally:
        await jobs.stop()
        if delivery is not None:
            await delivery.stop()


def default_verifier(settings: Settings, lookup: RegistryLookup) -> VerifierLike:
    """Returns the verification core over the shipped catalog and policy."""
    return Verifier.from_lookup(lookup, deadline_s=settings.verification_deadline_s)


@asynccontextmanager
async def open_resources(
    settings: Settings, *, verifier_factory: VerifierFactory | None = None
) -> AsyncIterator[Resources]:
    """Yields the opened resources: schema migrated, registries ready, writer running."""
    async with AsyncExitStack() as stack:
        engine = make_engine(settings)
        stack.push_async_callback(engine.dispose)
        await upgrade_async(engine)
        if settings.load_sample_data:
            for result in await load_sample_if_empty(engine):
                _log.info(
                    "sample_registry_loaded",
                    extra={"registry": result.kind, "records": result.records},
                )
        http, backend = await _registry_backend(settings, engine, stack)
        lookup = RegistryLookup(backend, settings=settings)
        recorder = Recorder(
            engine,
            queue_max=settings.write_queue_max,
            batch_max=settings.write_batch_max,
            commit_timeout_s=settings.write_commit_timeout_s,
            idempotency_ttl=timedelta(hours=settings.idempotency_ttl_hours),
            writer_engine=make_sqlite_writer_engine(settings),
        )
        await recorder.start()
        stack.push_async_callback(recorder.stop)
        if settings.open_mode:
            _log.warning(
                "OPEN MODE: every request is served without an API key; local development only",
                extra={"open_mode": True},
            )
        keys = KeyStore(
            engine,
            open_mode=settings.open_mode,
            cache_s=settings.api_key_cache_s,
            file_keys=load_key_file(settings.api_keys_file) if settings.api_keys_file else None,
        )
        factory = verifier_factory or default_verifier
        decisions = DecisionService(
            factory(settings, lookup),
            recorder,
            Idempotency(engine, timedelta(hours=settings.idempotency_ttl_hours)),
            concurrency=settings.verify_concurrency,
        )
        yield Resources(
            settings=settings,
            engine=engine,
            http=http,
            lookup=lookup,
            catalog=load_catalog(),
            policy=load_policy(),
            keys=keys,
            recorder=recorder,
            decisions=decisions,
            verifier_factory=factory,
        )


async def _registry_backend(
    settings: Settings, engine: AsyncEngine, stack: AsyncExitStack
) -> tuple[httpx.AsyncClient | None, RegistryBackend]:
    if settings.registry_backend == "mirror":
        return None, MirrorBackend(engine)
    client = make_http_client(settings)
    stack.push_async_callback(client.aclose)
    return client, HttpBackend(client, settings=settings)
