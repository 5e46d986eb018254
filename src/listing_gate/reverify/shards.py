"""Shards of a re-verification run: which listings a worker of an Indexed Job owns."""

from __future__ import annotations

import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Shard", "shard_from_env"]

JOB_INDEX_ENV = "JOB_COMPLETION_INDEX"


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` of ``count``; every listing id belongs to exactly one shard."""

    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ValueError(f"shard index {self.index} is not within 0..{self.count - 1}")

    def owns(self, listing_id: str) -> bool:
        """Returns True when the listing belongs to this shard."""
        # CRC-32 of the UTF-8 id: stable across processes, versions and machines (unlike
        # hash(), which is salted per process), and cheap enough for every id of a run.
        return self.count == 1 or zlib.crc32(listing_id.encode()) % self.count == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_from_env(
    index: int | None, count: int, environ: Mapping[str, str] | None = None
) -> Shard:
    """Returns the shard: ``index`` if given, else ``JOB_COMPLETION_INDEX``, else 0."""
    if index is None:
        raw = (os.environ if environ is None else environ).get(JOB_INDEX_ENV, "").strip()
        index = int(raw) if raw else 0
    return Shard(index, count)
