"""Microbenchmark of one decision with every registry record in memory (warm caches).

    uv run python bench/decision_bench.py [--rounds 20]

Times ``Verifier.verify`` per draft over the labelled cases: category resolution,
normalisation, lookups answered from the in-process cache, every rule and the decision.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from casebook import load_cases, memory_verifier
from listing_gate.domain import ListingDraft

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


async def _run(rounds: int, cases: Path, registry: Path) -> tuple[list[int], float]:
    moment = datetime(2026, 12, 15, 8, tzinfo=UTC)
    verifier = memory_verifier(registry, clock=lambda: moment)
    drafts = [ListingDraft.model_validate(c.draft) for c in load_cases(cases)]
    for draft in drafts:  # warm-up: fills the lookup cache and the parse caches
        await verifier.verify(draft)
    timings = []
    clock = time.perf_counter_ns
    cpu_start = time.process_time_ns()
    for _ in range(rounds):
        for draft in drafts:
            start = clock()
            await verifier.verify(draft)
            timings.append(clock() - start)
    # CPU time is what this process spent, whatever else the machine was doing.
    cpu_us = (time.process_time_ns() - cpu_start) / 1000 / len(timings)
    return timings, cpu_us


def main() -> None:
    """Prints wall-clock mean, p50 and p99 and the CPU time per decision, in microseconds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--cases", type=Path, default=SHARED / "cases.jsonl")
    parser.add_argument("--registry", type=Path, default=SHARED / "registry")
    args = parser.parse_args()
    timings, cpu_us = asyncio.run(_run(args.rounds, args.cases, args.registry))
    micro = sorted(t / 1000 for t in timings)
    p99 = micro[int(len(micro) * 0.99) - 1]
    print(
        f"decisions={len(micro)} mean={statistics.fmean(micro):.1f}us "
        f"p50={statistics.median(micro):.1f}us p99={p99:.1f}us cpu/decision={cpu_us:.1f}us "
        "(target: mean < 200us)"
    )


if __name__ == "__main__":
    main()
