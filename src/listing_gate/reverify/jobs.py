"""Re-verification runs from start to finish: create, select, run shards, report.

The command line, the import command's ``--reverify`` and ``POST /v1/reverifications``
all go through these functions, so a run looks the same whoever started it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TextIO

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories import reverify as repo
from listing_gate.domain import RegistryKind
from listing_gate.ids import new_id, utcnow
from listing_gate.registries.protocol import RegistryBackend
from listing_gate.reverify.progress import Progress
from listing_gate.reverify.runner import RunnerOptions, ShardResult, ShardRunner
from listing_gate.reverify.selection import RegistryChange, select_targets
from listing_gate.reverify.shards import Shard
from listing_gate.service.decisions import VerifierLike
from listing_gate.settings import Settings

__all__ = [
    "RunStatus",
    "batch_settings",
    "changes_since_import",
    "create_run",
    "fail_run",
    "prepare_registry_run",
    "run_shard",
    "run_status",
    "write_changes",
]

_CHANGES_PAGE = 1000


@dataclass(frozen=True, slots=True)
class RunStatus:
    """A run, its shards' checkpoints, and its recorded changes by old -> new decision."""

    run: repo.RunRow
    shards: list[repo.Checkpoint]
    transitions: dict[tuple[str, str], int]

    @property
    def processed(self) -> int:
        """Returns listings re-decided so far, over all shards."""
        return sum(c.processed for c in self.shards)

    @property
    def changed(self) -> int:
        """Returns re-decisions recorded so far (decision or reason codes changed)."""
        return sum(c.changed for c in self.shards)


def batch_settings(settings: Settings) -> Settings:
    """Returns ``settings`` with the registry deadline of a batch re-decision, not a request's."""
    # A request must answer within its deadline; a batch must not turn its own load (one
    # core, thousands of decisions queued on it) into REGISTRY_UNAVAILABLE findings.
    deadline = max(settings.verification_deadline_s, settings.reverify_deadline_s)
    return settings.model_copy(update={"verification_deadline_s": deadline})


async def create_run(
    engine: AsyncEngine,
    *,
    scope: str,
    trigger: dict[str, Any],
    run_id: str | None = None,
    status: str = "pending",
    clock: Callable[[], datetime] = utcnow,
) -> repo.RunRow:
    """Returns the run with ``run_id``, creating it first when there is none."""
    run_id = run_id or new_id()
    async with unit.write(engine) as conn:
        existing = await repo.get_run(conn, run_id)
        if existing is not None:
            return existing
        row = repo.RunRow(
            run_id, scope, status, orjson.dumps(trigger).decode(), None, clock(), None, None, None
        )
        await repo.create_run(conn, row)
    return row


async def changes_since_import(
    engine: AsyncEngine, kinds: Sequence[RegistryKind]
) -> list[RegistryChange]:
    """Returns, per kind, the records its latest import changed (none if never imported)."""
    out = []
    async with unit.read(engine) as conn:
        for kind in kinds:
            started = await repo.import_started(conn, kind)
            if started is not None:
                # The import stamps every record it changed with its start time exactly.
                out.append(RegistryChange(kind, started - timedelta(microseconds=1)))
    return out


async def prepare_registry_run(
    engine: AsyncEngine,
    backend: RegistryBackend,
    changes: Sequence[RegistryChange],
    *,
    trigger: dict[str, Any],
    run_id: str | None = None,
) -> repo.RunRow:
    """Returns a targeted run whose targets are the listings ``changes`` concern."""
    trigger = {
        **trigger,
        "registries": {c.kind: c.since.isoformat() for c in changes},
    }
    run = await create_run(
        engine, scope="targets", trigger=trigger, run_id=run_id, status="selecting"
    )
    count = await select_targets(engine, backend, run.run_id, changes)
    async with unit.write(engine) as conn:
        await repo.set_run_status(conn, run.run_id, "pending", targets=count)
        row = await repo.get_run(conn, run.run_id)
    assert row is not None  # noqa: S101 - created above in this function
    return row


async def run_shard(
    engine: AsyncEngine,
    verifier: VerifierLike,
    *,
    run_id: str,
    shard: Shard,
    options: RunnerOptions,
    progress: Progress | None = None,
    on_commit: Callable[[repo.Checkpoint], None] | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> ShardResult:
    """Returns the shard's result after running (or resuming) it; the run is done when all are."""
    async with unit.write(engine) as conn:
        run = await repo.get_run(conn, run_id)
        if run is None:
            raise LookupError(f"no re-verification run {run_id}")
        if run.status in {"pending", "failed"}:
            await repo.set_run_status(
                conn, run_id, "running", started_at=run.started_at or clock(), error=None
            )
    runner = ShardRunner(
        engine,
        verifier,
        run_id=run_id,
        shard=shard,
        targeted=run.scope == "targets",
        options=options,
        progress=progress,
        clock=clock,
        on_commit=on_commit,
    )
    result = await runner.run()
    async with unit.write(engine) as conn:
        shards = await repo.checkpoints(conn, run_id)
        if len(shards) == shard.count and all(c.done for c in shards):
            await repo.set_run_status(conn, run_id, "done", finished_at=clock())
    return result


async def fail_run(engine: AsyncEngine, run_id: str, error: str) -> None:
    """Marks the run failed with a short reason; it can still be resumed."""
    async with unit.write(engine) as conn:
        await repo.set_run_status(conn, run_id, "failed", error=error[:1000])


async def run_status(engine: AsyncEngine, run_id: str) -> RunStatus | None:
    """Returns the run's status, or None when there is no such run."""
    async with unit.read(engine) as conn:
        run = await repo.get_run(conn, run_id)
        if run is None:
            return None
        return RunStatus(
            run, await repo.checkpoints(conn, run_id), await repo.transitions(conn, run_id)
        )


async def write_changes(engine: AsyncEngine, run_id: str, shard: Shard, out: TextIO) -> int:
    """Returns how many of the run's changes in ``shard`` were written to ``out`` as JSONL."""
    after: str | None = None
    written = 0
    while True:
        async with unit.read(engine) as conn:
            page = await repo.change_page(conn, run_id, after=after, limit=_CHANGES_PAGE)
        if not page:
            return written
        after = page[-1].verification_id
        for row in page:
            if not shard.owns(row.listing_id):
                continue
            line = {
                "listing_id": row.listing_id,
                "seller_id": row.seller_id,
                "old_decision": row.old_decision,
                "new_decision": row.new_decision,
                "old_reason_codes": orjson.loads(row.old_reason_codes_json),
                "new_reason_codes": orjson.loads(row.new_reason_codes_json),
                "verification_id": row.verification_id,
                "previous_verification_id": row.previous_verification_id,
                "action": row.action,
                "decided_at": row.decided_at,
                "run_id": run_id,
            }
            out.write(orjson.dumps(line).decode() + "\n")
            written += 1
