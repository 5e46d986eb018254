"""Idempotency-Key handling: the first answer to a key is the answer to every retry of it."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories.access import IdempotentAnswer, find_idempotent_answer
from listing_gate.errors import IdempotencyConflictError, InvalidRequestError

__all__ = ["MAX_KEY_LENGTH", "Idempotency", "fingerprint"]

MAX_KEY_LENGTH = 255


def fingerprint(route: str, body: bytes) -> str:
    """Returns the SHA-256 identifying a request: route and exact body bytes."""
    return hashlib.sha256(route.encode() + b"\n" + body).hexdigest()


class Idempotency:
    """Looks up remembered answers and serialises concurrent requests that share a key."""

    def __init__(self, engine: AsyncEngine, ttl: timedelta) -> None:
        self._engine = engine
        self.ttl = ttl
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def claim(
        self, principal: str, key: str, request_fingerprint: str
    ) -> AsyncIterator[IdempotentAnswer | None]:
        """Yields the remembered answer for the key, or None when this request is the first.

        While the block runs no other request of this process with the same key does,
        so a retry racing the original waits and then replays its answer. Raises
        IdempotencyConflictError when the key was used for another request.
        """
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
        slot = (principal, key)
        lock, users = self._locks.get(slot, (asyncio.Lock(), 0))
        self._locks[slot] = (lock, users + 1)
        try:
            async with lock:
                async with unit.read(self._engine) as conn:
                    answer = await find_idempotent_answer(
                        conn, principal, key, datetime.now(UTC) - self.ttl
                    )
                if answer is not None and answer.fingerprint != request_fingerprint:
                    raise IdempotencyConflictError(
                        "this Idempotency-Key was already used with a different request body"
                    )
                yield answer
        finally:
            lock, users = self._locks[slot]
            if users <= 1:
                del self._locks[slot]
            else:
                self._locks[slot] = (lock, users - 1)
