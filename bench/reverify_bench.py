"""Re-verification throughput over a large recorded catalogue on PostgreSQL.

    uv run python bench/reverify_bench.py --listings 1000000 --shards 2

1. Creates (or reuses, with --reuse) the database, imports the shared sample registries
   and records ``--listings`` decisions by bulk COPY (not through the API): each listing
   is one of the labelled cases' drafts under a new listing id and seller, recorded with
   the decision the verifier gives that draft, as an upload would have recorded it.
2. Re-imports the CCC file with enough certificates revoked that about ``--flip-share``
   of the listings go from allow to block, so the write path is measured too.
3. Runs ``listing-gate reverify`` as ``--shards`` processes at once (one per core, as an
   Indexed Job would) and prints the wall-clock rate, each shard's own rate, peak memory
   of each process, and checks that exactly the expected listings were recorded as changed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from sqlalchemy.engine import make_url

from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.tables.decisions import decisions as decisions_table
from listing_gate.domain import REGISTRY_KINDS, ListingDraft, Verification
from listing_gate.ids import new_id
from listing_gate.registries.importer import import_file
from listing_gate.runtime import open_resources
from listing_gate.service.auth import SCOPES, Principal
from listing_gate.service.decisions import Caller
from listing_gate.service.decisions import build_decision_row as build_row
from listing_gate.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_ADMIN = os.environ.get(
    "LISTING_GATE_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
_CALLER = Caller(Principal("bench", "bench", frozenset(SCOPES)))
_CHUNK = 20_000
DECISION_COLUMNS = [column.name for column in decisions_table.columns]


def _drafts() -> list[dict[str, Any]]:
    lines = (SHARED / "cases.jsonl").read_text("utf-8").splitlines()
    return [orjson.loads(line)["draft"] for line in lines if line.strip()]


async def _create_database(admin: str, name: str) -> str:
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    url = make_url(admin).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


async def _bases(settings: Settings) -> list[tuple[ListingDraft, Verification]]:
    """Returns each case draft with the decision an upload would have recorded for it."""
    drafts = [ListingDraft.model_validate(d) for d in _drafts()]
    async with open_resources(settings) as resources:
        verdicts = [await resources.decisions.verifier.verify(d) for d in drafts]
    return list(zip(drafts, verdicts, strict=True))


def _rows(
    bases: list[tuple[ListingDraft, Verification]], start: int, stop: int, now: datetime
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    decisions: list[tuple[Any, ...]] = []
    evidence: list[tuple[Any, ...]] = []
    listings: list[tuple[Any, ...]] = []
    for i in range(start, stop):
        draft, verdict = bases[i % len(bases)]
        listing_id = f"bench-{i:07d}"
        seller = f"shop-{i % 50_000}"
        data = draft.model_dump()
        data["listing_id"] = listing_id
        data["seller"]["id"] = seller
        one = ListingDraft.model_validate(data)
        vid = new_id()
        v = verdict.model_copy(update={"verification_id": vid, "listing_id": listing_id})
        row, _ = build_row(one, v, _CALLER, "api", now)
        decisions.append(tuple(row.values[c] for c in DECISION_COLUMNS))
        evidence.extend((vid, reg, rid, status) for reg, rid, status in row.evidence)
        listings.append((listing_id, seller, vid, v.decision.value, v.decided_at))
    return decisions, evidence, listings


async def seed(url: str, count: int) -> list[tuple[ListingDraft, Verification]]:
    """Imports the registries and COPYs ``count`` recorded listings; returns the bases."""
    settings = Settings(database_url=url, verification_deadline_s=30)
    engine = make_engine(settings)
    try:
        await upgrade_async(engine)
        for kind in REGISTRY_KINDS:
            await import_file(engine, kind, SHARED / "registry" / f"{kind}.jsonl")
    finally:
        await engine.dispose()
    bases = await _bases(settings)
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(libpq)
    started, now = time.perf_counter(), datetime.now(UTC)
    try:
        for start in range(0, count, _CHUNK):
            decisions, evidence, listings = _rows(bases, start, min(count, start + _CHUNK), now)
            async with conn.transaction():
                await conn.copy_records_to_table(
                    "decisions", records=decisions, columns=DECISION_COLUMNS
                )
                await conn.copy_records_to_table("decision_evidence", records=evidence)
                await conn.copy_records_to_table("listings", records=listings)
            done = start + len(decisions)
            print(f"\rseeded {done:,}/{count:,} listings", end="", file=sys.stderr, flush=True)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    print(f"\nseeding took {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return bases


def revoke_for_flips(
    bases: list[tuple[ListingDraft, Verification]], count: int, share: float, out: Path
) -> int:
    """Writes a CCC file revoking certificates of allowed bases; returns listings it flips."""
    per_base = Counter(i % len(bases) for i in range(count))
    allowed = [
        (i, next(e.record_id for e in v.evidence if e.registry == "ccc"))
        for i, (_, v) in enumerate(bases)
        if v.decision.value == "allow" and any(e.registry == "ccc" for e in v.evidence)
    ]
    target, flips, revoked = share * count, 0, set()
    for i, cert in allowed:
        if flips >= target:
            break
        revoked.add(cert)
        flips += per_base[i]
    lines = []
    for line in (SHARED / "registry" / "ccc.jsonl").read_text("utf-8").splitlines():
        record = orjson.loads(line)
        if record["certificate_no"] in revoked:
            record["status"] = "revoked"
        lines.append(orjson.dumps(record).decode())
    out.write_text("\n".join(lines) + "\n", "utf-8")
    # Listings sharing a revoked certificate flip together; so do none that were not allowed.
    return sum(per_base[i] for i, cert in allowed if cert in revoked)


def run_shards(url: str, shards: int, page_size: int, concurrency: int) -> tuple[float, str]:
    """Runs every shard as its own process at once; returns wall seconds and their output."""
    env = {**os.environ, "LISTING_GATE_DATABASE_URL": url}
    run_id = new_id()
    command = [sys.executable, "-m", "listing_gate", "reverify", "--run-id", run_id]
    command += ["--shard-count", str(shards), "--page-size", str(page_size)]
    command += ["--concurrency", str(concurrency), "--no-progress"]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(  # noqa: S603 - our own command line, no shell
            [*command, "--shard-index", str(i)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(shards)
    ]
    outputs = [p.communicate()[0] for p in processes]
    wall = time.perf_counter() - started
    assert all(p.returncode == 0 for p in processes), outputs
    return wall, "\n".join(outputs)


async def count_recorded(url: str) -> int:
    """Returns how many re-verification decisions were recorded."""
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(libpq)
    try:
        return int(await conn.fetchval("select count(*) from decisions where origin='reverify'"))
    finally:
        await conn.close()


def main() -> None:
    """Seeds, revokes, re-verifies and prints the measured rate."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--shards", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--flip-share", type=float, default=0.01)
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN)
    parser.add_argument("--database", default="lg_reverify_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    args = parser.parse_args()
    url = make_url(args.admin_url).set(drivername="postgresql+asyncpg", database=args.database)
    url_text = url.render_as_string(hide_password=False)
    expected = 0
    if not args.reuse:
        # --reuse re-runs over the seeded catalogue as it stands: no registry change.
        url_text = asyncio.run(_create_database(args.admin_url, args.database))
        bases = asyncio.run(seed(url_text, args.listings))
        revoked = Path("/tmp") / "reverify-bench-ccc.jsonl"  # noqa: S108 - a scratch file
        expected = revoke_for_flips(bases, args.listings, args.flip_share, revoked)
        asyncio.run(import_file(Settings(database_url=url_text), "ccc", revoked))
    before = asyncio.run(count_recorded(url_text))
    wall, output = run_shards(url_text, args.shards, args.page_size, args.concurrency)
    recorded = asyncio.run(count_recorded(url_text)) - before
    print(output)
    print(
        f"listings={args.listings:,} shards={args.shards} page_size={args.page_size} "
        f"wall={wall:.1f}s rate={args.listings / wall:,.0f} listings/s "
        f"recorded={recorded:,} expected_flips={expected:,} (target >= 2,000 listings/s)"
    )


if __name__ == "__main__":
    main()
