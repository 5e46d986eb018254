"""Registry-driven selection: the listings a registry change can alter, and no others.

For every record of a kind changed after a time (``RegistryBackend.changed_since``), a
listing is selected when its latest decision cites the record (the evidence index: a
certificate revoked, a recall closed, a standard superseded) or when its draft is
indexed under one of the record's keys (the term index: a new recall or spot-check
failure naming its model or manufacturer, a certificate that was not found before).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories import reverify as runs
from listing_gate.db.repositories import terms as repo
from listing_gate.domain import (
    CccRecord,
    LicenseRecord,
    RecallRecord,
    RegistryKind,
    SpotCheckRecord,
    StandardRecord,
)
from listing_gate.registries.keys import keys_for
from listing_gate.registries.protocol import ChangedRecord, RegistryBackend
from listing_gate.reverify.terms import TermIndex

__all__ = ["RegistryChange", "record_refs", "select_targets"]

_BATCH = 500


@dataclass(frozen=True, slots=True)
class RegistryChange:
    """Records of ``kind`` changed after ``since`` (an import's start, say)."""

    kind: RegistryKind
    since: datetime


def record_refs(changed: ChangedRecord) -> tuple[list[str], list[str]]:
    """Returns the evidence record ids and the listing terms a changed record reaches."""
    record = changed.record
    # Evidence cites a record by the id the registry gives it; the stored id (normalised)
    # is added too, so either spelling finds the decision.
    ids = [changed.record_id]
    terms: list[str] = []
    if isinstance(record, CccRecord):
        ids.append(record.certificate_no)
        terms.append(f"ccc:{changed.key}")
    elif isinstance(record, LicenseRecord):
        ids.append(record.license_no)
        terms.append(f"license:{changed.key}")
    elif isinstance(record, StandardRecord):
        ids.append(record.number)
        terms.append(f"standard:{changed.key}")
    elif isinstance(record, RecallRecord | SpotCheckRecord):
        keys = keys_for(changed.kind, record)
        terms.extend(f"model:{key}" for key in keys.model_keys)
        terms.extend(f"maker:{core}" for core in keys.manufacturer_cores)
    return list(dict.fromkeys(ids)), terms


async def select_targets(
    engine: AsyncEngine,
    backend: RegistryBackend,
    run_id: str,
    changes: Sequence[RegistryChange],
) -> int:
    """Returns how many listings were added to the run's targets for ``changes``."""
    await TermIndex(engine).catch_up()
    for change in changes:
        batch: list[ChangedRecord] = []
        async for changed in backend.changed_since(change.kind, change.since):
            batch.append(changed)
            if len(batch) >= _BATCH:
                await _add(engine, run_id, change.kind, batch)
                batch = []
        await _add(engine, run_id, change.kind, batch)
    async with unit.read(engine) as conn:
        return await runs.count_listings(conn, run_id)


async def _add(engine: AsyncEngine, run_id: str, kind: str, batch: Sequence[ChangedRecord]) -> None:
    if not batch:
        return
    ids: list[str] = []
    terms: list[str] = []
    for changed in batch:
        record_ids, record_terms = record_refs(changed)
        ids.extend(record_ids)
        terms.extend(record_terms)
    async with unit.write(engine) as conn:
        citing = await repo.listings_citing(conn, kind, list(dict.fromkeys(ids)))
        indexed = await repo.listings_with_terms(conn, list(dict.fromkeys(terms)))
        await runs.add_targets(conn, run_id, sorted(set(citing) | set(indexed)))
