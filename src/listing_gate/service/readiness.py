"""Readiness: the database answers and every registry is loaded and fresh."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories.health import ping
from listing_gate.registries.freshness import Freshness

__all__ = ["FreshnessSource", "Readiness", "check_readiness", "freshness_json"]

_PING_TIMEOUT_S = 2.0


class FreshnessSource(Protocol):
    """Anything that reports registry freshness (the RegistryLookup)."""

    async def freshness(self) -> Mapping[str, Freshness]:
        """Returns freshness per registry kind."""
        ...


@dataclass(frozen=True, slots=True)
class Readiness:
    """Whether the service may take traffic, each check's result, and why not."""

    ready: bool
    reasons: list[str]
    checks: dict[str, Any]


async def check_readiness(engine: AsyncEngine, lookup: FreshnessSource) -> Readiness:
    """Returns readiness: a database ping plus every registry loaded and not stale."""
    reasons: list[str] = []
    database = await _ping(engine)
    if database is not None:
        reasons.append(f"database: {database}")
    registries = await lookup.freshness()
    for kind, info in registries.items():
        if info.error:
            reasons.append(f"registry {kind}: {info.error}")
        elif not info.loaded:
            reasons.append(f"registry {kind}: not loaded")
        elif info.stale:
            reasons.append(
                f"registry {kind}: stale ({info.age_s:.0f}s old, max {info.max_age_s:.0f}s)"
            )
    checks = {
        "database": {"ok": database is None, "error": database},
        "registries": {kind: freshness_json(info) for kind, info in registries.items()},
    }
    return Readiness(ready=not reasons, reasons=reasons, checks=checks)


def freshness_json(info: Freshness) -> dict[str, Any]:
    """Returns one registry's freshness as the API shows it."""
    return {
        "registry": info.kind,
        "source": info.source,
        "records": info.records,
        # "Z" rather than "+00:00": the form every other timestamp of the API uses.
        "last_import_at": info.last_import_at.isoformat().replace("+00:00", "Z")
        if info.last_import_at
        else None,
        "age_s": None if info.age_s is None else round(info.age_s, 1),
        "max_age_s": info.max_age_s,
        "loaded": info.loaded,
        "stale": info.stale,
        "error": info.error,
    }


async def _ping(engine: AsyncEngine) -> str | None:
    try:
        async with asyncio.timeout(_PING_TIMEOUT_S):
            async with unit.read(engine) as conn:
                await ping(conn)
    except TimeoutError:
        return f"no answer within {_PING_TIMEOUT_S:g}s"
    except Exception as exc:  # any failure to answer means not ready
        # The class only: the message can name hosts and users, and /readyz is public.
        return f"unreachable ({type(exc).__name__})"
    return None
