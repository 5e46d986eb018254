"""The database mirror backend: registry records imported into our own tables."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories import registry as repo
from listing_gate.domain import (
    REGISTRY_KINDS,
    CccRecord,
    LicenseRecord,
    RecallRecord,
    RegistryKind,
    SpotCheckRecord,
    StandardRecord,
)
from listing_gate.registries.protocol import RECORD_MODELS, ChangedRecord, RegistryStatus

__all__ = ["MirrorBackend"]


class MirrorBackend:
    """Reads the mirror tables; every lookup is one indexed query on a pooled connection."""

    name = "mirror"

    def __init__(self, engine: AsyncEngine, *, page_size: int = 1000) -> None:
        self._engine = engine
        self._page_size = page_size

    async def get_ccc(self, key: str) -> CccRecord | None:
        """Returns the latest-issued CCC record with this key, or None."""
        async with unit.read(self._engine) as conn:
            text = await repo.ccc_record(conn, key)
        return None if text is None else CccRecord.model_validate_json(text)

    async def get_license(self, key: str) -> LicenseRecord | None:
        """Returns the licence with this canonical number, or None."""
        async with unit.read(self._engine) as conn:
            text = await repo.license_record(conn, key)
        return None if text is None else LicenseRecord.model_validate_json(text)

    async def find_recalls(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[RecallRecord]:
        """Returns recalls listing the model key or naming one of the manufacturer cores."""
        async with unit.read(self._engine) as conn:
            texts = await repo.notice_records(conn, "recall", model_key, manufacturer_cores)
        return [RecallRecord.model_validate_json(text) for text in texts]

    async def find_spot_checks(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[SpotCheckRecord]:
        """Returns spot-check failures listing the model key or naming one of the cores."""
        async with unit.read(self._engine) as conn:
            texts = await repo.notice_records(conn, "spot_check", model_key, manufacturer_cores)
        return [SpotCheckRecord.model_validate_json(text) for text in texts]

    async def get_standards(self, keys: Sequence[str]) -> dict[str, StandardRecord]:
        """Returns the standards found, by key; missing keys are absent."""
        async with unit.read(self._engine) as conn:
            texts = await repo.standard_records(conn, keys)
        return {key: StandardRecord.model_validate_json(text) for key, text in texts.items()}

    async def status(self) -> list[RegistryStatus]:
        """Returns, per kind, the record count and time of the latest import."""
        async with unit.read(self._engine) as conn:
            imports = await repo.latest_imports(conn)
        statuses = []
        for kind in REGISTRY_KINDS:
            log = imports.get(kind)
            statuses.append(
                RegistryStatus(
                    kind=kind,
                    source=self.name,
                    records=log.records if log else 0,
                    last_import_at=log.finished_at if log else None,
                )
            )
        return statuses

    async def changed_since(
        self, kind: RegistryKind, since: datetime
    ) -> AsyncIterator[ChangedRecord]:
        """Yields records of `kind` changed after `since`, oldest change first, page by page."""
        model = RECORD_MODELS[kind]
        after: tuple[datetime, str] | None = None
        while True:
            # A connection per page: a slow consumer never pins a connection or a snapshot.
            async with unit.read(self._engine) as conn:
                page = await repo.changed_page(conn, kind, since, after, self._page_size)
            for row in page:
                yield ChangedRecord(
                    kind=kind,
                    record_id=row.record_id,
                    key=row.key,
                    changed_at=row.changed_at,
                    record=model.model_validate_json(row.record),
                )
            if len(page) < self._page_size:
                return
            after = (page[-1].changed_at, page[-1].record_id)
