"""A registry backend for outage tests: the sample registries, with one kind failing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from listing_gate.domain import RegistryKind
from listing_gate.registries.memory import MemoryRegistry

__all__ = ["FailingRegistry"]


class FailingRegistry:
    """The sample registries, except that one kind raises as an outage does."""

    name = "failing"

    def __init__(self, inner: MemoryRegistry, broken: RegistryKind) -> None:
        self.inner = inner
        self.broken = broken
        self.calls: set[str] = set()

    def _check(self, kind: RegistryKind) -> None:
        self.calls.add(kind)
        if kind == self.broken:
            raise ConnectionError(f"{kind} registry unreachable")

    async def get_ccc(self, key: str) -> Any:
        self._check("ccc")
        return await self.inner.get_ccc(key)

    async def get_license(self, key: str) -> Any:
        self._check("license")
        return await self.inner.get_license(key)

    async def find_recalls(self, *, model_key: str, manufacturer_cores: Sequence[str]) -> Any:
        self._check("recall")
        return await self.inner.find_recalls(
            model_key=model_key, manufacturer_cores=manufacturer_cores
        )

    async def find_spot_checks(self, *, model_key: str, manufacturer_cores: Sequence[str]) -> Any:
        self._check("spot_check")
        return await self.inner.find_spot_checks(
            model_key=model_key, manufacturer_cores=manufacturer_cores
        )

    async def get_standards(self, keys: Sequence[str]) -> Any:
        self._check("standard")
        return await self.inner.get_standards(keys)

    async def status(self) -> Any:
        return await self.inner.status()

    def changed_since(self, kind: RegistryKind, since: datetime) -> Any:
        return self.inner.changed_since(kind, since)
