"""A registry backend held in memory: for the quick pure benchmark, tests and small tools.

It keys records exactly as the database mirror does (``registries.keys``), so a record
found here is found there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from listing_gate.domain import (
    CccRecord,
    LicenseRecord,
    RecallRecord,
    RegistryKind,
    SpotCheckRecord,
    StandardRecord,
)
from listing_gate.registries.keys import keys_for
from listing_gate.registries.protocol import ChangedRecord, RegistryRecord, RegistryStatus

__all__ = ["RECORD_TYPES", "MemoryRegistry"]

RECORD_TYPES: dict[RegistryKind, type[RegistryRecord]] = {
    "ccc": CccRecord,
    "license": LicenseRecord,
    "recall": RecallRecord,
    "spot_check": SpotCheckRecord,
    "standard": StandardRecord,
}


class MemoryRegistry:
    """Every registry kind in dictionaries, indexed like the mirror's tables."""

    name = "memory"

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._clock = clock
        self._by_key: dict[RegistryKind, dict[str, RegistryRecord]] = defaultdict(dict)
        self._by_model: dict[RegistryKind, dict[str, set[str]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self._by_core: dict[RegistryKind, dict[str, set[str]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self._by_id: dict[RegistryKind, dict[str, RegistryRecord]] = defaultdict(dict)
        self._loaded_at: dict[RegistryKind, datetime] = {}

    def add(self, kind: RegistryKind, records: Iterable[RegistryRecord]) -> None:
        """Adds (or replaces by id) records of one kind."""
        for record in records:
            keys = keys_for(kind, record)
            self._by_id[kind][keys.record_id] = record
            self._by_key[kind][keys.key] = record
            for model in keys.model_keys:
                self._by_model[kind][model].add(keys.record_id)
            for core in keys.manufacturer_cores:
                self._by_core[kind][core].add(keys.record_id)
        self._loaded_at[kind] = self._clock()

    def load_jsonl(self, kind: RegistryKind, path: Path) -> None:
        """Adds every record of a registry JSONL file."""
        model = RECORD_TYPES[kind]
        with path.open(encoding="utf-8") as lines:
            self.add(kind, [model.model_validate_json(line) for line in lines if line.strip()])

    async def get_ccc(self, key: str) -> CccRecord | None:
        """Returns the certificate or self-declaration with this key."""
        record = self._by_key["ccc"].get(key)
        return record if isinstance(record, CccRecord) else None

    async def get_license(self, key: str) -> LicenseRecord | None:
        """Returns the licence with this key."""
        record = self._by_key["license"].get(key)
        return record if isinstance(record, LicenseRecord) else None

    def _notices(
        self, kind: RegistryKind, model_key: str, cores: Sequence[str]
    ) -> list[RegistryRecord]:
        ids = set(self._by_model[kind].get(model_key, ()))
        for core in cores:
            ids |= self._by_core[kind].get(core, set())
        return [self._by_id[kind][i] for i in sorted(ids)]

    async def find_recalls(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[RecallRecord]:
        """Returns recalls listing the model key or naming one of the cores."""
        found = self._notices("recall", model_key, manufacturer_cores)
        return [r for r in found if isinstance(r, RecallRecord)]

    async def find_spot_checks(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[SpotCheckRecord]:
        """Returns spot-check failures listing the model key or naming one of the cores."""
        found = self._notices("spot_check", model_key, manufacturer_cores)
        return [r for r in found if isinstance(r, SpotCheckRecord)]

    async def get_standards(self, keys: Sequence[str]) -> dict[str, StandardRecord]:
        """Returns the standards found by key."""
        table = self._by_key["standard"]
        return {k: r for k in keys if isinstance(r := table.get(k), StandardRecord)}

    async def status(self) -> list[RegistryStatus]:
        """Returns one status per kind."""
        return [
            RegistryStatus(kind, self.name, len(self._by_id[kind]), self._loaded_at.get(kind))
            for kind in RECORD_TYPES
        ]

    async def changed_since(
        self, kind: RegistryKind, since: datetime
    ) -> AsyncIterator[ChangedRecord]:
        """Yields every record of ``kind`` when it was loaded after ``since``."""
        loaded = self._loaded_at.get(kind)
        if loaded is None or loaded <= since:
            return
        for record in list(self._by_id[kind].values()):
            keys = keys_for(kind, record)
            yield ChangedRecord(kind, keys.record_id, keys.key, loaded, record)
