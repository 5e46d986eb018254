"""Group commit: concurrent decisions share transactions, a full queue pushes back, a failed
write is never reported as recorded."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

import dbcopy
from listing_gate.db.engine import make_engine, make_sqlite_writer_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.recorder import Recorder
from listing_gate.db.repositories.decisions import CitedRecord, DecisionRow
from listing_gate.db.tables.decisions import decisions
from listing_gate.errors import OverloadedError, StorageUnavailableError
from listing_gate.ids import new_id
from listing_gate.settings import Settings

pytestmark = pytest.mark.anyio


def _row(listing_id: str = "sku-1", verification_id: str | None = None) -> DecisionRow:
    now = datetime.now(UTC)
    return DecisionRow(
        verification_id=verification_id or new_id(),
        listing_id=listing_id,
        seller_id="shop-1",
        seller_shop_name=None,
        seller_legal_name=None,
        seller_credit_code=None,
        decision="allow",
        key_product=False,
        category_code=None,
        reason_codes_json="[]",
        reasons_json="[]",
        evidence_json="[]",
        draft_json="{}",
        verification_json="{}",
        policy_version="test",
        decided_at=now,
        recorded_at=now,
        origin="api",
        api_key_id=None,
        request_id=None,
        evidence=(CitedRecord("ccc", "2024011609123456", "valid"),),
    )


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated engine on a fresh database (SQLite and PostgreSQL)."""
    engine = make_engine(Settings(database_url=database_url))
    await upgrade_async(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


def _recorder(engine: AsyncEngine, **overrides: Any) -> Recorder:
    # As the service builds it: on SQLite the loop-thread writer, else the async engine.
    url = engine.url.render_as_string(hide_password=False)
    options: dict[str, Any] = {
        "queue_max": 1000,
        "batch_max": 500,
        "commit_timeout_s": 10.0,
        "idempotency_ttl": timedelta(hours=1),
        "writer_engine": make_sqlite_writer_engine(Settings(database_url=url)),
    } | overrides
    return Recorder(engine, **options)


async def _stored(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(decisions))).scalar_one())


async def test_concurrent_decisions_share_commits(engine: AsyncEngine) -> None:
    """Fifty requests at once are recorded in far fewer than fifty transactions."""
    commits = 0

    def count(_conn: Any) -> None:
        nonlocal commits
        commits += 1

    event.listen(engine.sync_engine, "commit", count)
    recorder = _recorder(engine)
    await recorder.start()
    try:
        await asyncio.gather(*(recorder.record([_row(f"sku-{i}")]) for i in range(50)))
    finally:
        await recorder.stop()
    assert await _stored(engine) == 50
    assert commits <= 5


async def test_full_queue_refuses_with_overloaded(engine: AsyncEngine) -> None:
    """Past the queue bound requests are refused (503), and only the accepted ones stored."""
    recorder = _recorder(engine, queue_max=5)
    await recorder.start()
    try:
        outcomes = await asyncio.gather(
            *(recorder.record([_row(f"sku-{i}")]) for i in range(10)), return_exceptions=True
        )
    finally:
        await recorder.stop()
    refused = [o for o in outcomes if isinstance(o, OverloadedError)]
    assert len(refused) == 5
    assert await _stored(engine) == 5


async def test_a_bad_row_fails_alone(engine: AsyncEngine) -> None:
    """A row that cannot be stored fails its own request, not the ones batched with it."""
    recorder = _recorder(engine)
    await recorder.start()
    try:
        taken = new_id()
        await recorder.record([_row(verification_id=taken)])
        outcomes = await asyncio.gather(
            recorder.record([_row("a")]),
            recorder.record([_row("b", verification_id=taken)]),
            recorder.record([_row("c")]),
            return_exceptions=True,
        )
    finally:
        await recorder.stop()
    assert outcomes[0] is None
    assert isinstance(outcomes[1], StorageUnavailableError)
    assert outcomes[2] is None
    assert await _stored(engine) == 3


def _refusals(reason: str) -> float:
    value = REGISTRY.get_sample_value("listing_gate_write_rejections_total", {"reason": reason})
    return value or 0.0


def _refused_values(engine: AsyncEngine) -> list[str]:
    # No driver can encode a lone surrogate; PostgreSQL also refuses U+0000 in text, which
    # the edge now refuses first but the recorder must survive all the same.
    return ["\ud800", "sku\x00"] if engine.dialect.name == "postgresql" else ["\ud800"]


async def test_honest_writes_batched_with_a_refused_row_all_commit(engine: AsyncEngine) -> None:
    """Rows the database refuses fail alone; every honest write of their group commits."""
    recorder = _recorder(engine)
    refused = _refused_values(engine)
    storage, row = _refusals("storage"), _refusals("row_refused")
    await recorder.start()
    try:
        honest = [_row(f"sku-{i}") for i in range(40)]
        poisoned = [_row(value) for value in refused]
        rows = honest[:20] + poisoned + honest[20:]
        outcomes = await asyncio.gather(
            *(recorder.record([r]) for r in rows), return_exceptions=True
        )
    finally:
        await recorder.stop()
    failed = [r.listing_id for r, o in zip(rows, outcomes, strict=True) if o is not None]
    assert failed == refused
    assert all(isinstance(o, StorageUnavailableError) for o in outcomes if o is not None)
    assert await _stored(engine) == 40
    assert _refusals("row_refused") - row == len(refused)
    assert _refusals("storage") == storage


async def test_stop_commits_what_is_queued_then_refuses(engine: AsyncEngine) -> None:
    """Shutdown drains the queue; afterwards nothing more is accepted."""
    recorder = _recorder(engine)
    await recorder.start()
    pending = [asyncio.create_task(recorder.record([_row(f"s{i}")])) for i in range(20)]
    await asyncio.sleep(0)
    await recorder.stop()
    await asyncio.gather(*pending)
    assert await _stored(engine) == 20
    with pytest.raises(StorageUnavailableError):
        await recorder.record([_row()])


@pytest.mark.postgres
async def test_database_down_is_storage_unavailable(pg_url: str, pg_admin_url: str) -> None:
    """With the database gone the write fails loudly; the caller never hears 'recorded'."""
    engine = make_engine(Settings(database_url=pg_url))
    await upgrade_async(engine)
    recorder = _recorder(engine, commit_timeout_s=5.0)
    await recorder.start()
    try:
        await dbcopy.drop_pg_database(pg_admin_url, str(make_url(pg_url).database))
        with pytest.raises(StorageUnavailableError):
            await recorder.record([_row()])
    finally:
        await recorder.stop()
        await engine.dispose()


@pytest.mark.postgres
async def test_an_outage_fails_the_group_at_once_without_halving(
    pg_url: str, pg_admin_url: str
) -> None:
    """With the database gone, a group fails in a few attempts, counted as storage failures."""
    engine = make_engine(Settings(database_url=pg_url))
    await upgrade_async(engine)
    attempts = 0

    def count(*_args: Any) -> None:
        nonlocal attempts
        attempts += 1

    event.listen(engine.sync_engine, "do_connect", count)
    recorder = _recorder(engine)
    await recorder.start()
    storage, row = _refusals("storage"), _refusals("row_refused")
    try:
        await dbcopy.drop_pg_database(pg_admin_url, str(make_url(pg_url).database))
        outcomes = await asyncio.gather(
            *(recorder.record([_row(f"sku-{i}")]) for i in range(32)), return_exceptions=True
        )
    finally:
        await recorder.stop()
        await engine.dispose()
    assert all(isinstance(o, StorageUnavailableError) for o in outcomes)
    assert attempts <= 3
    assert _refusals("storage") - storage == 32
    assert _refusals("row_refused") == row


async def test_sqlite_writer_waits_out_another_writer(sqlite_url: str) -> None:
    """A lock held by another connection delays the commit; it neither fails nor blocks."""
    engine = make_engine(Settings(database_url=sqlite_url))
    await upgrade_async(engine)
    recorder = _recorder(engine)
    await recorder.start()
    try:
        async with engine.connect() as other:
            await other.exec_driver_sql("BEGIN IMMEDIATE")  # holds the write lock
            pending = asyncio.create_task(recorder.record([_row()]))
            await asyncio.sleep(0.2)
            assert not pending.done()  # and the loop kept running: this line ran
            await other.exec_driver_sql("ROLLBACK")
        await pending
        assert await _stored(engine) == 1
    finally:
        await recorder.stop()
        await engine.dispose()
