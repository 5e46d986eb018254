"""The webhook delivery worker: fans outbox events out to endpoints and posts them.

At least once: a delivery is leased before its POST and settled after it, so a worker
that dies mid-POST leaves the delivery due again when the lease ends; receivers dedupe
by the ``Idempotency-Key`` (the event id). Failures retry with exponential backoff and
jitter until ``webhook_max_attempts``, then the delivery is dead-lettered. Several
workers (one per API pod) can run at once: PostgreSQL hands each different rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories import events as repo
from listing_gate.events.backoff import retry_delay
from listing_gate.events.signing import signed_headers
from listing_gate.ids import utcnow
from listing_gate.observability.metrics import WEBHOOK_DEAD_LETTERS, WEBHOOK_DELIVERIES
from listing_gate.settings import Settings

__all__ = ["DeliveryWorker", "Endpoint", "endpoints"]

_log = logging.getLogger("listing_gate.events")
_LEASE_MARGIN_S = 30.0  # beyond the POST timeout, before a leased delivery is due again


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A configured webhook URL, its stable id, and a display form without secrets."""

    url: str
    endpoint_id: str
    display: str


def endpoints(urls: list[str]) -> list[Endpoint]:
    """Returns the endpoints of the configured URLs (duplicates once)."""
    out = []
    for url in dict.fromkeys(urls):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"webhook URL {parts.scheme}://{parts.hostname} is not http(s)")
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        endpoint_id = hashlib.sha256(url.encode()).hexdigest()[:16]
        out.append(Endpoint(url, endpoint_id, f"{parts.scheme}://{host}{parts.path}"))
    return out


class DeliveryWorker:
    """Delivers outcome-change events to every configured endpoint."""

    def __init__(
        self,
        engine: AsyncEngine,
        settings: Settings,
        *,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = utcnow,
        uniform: Callable[[float, float], float] = random.uniform,
    ) -> None:
        if settings.webhook_urls and settings.webhook_secret is None:
            raise ValueError(
                "LISTING_GATE_WEBHOOK_URLS is set but LISTING_GATE_WEBHOOK_SECRET is not"
            )
        self._engine = engine
        self._settings = settings
        self._endpoints = {e.endpoint_id: e for e in endpoints(settings.webhook_urls)}
        secret = settings.webhook_secret
        self._secret = secret.get_secret_value() if secret is not None else None
        self._own_client = client is None
        # No redirects: a signed body must reach the configured URL and no other.
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(settings.webhook_timeout_s), follow_redirects=False
        )
        self._clock = clock
        self._uniform = uniform
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Starts delivering in the background until ``stop``."""
        self._stopping.clear()
        self._task = asyncio.create_task(self.run(), name="webhook-delivery")

    def request_stop(self) -> None:
        """Asks ``run`` to return after the batch in flight (safe from a signal handler)."""
        self._stopping.set()

    async def stop(self) -> None:
        """Stops after the batch in flight (its results recorded) and closes the client."""
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._own_client:
            await self._client.aclose()

    async def run(self, *, until_idle: bool = False) -> None:
        """Delivers until stopped (or, with ``until_idle``, until nothing is due)."""
        await self._publish_dead_letters()
        while not self._stopping.is_set():
            try:
                attempted = await self.run_once()
            except Exception:  # the worker must outlive a database outage
                _log.exception("webhook_delivery_failed")
                attempted = 0
            if attempted:
                continue
            if until_idle:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._settings.webhook_poll_s)

    async def run_once(self) -> int:
        """Returns how many deliveries were attempted after fanning out new events."""
        if not self._endpoints:
            return 0
        now = self._clock()
        async with unit.write(self._engine) as conn:
            fresh = await repo.undispatched(conn, self._settings.webhook_batch_size * 10)
            targets = [(e.endpoint_id, e.display) for e in self._endpoints.values()]
            await repo.dispatch(conn, fresh, targets, now)
        lease = timedelta(seconds=self._settings.webhook_timeout_s + _LEASE_MARGIN_S)
        async with unit.write(self._engine) as conn:
            due = await repo.claim_due(
                conn,
                endpoint_ids=list(self._endpoints),
                now=now,
                lease_until=now + lease,
                limit=self._settings.webhook_batch_size,
            )
        if not due:
            return 0
        attempts = await asyncio.gather(*(self._deliver(item) for item in due))
        async with unit.write(self._engine) as conn:
            await repo.record_attempts(conn, attempts)
        if any(a.outcome == "dead_letter" for a in attempts):
            await self._publish_dead_letters()
        return len(due)

    async def _publish_dead_letters(self) -> None:
        # The gauge shows dead letters held, not just those of this process's lifetime.
        try:
            async with unit.read(self._engine) as conn:
                counts = await repo.count_by_status(conn)
        except Exception:  # a metric is not worth failing delivery for
            _log.warning("webhook_dead_letter_count_failed", exc_info=True)
            return
        WEBHOOK_DEAD_LETTERS.set(counts.get("dead", 0))

    async def _deliver(self, due: repo.Due) -> repo.Attempt:
        endpoint = self._endpoints[due.endpoint_id]
        body = due.payload.encode()
        headers = signed_headers(self._secret, due.event_id, int(time.time()), body)
        attempt = due.attempts + 1
        started = time.perf_counter()
        code: int | None = None
        error: str | None = None
        try:
            response = await self._client.post(endpoint.url, content=body, headers=headers)
            code = response.status_code
            if not 200 <= code < 300:  # HTTP success is the whole 2xx class
                error = f"HTTP {code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        elapsed = int((time.perf_counter() - started) * 1000)
        at = self._clock()
        if error is None:
            outcome = "delivered"
        elif attempt >= self._settings.webhook_max_attempts:
            outcome = "dead_letter"
            _log.warning(
                "webhook_dead_letter",
                extra={"event_id": due.event_id, "endpoint": endpoint.display, "error": error},
            )
        else:
            outcome = "failed"
        WEBHOOK_DELIVERIES.labels(outcome=outcome).inc()
        delay = retry_delay(
            attempt,
            base_s=self._settings.webhook_backoff_base_s,
            cap_s=self._settings.webhook_backoff_max_s,
            uniform=self._uniform,
        )
        return repo.Attempt(
            event_id=due.event_id,
            endpoint_id=due.endpoint_id,
            attempt=attempt,
            attempted_at=at,
            outcome=outcome,
            status_code=code,
            error=error,
            duration_ms=elapsed,
            next_attempt_at=at + timedelta(seconds=delay),
        )
