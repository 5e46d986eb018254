"""Decision and reason-code accuracy, false allows and false blocks, per case tag.

    uv run python bench/accuracy.py [--cases FILE] [--registry DIR] [--date YYYY-MM-DD]

Works for any case file in the shared/data/cases.jsonl format, against registry JSONL
files held in memory (the same rules and lookup layer as the service).
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from pathlib import Path

from casebook import load_cases, memory_verifier, run_cases, summarize
from listing_gate.rules.policy import load_policy

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> int:
    """Prints the accuracy table; exits 1 when any case was falsely allowed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=SHARED / "cases.jsonl")
    parser.add_argument("--registry", type=Path, default=SHARED / "registry")
    parser.add_argument("--date", default="2026-12-15", help="decision date (evaluation window)")
    parser.add_argument("--failures", action="store_true", help="list every case that failed")
    args = parser.parse_args()
    # The decision moment of the day, as `listing-gate check --as-of` takes it.
    moment = load_policy().moment_of(date.fromisoformat(args.date))
    verifier = memory_verifier(args.registry, clock=lambda: moment)
    results = asyncio.run(run_cases(load_cases(args.cases), verifier.verify))
    stats = summarize(results)
    header = (
        f"{'tag':32} {'cases':>5} {'decision':>9} {'codes':>7} {'passed':>7} "
        f"{'f.allow':>7} {'f.block':>7}"
    )
    print(header)
    print("-" * len(header))
    for tag in sorted(stats, key=lambda t: (t != "ALL", t)):
        s = stats[tag]
        print(
            f"{tag:32} {s.cases:5d} {s.decisions_ok / s.cases:9.1%} {s.codes_ok / s.cases:7.1%} "
            f"{s.passed / s.cases:7.1%} {s.false_allows:7d} {s.false_blocks:7d}"
        )
    if args.failures:
        print("\nfailures:")
        for line in stats["ALL"].failures:
            print(" ", line)
    return 1 if stats["ALL"].false_allows else 0


if __name__ == "__main__":
    raise SystemExit(main())
