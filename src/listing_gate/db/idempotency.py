"""Idempotency-Key handling: the first answer to a key is the answer to every retry of it.

``Idempotency.once`` is the one operation every idempotent route goes through. It checks
the key, finds the answer remembered for it, replays it or refuses a different request
under the same key, and otherwise lets the request produce its answer and remembers it.
Everything that decides how a key is claimed and stored stays in this module and its
repository, so claiming keys in the database (for several processes) changes only here.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories.access import (
    IdempotentAnswer,
    find_idempotent_answer,
    save_idempotent_answers,
)
from listing_gate.errors import IdempotencyConflictError, InvalidRequestError
from listing_gate.ids import utcnow

__all__ = ["MAX_KEY_LENGTH", "Answer", "Idempotency", "Produce", "Ticket", "fingerprint"]

MAX_KEY_LENGTH = 255


def fingerprint(route: str, body: bytes) -> str:
    """Returns the SHA-256 identifying a request: route and exact body bytes."""
    return hashlib.sha256(route.encode() + b"\n" + body).hexdigest()


@dataclass(frozen=True, slots=True)
class Answer:
    """A JSON body ready to send; ``replayed`` when it is a remembered idempotent answer."""

    body: bytes
    replayed: bool = False


class Ticket:
    """The first request under a key: the answer it gives is the one remembered.

    A request whose answer must be committed with its own writes (a decision and its
    answer, in one transaction) takes the row from ``remember`` and commits it itself;
    otherwise ``Idempotency.once`` stores the answer once the request has produced it.
    """

    __slots__ = ("_fingerprint", "_key", "_principal", "_status_code", "remembered")

    def __init__(self, principal: str, key: str, request: str, status_code: int) -> None:
        self._principal = principal
        self._key = key
        self._fingerprint = request
        self._status_code = status_code
        self.remembered = False

    def remember(self, body: bytes, at: datetime) -> IdempotentAnswer:
        """Returns the row remembering ``body`` as the answer, for the caller to commit."""
        self.remembered = True
        return IdempotentAnswer(
            self._principal, self._key, self._fingerprint, self._status_code, body, at
        )


# Produces the answer of a first request; the ticket is None when it carried no key.
Produce = Callable[[Ticket | None], Awaitable[bytes]]


class Idempotency:
    """Replays remembered answers and serialises concurrent requests that share a key."""

    def __init__(self, engine: AsyncEngine, ttl: timedelta) -> None:
        self._engine = engine
        self.ttl = ttl
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    async def once(
        self,
        principal: str,
        key: str | None,
        *,
        route: str,
        body: bytes,
        produce: Produce,
        status_code: int = 200,
    ) -> Answer:
        """Returns the answer to a request: produced now, or the first one replayed.

        Without a key the request simply produces its answer. With one, requests of
        this process sharing it run one at a time, so a retry racing the original waits
        and then replays its answer. Raises InvalidRequestError for a malformed key and
        IdempotencyConflictError when the key was used for another route or body.
        """
        if key is None:
            return Answer(await produce(None))
        _check(key)
        request = fingerprint(route, body)
        async with self._serialised(principal, key):
            async with unit.read(self._engine) as conn:
                seen = await find_idempotent_answer(conn, principal, key, utcnow() - self.ttl)
            if seen is not None:
                if seen.fingerprint != request:
                    raise IdempotencyConflictError(
                        "this Idempotency-Key was already used with a different request body"
                    )
                return Answer(seen.response_body, replayed=True)
            ticket = Ticket(principal, key, request, status_code)
            answer = await produce(ticket)
            if not ticket.remembered:
                now = utcnow()
                async with unit.write(self._engine) as conn:
                    await save_idempotent_answers(
                        conn, [ticket.remember(answer, now)], now - self.ttl
                    )
            return Answer(answer)

    @asynccontextmanager
    async def _serialised(self, principal: str, key: str) -> AsyncIterator[None]:
        slot = (principal, key)
        lock, users = self._locks.get(slot, (asyncio.Lock(), 0))
        self._locks[slot] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[slot]
            if users <= 1:
                del self._locks[slot]
            else:
                self._locks[slot] = (lock, users - 1)


def _check(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidRequestError(
            "the Idempotency-Key header is invalid",
            [
                {
                    "pointer": "/headers/idempotency-key",
                    "field": "Idempotency-Key",
                    "detail": f"1 to {MAX_KEY_LENGTH} characters",
                    "code": "string_length",
                }
            ],
        )
