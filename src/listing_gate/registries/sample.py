"""The sample registries shipped in the package, for the quick start and demos."""

from __future__ import annotations

from importlib.resources import as_file, files

from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories import registry as repo
from listing_gate.domain import REGISTRY_KINDS
from listing_gate.registries.importer import ImportResult, import_file

__all__ = ["load_sample_if_empty"]


async def load_sample_if_empty(engine: AsyncEngine) -> list[ImportResult]:
    """Returns the imports done: each kind holding no records gets the shipped sample file."""
    results = []
    for kind in REGISTRY_KINDS:
        async with unit.read(engine) as conn:
            if await repo.has_records(conn, kind):
                continue
        resource = files("listing_gate") / "data" / "sample" / f"{kind}.jsonl"
        with as_file(resource) as path:
            results.append(await import_file(engine, kind, path))
    return results
