"""What the API process runs beside requests: re-verification jobs and webhook delivery."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from listing_gate.events.worker import DeliveryWorker
from listing_gate.reverify.service import ReverifyJobs
from listing_gate.runtime import Resources

__all__ = ["Background", "open_background"]


@dataclass(frozen=True, slots=True)
class Background:
    """The app's background services: re-verification jobs, and delivery if configured."""

    jobs: ReverifyJobs
    delivery: DeliveryWorker | None


@asynccontextmanager
async def open_background(resources: Resources) -> AsyncIterator[Background]:
    """Yields the background services; delivery runs only when webhook URLs are set."""
    jobs = ReverifyJobs(resources)
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
