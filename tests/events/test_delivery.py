"""Webhook delivery against a real local receiver: retries, idempotency, dead letters, leases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.app import create_app
from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.repositories import events as repo
from listing_gate.db.tables.events import event_deliveries, webhook_attempts
from listing_gate.domain import Evidence
from listing_gate.events.outbox import OutcomeChange, outbox_row
from listing_gate.events.worker import DeliveryWorker, endpoints
from listing_gate.settings import Settings

from .receiver import running_receiver

pytestmark = pytest.mark.anyio
SECRET = "whsec-test"
NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def _settings(url: str, hooks: list[str], **overrides: Any) -> Settings:
    return Settings(
        **{
            "database_url": url,
            "webhook_urls": hooks,
            "webhook_secret": SECRET,
            "webhook_backoff_base_s": 0.01,
            "webhook_backoff_max_s": 0.05,
            "webhook_poll_s": 0.01,
            **overrides,
        }
    )


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database holding one outcome-change event."""
    engine = make_engine(Settings(database_url=database_url))
    await upgrade_async(engine)
    change = OutcomeChange(
        listing_id="sku-1",
        seller_id="shop-1",
        old_decision="allow",
        new_decision="block",
        old_reason_codes=(),
        reason_codes=("CREDENTIAL_REVOKED",),
        verification_id="01JVERIFICATION000000000000",
        previous_verification_id="01JPREVIOUS00000000000000000",
        evidence=[
            Evidence(
                registry="ccc",
                record_id="2024011609123456",
                status="revoked",
                source="mirror",
                retrieved_at=NOW,
            )
        ],
        occurred_at=NOW,
    )
    async with engine.begin() as conn:
        await repo.insert_events(conn, [outbox_row(change)])
    try:
        yield engine
    finally:
        await engine.dispose()


async def _deliver_until(worker: DeliveryWorker, done: Any) -> None:
    async with asyncio.timeout(15):
        while not done():
            await worker.run_once()
            await asyncio.sleep(0.02)


async def _attempts(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(webhook_attempts.c.outcome).order_by(webhook_attempts.c.id)
        )
        return list(rows.scalars())


async def _statuses(engine: AsyncEngine) -> list[tuple[str, int]]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(event_deliveries.c.status, event_deliveries.c.attempts))
        return [(str(s), int(n)) for s, n in rows]


async def test_a_receiver_failing_twice_processes_the_event_once(
    engine: AsyncEngine, database_url: str
) -> None:
    """Two 500s, then a 200: three signed attempts with one key, one processed event."""
    with running_receiver(SECRET, fail_first=2) as receiver:
        worker = DeliveryWorker(engine, _settings(database_url, [receiver.url]))
        try:
            await _deliver_until(worker, lambda: receiver.processed)
            await worker.run_once()  # nothing is due any more: no fourth request
        finally:
            await worker.stop()
    assert [status for _, status in receiver.requests] == [500, 500, 200]
    assert len({key for key, _ in receiver.requests}) == 1
    assert receiver.bad_signatures == 0
    ((key, body),) = receiver.processed.items()
    event = orjson.loads(body)
    assert event["event_id"] == key
    assert (event["listing_id"], event["old_decision"], event["new_decision"]) == (
        "sku-1",
        "allow",
        "block",
    )
    assert await _attempts(engine) == ["failed", "failed", "delivered"]
    assert await _statuses(engine) == [("delivered", 3)]


async def test_a_delivery_failing_every_time_is_dead_lettered(
    engine: AsyncEngine, database_url: str
) -> None:
    """After webhook_max_attempts failures the delivery is dead and no longer tried."""
    with running_receiver(SECRET, fail_first=1000) as receiver:
        worker = DeliveryWorker(
            engine, _settings(database_url, [receiver.url], webhook_max_attempts=3)
        )
        try:
            await _deliver_until(worker, lambda: len(receiver.requests) >= 3)
            await asyncio.sleep(0.1)
            assert await worker.run_once() == 0
        finally:
            await worker.stop()
    assert len(receiver.requests) == 3
    assert receiver.processed == {}
    assert await _attempts(engine) == ["failed", "failed", "dead_letter"]
    assert await _statuses(engine) == [("dead", 3)]
    assert REGISTRY.get_sample_value("listing_gate_webhook_dead_letters") == 1


async def test_a_delivery_leased_by_a_worker_that_died_is_sent_after_the_lease(
    engine: AsyncEngine, database_url: str
) -> None:
    """At least once: a claimed but never settled delivery is due again when its lease ends."""
    with running_receiver(SECRET, fail_first=0) as receiver:
        settings = _settings(database_url, [receiver.url])
        (endpoint,) = endpoints(settings.webhook_urls)
        async with engine.begin() as conn:  # what a worker does before its POST, then dies
            fresh = await repo.undispatched(conn, 10)
            await repo.dispatch(conn, fresh, [(endpoint.endpoint_id, endpoint.display)], NOW)
            claimed = await repo.claim_due(
                conn,
                endpoint_ids=[endpoint.endpoint_id],
                now=NOW,
                lease_until=NOW + timedelta(minutes=1),
                limit=10,
            )
        assert len(claimed) == 1
        early = DeliveryWorker(engine, settings, clock=lambda: NOW + timedelta(seconds=30))
        late = DeliveryWorker(engine, settings, clock=lambda: NOW + timedelta(minutes=2))
        try:
            assert await early.run_once() == 0
            assert await late.run_once() == 1
        finally:
            await early.stop()
            await late.stop()
    assert [status for _, status in receiver.requests] == [200]
    assert list(receiver.processed) == [claimed[0].event_id]


async def test_every_configured_endpoint_gets_every_event(
    engine: AsyncEngine, database_url: str
) -> None:
    """Each endpoint has its own delivery: one failing does not hold back the other."""
    with (
        running_receiver(SECRET, fail_first=1) as flaky,
        running_receiver(SECRET, fail_first=0) as steady,
    ):
        worker = DeliveryWorker(engine, _settings(database_url, [flaky.url, steady.url]))
        try:
            await _deliver_until(worker, lambda: flaky.processed and steady.processed)
        finally:
            await worker.stop()
    assert list(flaky.processed) == list(steady.processed)
    assert sorted(await _statuses(engine)) == [("delivered", 1), ("delivered", 2)]


async def test_webhook_urls_without_a_secret_are_refused(sqlite_url: str) -> None:
    """Unsigned events would be forgeable by anyone who can reach the receiver."""
    settings = Settings(database_url=sqlite_url, webhook_urls=["https://hooks.example/x"])
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        DeliveryWorker(make_engine(settings), settings)


async def test_the_app_runs_the_worker_only_when_webhooks_are_configured(
    database_url: str,
) -> None:
    """The lifespan starts delivery with webhook URLs and not without."""
    for hooks, running in (([], False), (["https://hooks.example/x"], True)):
        app = create_app(_settings(database_url, hooks, open_mode=True))
        async with app.router.lifespan_context(app):
            assert (app.state.background.delivery is not None) is running
