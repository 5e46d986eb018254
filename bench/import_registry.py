"""Measure a registry import: records/s and peak RSS of this process.

python bench/import_registry.py sqlite+aiosqlite:////tmp/bench.db ccc /tmp/ccc_scale.jsonl
python bench/import_registry.py postgresql+asyncpg://postgres@127.0.0.1:5432/bench ccc FILE

Measured 2026-11-28 on the 2-vCPU dev machine (load average 3.5-4.7 from other test
runs), 1,000,000 records from `gen_registry.py 1000000`, under `/usr/bin/time -v`:
PostgreSQL 15 fresh 9,197 records/s (109 s), re-import 6,665/s; SQLite fresh
12,175 records/s (82 s), re-import 6,418/s; peak RSS 85-87 MB in every run.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
from pathlib import Path

from listing_gate.registries.importer import import_file
from listing_gate.settings import Settings


async def _run(url: str, kind: str, path: Path) -> None:
    result = await import_file(Settings(database_url=url), kind, path, progress=True)
    rate = (result.added + result.replaced) / result.seconds
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"{kind}: added={result.added} replaced={result.replaced} records={result.records} "
        f"in {result.seconds:.1f} s = {rate:,.0f} records/s; peak RSS {peak_mb:.0f} MB"
    )


def main() -> None:
    """Imports FILE into the database at URL and prints the rate and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("kind")
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    asyncio.run(_run(args.url, args.kind, args.file))


if __name__ == "__main__":
    main()
