"""The one interface every registry backend implements, and the records it hands back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from listing_gate.domain import (
    CccRecord,
    LicenseRecord,
    RecallRecord,
    RegistryKind,
    SpotCheckRecord,
    StandardRecord,
)

__all__ = [
    "RECORD_MODELS",
    "ChangedRecord",
    "RegistryBackend",
    "RegistryRecord",
    "RegistryStatus",
]

RegistryRecord = CccRecord | LicenseRecord | RecallRecord | SpotCheckRecord | StandardRecord
RECORD_MODELS: dict[RegistryKind, type[RegistryRecord]] = {
    "ccc": CccRecord,
    "license": LicenseRecord,
    "recall": RecallRecord,
    "spot_check": SpotCheckRecord,
    "standard": StandardRecord,
}


@dataclass(frozen=True, slots=True)
class RegistryStatus:
    """What a backend holds for one registry kind."""

    kind: RegistryKind
    source: str
    records: int
    last_import_at: datetime | None  # last import (mirror) or sync (remote); None if never


@dataclass(frozen=True, slots=True)
class ChangedRecord:
    """A record imported or changed after some time, for re-verification."""

    kind: RegistryKind
    record_id: str
    key: str  # what lookups use: certificate/licence/standard key, recall or notice id
    changed_at: datetime
    record: RegistryRecord


class RegistryBackend(Protocol):
    """Registry data by normalised key; None or an empty answer means "not there"."""

    name: str  # "mirror" or "http"; becomes Evidence.source

    async def get_ccc(self, key: str) -> CccRecord | None:
        """Returns the certificate or self-declaration; of several versions the latest issued."""
        ...

    async def get_license(self, key: str) -> LicenseRecord | None:
        """Returns the production licence with this canonical number."""
        ...

    async def find_recalls(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[RecallRecord]:
        """Returns recalls listing the model key or naming one of the manufacturer cores."""
        ...

    async def find_spot_checks(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[SpotCheckRecord]:
        """Returns spot-check failures listing the model key or naming one of the cores."""
        ...

    async def get_standards(self, keys: Sequence[str]) -> dict[str, StandardRecord]:
        """Returns the standards found, by StandardNo.key; missing keys are absent."""
        ...

    async def status(self) -> list[RegistryStatus]:
        """Returns one status per registry kind."""
        ...

    def changed_since(self, kind: RegistryKind, since: datetime) -> AsyncIterator[ChangedRecord]:
        """Yields records of `kind` imported or changed after `since`, oldest change first."""
        ...
