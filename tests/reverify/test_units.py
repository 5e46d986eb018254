"""Shards, progress lines and the checkpoint file: the small parts of a run."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.db.repositories.reverify import Checkpoint
from listing_gate.reverify.checkpoint_file import CheckpointFile
from listing_gate.reverify.progress import Progress, format_eta
from listing_gate.reverify.shards import Shard, shard_from_env


@given(listing_id=st.text(min_size=1, max_size=40), count=st.integers(1, 16))
def test_every_listing_belongs_to_exactly_one_shard(listing_id: str, count: int) -> None:
    """Shards partition the listings: no listing is skipped or done twice."""
    owners = [i for i in range(count) if Shard(i, count).owns(listing_id)]
    assert len(owners) == 1


def test_shard_assignment_is_stable_across_processes() -> None:
    """CRC-32, not the salted hash(): a restarted pod owns the same listings."""
    # crc32(b"sku-88231") == 2169555402, and 2169555402 % 4 == 2
    assert [Shard(i, 4).owns("sku-88231") for i in range(4)] == [False, False, True, False]


def test_shard_index_defaults_to_the_job_completion_index() -> None:
    """A Kubernetes Indexed Job pod is its own shard without an extra flag."""
    assert shard_from_env(None, 4, {"JOB_COMPLETION_INDEX": "2"}) == Shard(2, 4)
    assert shard_from_env(None, 1, {}) == Shard(0, 1)
    assert shard_from_env(3, 4, {"JOB_COMPLETION_INDEX": "1"}) == Shard(3, 4)


def test_a_shard_index_outside_the_count_is_refused() -> None:
    """Shard 4 of 4 would own nothing and silently finish."""
    with pytest.raises(ValueError, match="not within"):
        Shard(4, 4)


def test_plain_progress_lines_show_count_rate_and_eta() -> None:
    """Off a terminal, a line now and then says how far, how fast and how long to go."""
    now = [0.0]
    stream = io.StringIO()
    progress = Progress("reverify 0/1", stream=stream, every_s=10, monotonic=lambda: now[0])
    progress.start(10_000)
    now[0] = 5.0
    progress.advance(1000)  # not due yet
    now[0] = 10.0
    progress.advance(1000)
    assert stream.getvalue() == (
        "reverify 0/1: 2000/10000 (20.0%) 200 listings/s ETA 0m40s elapsed 0m10s\n"
    )


def test_eta_is_written_in_hours_minutes_seconds() -> None:
    """Long runs read as 1h02m03s; unknown as ?."""
    assert format_eta(3723) == "1h02m03s"
    assert format_eta(None) == "?"
    assert format_eta(float("inf")) == "?"


def test_checkpoint_file_names_the_unfinished_run_only(tmp_path: Path) -> None:
    """A restarted container resumes its run; a finished run's file starts a new one."""
    keeper = CheckpointFile(tmp_path / "cp" / "checkpoint-0.json")
    assert keeper.unfinished_run() is None
    keeper.save(Checkpoint("RUN1", 0, 2, "sku-9", 100, 3, False))
    assert keeper.unfinished_run() == "RUN1"
    keeper.save(Checkpoint("RUN1", 0, 2, "sku-99", 200, 3, True))
    assert keeper.unfinished_run() is None
