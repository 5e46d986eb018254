"""Command line of issue 5: ``reverify``, ``report leads``, ``events deliver|status``.

``listing_gate.cli`` calls ``add_parser`` with its subparsers; ``registry import
--reverify`` calls ``reverify_after_import``. Output goes to stdout (the summary, the
report), progress and notes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import resource
import signal
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

from listing_gate.db import unit
from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.repositories import events as events_repo
from listing_gate.domain import REGISTRY_KINDS, RegistryKind
from listing_gate.events.worker import DeliveryWorker
from listing_gate.reports.leads import report_chunks
from listing_gate.reverify.checkpoint_file import CheckpointFile
from listing_gate.reverify.jobs import (
    RunStatus,
    batch_settings,
    changes_since_import,
    create_run,
    prepare_registry_run,
    run_shard,
    run_status,
    write_changes,
)
from listing_gate.reverify.progress import Progress
from listing_gate.reverify.runner import Interrupted, RunnerOptions, ShardResult
from listing_gate.reverify.selection import RegistryChange
from listing_gate.reverify.shards import Shard, shard_from_env
from listing_gate.runtime import open_resources
from listing_gate.settings import Settings

__all__ = ["add_parser", "parse_time", "reverify_after_import"]

Subparsers = Any  # argparse's _SubParsersAction is private


def add_parser(subparsers: Subparsers) -> None:
    """Registers the ``reverify``, ``report`` and ``events`` subcommands."""
    p = subparsers.add_parser("reverify", help="re-decide recorded listings on current registries")
    p.add_argument("--run-id", help="resume this run (or start one under this id)")
    p.add_argument("--checkpoint", type=Path, help="file keeping this shard's run id and progress")
    p.add_argument(
        "--shard-index", type=int, help="this shard (default: $JOB_COMPLETION_INDEX or 0)"
    )
    p.add_argument("--shard-count", type=int, default=1, help="shards of the run (default 1)")
    p.add_argument("--page-size", type=int, help="listings per page and transaction")
    p.add_argument("--concurrency", type=int, help="re-decisions in flight at once")
    p.add_argument("--changes-out", help="write this shard's changes as JSON Lines (- = stdout)")
    p.add_argument(
        "--registry",
        action="append",
        choices=REGISTRY_KINDS,
        help="only listings concerned by records of this kind changed (repeatable)",
    )
    p.add_argument("--since", type=parse_time, help="with --registry: changed after (ISO time)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar or lines")
    p.add_argument("--stop-after-pages", type=int, help=argparse.SUPPRESS)  # tests: a kill
    p.set_defaults(run=_reverify)

    report = subparsers.add_parser("report", help="reports for regulators")
    sub = report.add_subparsers(title="reports", metavar="REPORT", required=True)
    leads = sub.add_parser("leads", help="blocked listings as leads (draft art. 12)")
    leads.add_argument("--since", type=parse_time, required=True, help="decided at or after")
    leads.add_argument("--until", type=parse_time, help="decided before")
    leads.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    leads.add_argument("--out", type=Path, help="file to write (default stdout)")
    leads.set_defaults(run=_report_leads)

    events = subparsers.add_parser("events", help="outcome-change webhooks")
    sub = events.add_subparsers(title="events commands", metavar="ACTION", required=True)
    deliver = sub.add_parser("deliver", help="deliver outcome-change events to the webhooks")
    deliver.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    deliver.set_defaults(run=_events_deliver)
    sub.add_parser("status", help="deliveries by state").set_defaults(run=_events_status)


def parse_time(text: str) -> datetime:
    """Returns an aware datetime for an ISO date or time (UTC when no offset is given)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date or time") from None
    if len(text) == len("YYYY-MM-DD"):
        value = datetime.combine(date.fromisoformat(text), datetime.min.time())
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


# --- reverify ------------------------------------------------------------------------------


def _reverify(args: argparse.Namespace, settings: Settings) -> int:
    try:
        shard = shard_from_env(args.shard_index, args.shard_count)
    except ValueError as exc:
        _err(f"listing-gate: {exc}")
        return 2
    return asyncio.run(_reverify_async(args, settings, shard))


async def _reverify_async(args: argparse.Namespace, settings: Settings, shard: Shard) -> int:
    keeper = CheckpointFile(args.checkpoint) if args.checkpoint else None
    run_id = args.run_id or (keeper.unfinished_run() if keeper else None)
    async with open_resources(batch_settings(settings)) as resources:
        engine = resources.engine
        existing = await run_status(engine, run_id) if run_id else None
        if args.registry and (existing is None or existing.run.status == "selecting"):
            kinds: list[RegistryKind] = list(dict.fromkeys(args.registry))
            changes = (
                [RegistryChange(kind, args.since) for kind in kinds]
                if args.since
                else await changes_since_import(engine, kinds)
            )
            trigger = {"by": "cli"}
            run = await prepare_registry_run(
                engine, resources.lookup.backend, changes, trigger=trigger, run_id=run_id
            )
        elif existing is not None:
            run = existing.run
        else:
            run = await create_run(engine, scope="all", trigger={"by": "cli"}, run_id=run_id)
        _err(f"reverify run {run.run_id} shard {shard}; resume with --run-id {run.run_id}")
        progress = Progress(f"reverify {shard}", enabled=not args.no_progress)
        options = RunnerOptions(
            page_size=args.page_size or settings.reverify_page_size,
            concurrency=args.concurrency or settings.reverify_concurrency,
            stop_after_pages=args.stop_after_pages,
        )
        _tune_gc()
        try:
            result = await run_shard(
                engine,
                resources.decisions.verifier,
                run_id=run.run_id,
                shard=shard,
                options=options,
                progress=progress,
                on_commit=keeper.save if keeper else None,
            )
        except Interrupted as exc:
            _err(f"reverify run {run.run_id} shard {shard}: {exc}")
            return 3
        written = await _write_changes(engine, run.run_id, shard, args.changes_out)
        status = await run_status(engine, run.run_id)
    assert status is not None  # noqa: S101 - the run exists: it was just run
    _summary(status, shard, result, written, args.changes_out)
    return 0


def _tune_gc() -> None:
    # A run allocates millions of short-lived objects beside a large long-lived heap
    # (catalog, policy, registry caches). Freezing that heap keeps full collections from
    # walking it again and again, and a larger young generation collects less often:
    # about a quarter of a run's CPU, measured with bench/reverify_bench.py.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


async def _write_changes(engine: Any, run_id: str, shard: Shard, target: str | None) -> int:
    if not target:
        return 0
    if target == "-":
        return await write_changes(engine, run_id, shard, sys.stdout)
    # One-shot command: nothing else runs on this loop while the file is written.
    with Path(target).open("w", encoding="utf-8") as out:  # noqa: ASYNC230
        return await write_changes(engine, run_id, shard, out)


def _summary(
    status: RunStatus, shard: Shard, result: ShardResult, written: int, target: str | None
) -> None:
    cp = result.checkpoint
    lines = [
        f"reverify run {status.run.run_id} shard {shard}: {'done' if cp.done else 'not done'}; "
        f"{cp.processed} listings re-decided, {cp.changed} recorded as changed, "
        f"{result.errors} could not be decided, {result.unchecked} kept their decision "
        "because a registry was unavailable",
        f"this attempt: {result.processed_now} listings in {result.seconds:.1f}s "
        f"({result.rate:,.0f} listings/s), peak memory {_peak_mb():.0f} MB",
        f"run status {status.run.status}; changes so far (all shards):",
    ]
    for (old, new), count in sorted(status.transitions.items()):
        label = f"{old} -> {new}" if old != new else f"{old} -> {new} (reasons changed)"
        lines.append(f"  {label}: {count}")
    if not status.transitions:
        lines.append("  none")
    if target and target != "-":
        lines.append(f"{written} changes of this shard written to {target}")
    sys.stdout.write("\n".join(lines) + "\n")


def _peak_mb() -> float:
    # Shows that memory stays flat however many listings. VmHWM is this program's own peak;
    # ru_maxrss (the fallback) also counts the parent's memory when it was forked off one.
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reverify_after_import(kind: RegistryKind, settings: Settings) -> int:
    """Returns the exit status of re-deciding the listings the latest ``kind`` import changed."""
    args = argparse.Namespace(
        run_id=None,
        checkpoint=None,
        registry=[kind],
        since=None,
        page_size=None,
        concurrency=None,
        stop_after_pages=None,
        changes_out=None,
        # Progress picks a bar on a terminal and plain lines elsewhere (a pipe, a pod's
        # log); turning it off off a terminal left an import's re-verification silent.
        no_progress=False,
    )
    return asyncio.run(_reverify_async(args, settings, Shard()))


# --- report leads --------------------------------------------------------------------------


def _report_leads(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_report_async(args, settings))


async def _report_async(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings)
    try:
        await upgrade_async(engine)
        chunks = report_chunks(engine, since=args.since, until=args.until, fmt=args.format)
        # newline="": the CSV carries its own CRLF line ends, which must not be translated.
        out = args.out.open("w", encoding="utf-8", newline="") if args.out else None
        try:
            async for chunk in chunks:
                (out or sys.stdout).write(chunk)
        finally:
            if out is not None:
                out.close()
    finally:
        await engine.dispose()
    return 0


# --- events --------------------------------------------------------------------------------


def _events_deliver(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.webhook_urls:
        _err("listing-gate: no LISTING_GATE_WEBHOOK_URLS configured; nothing to deliver to")
        return 2
    return asyncio.run(_deliver(settings, once=args.once))


async def _deliver(settings: Settings, *, once: bool) -> int:
    engine = make_engine(settings)
    try:
        await upgrade_async(engine)
        worker = DeliveryWorker(engine, settings)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            # Finish the batch in flight and record it: a delivery made but not recorded
            # would be sent again (harmless with idempotency keys, but avoidable).
            loop.add_signal_handler(signum, worker.request_stop)
        try:
            await worker.run(until_idle=once)
        finally:
            await worker.stop()
    finally:
        await engine.dispose()
    return 0


def _events_status(_args: argparse.Namespace, settings: Settings) -> int:
    async def counts() -> dict[str, int]:
        engine = make_engine(settings)
        try:
            await upgrade_async(engine)
            async with unit.read(engine) as conn:
                return await events_repo.count_by_status(conn)
        finally:
            await engine.dispose()

    sys.stdout.write(orjson.dumps(asyncio.run(counts())).decode() + "\n")
    return 0
