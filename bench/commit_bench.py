"""What synchronous=FULL costs the SQLite decision writer, against NORMAL.

    uv run python bench/commit_bench.py [--rounds 3]

Records decisions through the real ``Recorder`` on a fresh SQLite file, one at a time
(each request alone in its commit: the cost of one WAL sync) and 32 at once (group
commit: one sync shared by the group), alternating FULL and NORMAL so both see the same
machine load. Prints the median over the rounds of decisions per second and of the wait
for the commit. The HTTP view is ``bench/http_bench.sh`` with
``LISTING_GATE_SQLITE_SYNCHRONOUS`` set.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from listing_gate.db.engine import make_engine, make_sqlite_writer_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.recorder import Recorder
from listing_gate.db.repositories.decisions import CitedRecord, DecisionRow
from listing_gate.ids import new_id
from listing_gate.settings import Settings

_MODES = ("FULL", "NORMAL")
_SHAPES = ((1, 2000), (32, 16000))  # (decisions at once, decisions per round)


def _row(number: int) -> DecisionRow:
    now = datetime.now(UTC)
    return DecisionRow(
        verification_id=new_id(),
        listing_id=f"sku-{number}",
        seller_id="shop-1",
        seller_shop_name="华强数码旗舰店",
        seller_legal_name="深圳市华强数码商贸有限公司",
        seller_credit_code="91440300MA5XXXXXX1",
        decision="allow",
        key_product=True,
        category_code="0914",
        reason_codes_json="[]",
        reasons_json="[]",
        evidence_json="[]",
        draft_json="{}" + " " * 700,  # about a real draft's size
        verification_json="{}" + " " * 900,
        policy_version="bench",
        decided_at=now,
        recorded_at=now,
        origin="api",
        api_key_id=None,
        request_id=None,
        evidence=(CitedRecord("ccc", "2024011609123456", "valid"),),
    )


async def _round(mode: str, at_once: int, total: int, directory: Path) -> tuple[float, float]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{directory / f'{mode}-{at_once}.db'}",
        sqlite_synchronous=mode,
    )
    engine = make_engine(settings)
    await upgrade_async(engine)
    recorder = Recorder(
        engine,
        queue_max=100_000,
        batch_max=500,
        commit_timeout_s=30.0,
        idempotency_ttl=timedelta(hours=1),
        writer_engine=make_sqlite_writer_engine(settings),
    )
    await recorder.start()
    waits: list[float] = []

    async def record(number: int) -> None:
        start = time.perf_counter()
        await recorder.record([_row(number)])
        waits.append(time.perf_counter() - start)

    started = time.perf_counter()
    try:
        for first in range(0, total, at_once):
            await asyncio.gather(*(record(n) for n in range(first, first + at_once)))
        elapsed = time.perf_counter() - started
    finally:
        await recorder.stop()
        await engine.dispose()
    return total / elapsed, statistics.median(waits) * 1000


async def _main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for at_once, total in _SHAPES:
            results: dict[str, list[tuple[float, float]]] = {mode: [] for mode in _MODES}
            for number in range(rounds):
                for mode in _MODES:
                    directory = Path(folder) / f"{number}"
                    directory.mkdir(exist_ok=True)
                    results[mode].append(await _round(mode, at_once, total, directory))
            for mode, runs in results.items():
                rate = statistics.median(r[0] for r in runs)
                wait = statistics.median(r[1] for r in runs)
                print(
                    f"{at_once:2d} at once, synchronous={mode:6s}: {rate:7.0f} decisions/s, "
                    f"commit wait p50 {wait:.2f} ms"
                )


def main() -> None:
    """Runs the rounds and prints one line per shape and mode."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(_main(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
