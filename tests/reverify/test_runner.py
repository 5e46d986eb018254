"""Full re-verification runs: resumable after a kill, shardable, recording only changes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from listing_gate.db.engine import make_engine
from listing_gate.db.tables.decisions import decisions
from listing_gate.domain import Decision, ListingDraft, Reason, Severity, Verification
from listing_gate.registries.importer import import_file
from listing_gate.reverify.jobs import create_run, run_shard, run_status, write_changes
from listing_gate.reverify.runner import Interrupted, RunnerOptions
from listing_gate.reverify.shards import Shard
from listing_gate.runtime import Resources, open_resources
from listing_gate.service.auth import SCOPES, Principal
from listing_gate.service.decisions import Caller
from reverify.world import all_revoked, latest, reverify_counts, settings

pytestmark = pytest.mark.anyio


async def _run(
    resources: Resources, run_id: str, shard: Shard | None = None, **options: Any
) -> Any:
    return await run_shard(
        resources.engine,
        resources.decisions.verifier,
        run_id=run_id,
        shard=shard or Shard(),
        options=RunnerOptions(**{"page_size": 10, **options}),
    )


async def test_a_run_over_unchanged_registries_records_nothing(world_url: str) -> None:
    """Every listing is re-decided; none changed, so no decision is recorded."""
    before = await latest(world_url)
    async with open_resources(settings(world_url)) as resources:
        run = await create_run(resources.engine, scope="all", trigger={"by": "test"})
        result = await _run(resources, run.run_id)
    assert result.checkpoint.done
    assert result.checkpoint.processed == len(before)
    assert result.checkpoint.changed == 0
    assert result.errors == 0
    assert await latest(world_url) == before


async def test_a_run_stopped_after_some_pages_resumes_without_duplicates(
    world_url: str, tmp_path: Path
) -> None:
    """Stopped after three pages and resumed, each changed listing is recorded once."""
    total = len(await latest(world_url))
    async with open_resources(settings(world_url)) as resources:
        await import_file(resources.engine, "ccc", all_revoked(tmp_path))
        run = await create_run(resources.engine, scope="all", trigger={"by": "test"})
        with pytest.raises(Interrupted):
            await _run(resources, run.run_id, stop_after_pages=3)
        stopped = await run_status(resources.engine, run.run_id)
        assert stopped is not None
        assert stopped.processed == 30
        assert stopped.run.status == "running"
        result = await _run(resources, run.run_id)
        finished = await run_status(resources.engine, run.run_id)
        again = await create_run(resources.engine, scope="all", trigger={"by": "test"})
        second = await _run(resources, again.run_id)
    assert finished is not None
    assert finished.run.status == "done"
    assert result.checkpoint.processed == total
    recorded, doubled, changes = await reverify_counts(world_url)
    assert doubled == 0
    assert recorded == changes == result.checkpoint.changed > 30
    assert second.checkpoint.changed == 0  # the resumed run left nothing undone


async def test_two_shards_split_the_listings_and_finish_the_run_together(
    world_url: str,
) -> None:
    """Each listing belongs to one shard; the run is done when both shards are."""
    total = len(await latest(world_url))
    async with open_resources(settings(world_url)) as resources:
        run = await create_run(resources.engine, scope="all", trigger={"by": "test"})
        first = await _run(resources, run.run_id, Shard(0, 2))
        halfway = await run_status(resources.engine, run.run_id)
        second = await _run(resources, run.run_id, Shard(1, 2))
        done = await run_status(resources.engine, run.run_id)
    assert halfway is not None
    assert done is not None
    assert halfway.run.status == "running"
    assert done.run.status == "done"
    assert first.checkpoint.processed + second.checkpoint.processed == total
    assert 0 < first.checkpoint.processed < total


async def test_resuming_with_another_shard_count_is_refused(world_url: str) -> None:
    """Changing the shard count mid-run would skip or repeat listings, so it is an error."""
    async with open_resources(settings(world_url)) as resources:
        run = await create_run(resources.engine, scope="all", trigger={"by": "test"})
        with pytest.raises(Interrupted):
            await _run(resources, run.run_id, Shard(0, 2), stop_after_pages=1)
        with pytest.raises(ValueError, match="sharded 2 ways"):
            await _run(resources, run.run_id, Shard(0, 3))


async def test_changes_are_written_as_json_lines_per_shard(world_url: str, tmp_path: Path) -> None:
    """The changes file has one line per recorded change of the shard, old and new."""
    async with open_resources(settings(world_url)) as resources:
        await import_file(resources.engine, "ccc", all_revoked(tmp_path))
        run = await create_run(resources.engine, scope="all", trigger={"by": "test"})
        result = await _run(resources, run.run_id)
        out = io.StringIO()
        written = await write_changes(resources.engine, run.run_id, Shard(), out)
        halves = [io.StringIO(), io.StringIO()]
        split = [
            await write_changes(resources.engine, run.run_id, Shard(i, 2), halves[i])
            for i in range(2)
        ]
    lines = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert written == len(lines) == result.checkpoint.changed
    assert sum(split) == written
    flips = [line for line in lines if line["old_decision"] != line["new_decision"]]
    assert flips
    assert all(line["new_decision"] == "block" for line in flips)
    assert all("CREDENTIAL_REVOKED" in line["new_reason_codes"] for line in flips)
    assert {line["action"] for line in flips} == {"taken down on re-verification"}


class _RacingVerifier:
    """Re-uploads one listing (a newer decision) while the run is deciding it."""

    def __init__(self, resources: Resources, listing_id: str) -> None:
        self._resources = resources
        self._listing_id = listing_id

    async def verify(self, draft: ListingDraft) -> Verification:
        verification = await self._resources.decisions.verifier.verify(draft)
        if draft.listing_id == self._listing_id:
            caller = Caller(Principal("seller", "seller", frozenset(SCOPES)))
            await self._resources.decisions.decide([draft], caller, origin="api")
        return verification


async def test_a_listing_decided_again_during_the_run_keeps_its_newer_decision(
    world_url: str, tmp_path: Path
) -> None:
    """A re-decision of an old draft never overwrites a decision recorded meanwhile."""
    before = await latest(world_url)
    target = sorted(lid for lid, (_, decision) in before.items() if decision == "allow")[0]
    async with open_resources(settings(world_url)) as resources:
        await import_file(resources.engine, "ccc", all_revoked(tmp_path))
        run = await create_run(resources.engine, scope="all", trigger={"by": "test"})
        await run_shard(
            resources.engine,
            _RacingVerifier(resources, target),
            run_id=run.run_id,
            shard=Shard(),
            options=RunnerOptions(page_size=10),
        )
    engine = make_engine(settings(world_url))
    try:
        async with engine.connect() as conn:
            origins = list(
                (
                    await conn.execute(
                        select(decisions.c.origin).where(decisions.c.listing_id == target)
                    )
                ).scalars()
            )
    finally:
        await engine.dispose()
    assert sorted(origins) == ["api", "api"]


class _RegistryDownVerifier:
    """Answers like the real verifier, except that one registry is down for every listing."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources

    async def verify(self, draft: ListingDraft) -> Verification:
        real = await self._resources.decisions.verifier.verify(draft)
        down = Reason(
            code="REGISTRY_UNAVAILABLE",
            severity=Severity.REVIEW,
            registry_value="ccc",
            citation="draft art. 7",
            message="registry down",
        )
        return real.model_copy(
            update={"decision": Decision.REVIEW, "reasons": [*real.reasons, down]}
        )


async def test_a_registry_outage_during_a_run_keeps_the_recorded_decisions(
    world_url: str,
) -> None:
    """Re-decisions that could not consult a registry are counted, never recorded."""
    before = await latest(world_url)
    async with open_resources(settings(world_url)) as resources:
        run = await create_run(resources.engine, scope="all", trigger={"by": "test"})
        result = await run_shard(
            resources.engine,
            _RegistryDownVerifier(resources),
            run_id=run.run_id,
            shard=Shard(),
            options=RunnerOptions(page_size=50),
        )
    assert result.checkpoint.done
    assert result.checkpoint.changed == 0
    assert result.unchecked > 0
    assert await latest(world_url) == before
