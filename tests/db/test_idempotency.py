"""Idempotency.once: the one operation behind every Idempotency-Key, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from listing_gate.db import unit
from listing_gate.db.engine import make_engine
from listing_gate.db.idempotency import Idempotency, Ticket
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.repositories.access import save_idempotent_answers
from listing_gate.errors import IdempotencyConflictError
from listing_gate.ids import utcnow
from listing_gate.settings import Settings

pytestmark = pytest.mark.anyio

ROUTE = "POST /v1/things"


@pytest.fixture
async def idempotency(database_url: str) -> AsyncIterator[Idempotency]:
    """Idempotency over a migrated fresh database."""
    engine = make_engine(Settings(database_url=database_url))
    await upgrade_async(engine)
    try:
        yield Idempotency(engine, timedelta(hours=1))
    finally:
        await engine.dispose()


class Producer:
    """Counts the answers it produces: b"answer-1", b"answer-2", ..."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, _ticket: Ticket | None) -> bytes:
        self.calls += 1
        return f"answer-{self.calls}".encode()


async def test_without_a_key_every_request_produces_its_answer(idempotency: Idempotency) -> None:
    """No key, nothing remembered: two requests, two answers, neither a replay."""
    produce = Producer()
    first = await idempotency.once("p", None, route=ROUTE, body=b"{}", produce=produce)
    again = await idempotency.once("p", None, route=ROUTE, body=b"{}", produce=produce)
    assert (first.body, first.replayed, again.body, again.replayed) == (
        b"answer-1",
        False,
        b"answer-2",
        False,
    )


async def test_a_retry_replays_the_first_answer_without_producing(
    idempotency: Idempotency,
) -> None:
    """The answer is stored once produced; the same key and body get it back, replayed."""
    produce = Producer()
    first = await idempotency.once("p", "k", route=ROUTE, body=b"{}", produce=produce)
    again = await idempotency.once("p", "k", route=ROUTE, body=b"{}", produce=produce)
    assert (first.body, first.replayed) == (b"answer-1", False)
    assert (again.body, again.replayed) == (b"answer-1", True)
    assert produce.calls == 1


async def test_the_key_with_another_body_or_route_is_a_conflict(idempotency: Idempotency) -> None:
    """A key names one request: another body or another route under it is refused."""
    produce = Producer()
    await idempotency.once("p", "k", route=ROUTE, body=b"{}", produce=produce)
    with pytest.raises(IdempotencyConflictError):
        await idempotency.once("p", "k", route=ROUTE, body=b"{ }", produce=produce)
    with pytest.raises(IdempotencyConflictError):
        await idempotency.once("p", "k", route="POST /v1/other", body=b"{}", produce=produce)
    assert produce.calls == 1


async def test_an_answer_the_request_commits_itself_is_replayed(
    idempotency: Idempotency, database_url: str
) -> None:
    """A request that commits the ticket's row with its own writes is replayed from it."""
    engine = make_engine(Settings(database_url=database_url))

    async def produce(ticket: Ticket | None) -> bytes:
        assert ticket is not None
        now = utcnow()
        async with unit.write(engine) as conn:
            await save_idempotent_answers(conn, [ticket.remember(b"committed", now)], now)
        return b"committed"

    try:
        await idempotency.once("p", "k", route=ROUTE, body=b"{}", produce=produce)
        again = await idempotency.once("p", "k", route=ROUTE, body=b"{}", produce=Producer())
    finally:
        await engine.dispose()
    assert (again.body, again.replayed) == (b"committed", True)


async def test_a_request_that_fails_leaves_its_key_free(idempotency: Idempotency) -> None:
    """Nothing is remembered for a request that raised: its retry is produced afresh."""

    async def fail(_ticket: Ticket | None) -> bytes:
        raise RuntimeError("the decision was not recorded")

    with pytest.raises(RuntimeError):
        await idempotency.once("p", "k", route=ROUTE, body=b"{}", produce=fail)
    retry = await idempotency.once("p", "k", route=ROUTE, body=b"{}", produce=Producer())
    assert (retry.body, retry.replayed) == (b"answer-1", False)
