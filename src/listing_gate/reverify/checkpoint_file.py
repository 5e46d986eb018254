"""A shard's checkpoint mirrored to a file, so a restarted container finds its run again.

The database checkpoint is the one that counts (it commits with the records); the file
names the run to resume and shows progress to whoever looks at the volume.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import orjson

from listing_gate.db.repositories.reverify import Checkpoint

__all__ = ["CheckpointFile"]


class CheckpointFile:
    """A JSON file holding one shard's latest checkpoint."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def unfinished_run(self) -> str | None:
        """Returns the run id in the file when that run is not done, else None (start anew)."""
        try:
            data = orjson.loads(self.path.read_bytes())
        except (FileNotFoundError, orjson.JSONDecodeError):
            return None
        if not isinstance(data, dict) or data.get("done") or not data.get("run_id"):
            return None
        return str(data["run_id"])

    def save(self, checkpoint: Checkpoint) -> None:
        """Replaces the file atomically with ``checkpoint``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = orjson.dumps(
            {name: getattr(checkpoint, name) for name in Checkpoint.__dataclass_fields__}
        )
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_bytes(body)
        # rename is atomic: a kill mid-write leaves the old file, never half a new one.
        temporary.replace(self.path)
        with contextlib.suppress(OSError):
            temporary.unlink()
