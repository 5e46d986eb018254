"""The ``listing-gate`` command: serve, db, registry import, check, keys (and reverify).

Every subcommand registers itself through a small ``add_*`` function taking the
subparsers, so another module can add one (see ``_add_reverify``) without editing the
others. All read the same ``LISTING_GATE_*`` settings as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from listing_gate import __version__
from listing_gate.cli import reverify
from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.domain import REGISTRY_KINDS, ListingDraft
from listing_gate.errors import InvalidRequestError, ListingGateError
from listing_gate.observability.logs import configure_logging
from listing_gate.registries.errors import ImportFileError
from listing_gate.registries.importer import import_file
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.sample import load_sample_if_empty
from listing_gate.rules.policy import load_policy
from listing_gate.runtime import VerifierFactory, open_resources
from listing_gate.service.auth import (
    SCOPES,
    Principal,
    create_key,
    list_keys,
    parse_scopes,
    revoke_key,
)
from listing_gate.service.decisions import Caller, VerifierLike
from listing_gate.service.draft_files import read_drafts
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

Subparsers = Any  # argparse's _SubParsersAction is private; its type is not exported
_CLI = Caller(Principal("cli", "command line", frozenset(SCOPES)))
_CHECK_CHUNK = 500  # drafts per group commit when checking a file


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"listing-gate: invalid LISTING_GATE_* settings:\n{exc}", file=sys.stderr)
        return 2
    # One-shot commands keep stderr for their own messages; the server logs at its level.
    configure_logging(settings.log_level if args.run is _serve else "warning")
    return int(args.run(args, settings))


def build_parser() -> argparse.ArgumentParser:
    """Returns the parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="listing-gate", description="Product-compliance gate for e-commerce listings."
    )
    parser.add_argument("--version", action="version", version=f"listing-gate {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in SUBCOMMANDS:
        register(subparsers)
    return parser


# --- serve ---------------------------------------------------------------------------------


def _add_serve(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("serve", help="run the HTTP API (migrates the database first)")
    p.add_argument("--host", help="bind address (LISTING_GATE_HOST)")
    p.add_argument("--port", type=int, help="port (LISTING_GATE_PORT)")
    p.add_argument("--workers", type=int, help="worker processes (LISTING_GATE_WORKERS)")
    p.set_defaults(run=_serve)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    asyncio.run(_prepare(settings))
    # The workers build their app from the same environment (create_app_from_env), so
    # the schema is migrated once here and never raced by several workers.
    uvicorn.run(
        "listing_gate.app:create_app_from_env",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers or settings.workers,
        log_config=None,
        access_log=False,
        server_header=False,
    )
    return 0


async def _prepare(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        await upgrade_async(engine)
        if settings.load_sample_data:
            await load_sample_if_empty(engine)
    finally:
        await engine.dispose()


# --- db ------------------------------------------------------------------------------------


def _add_db(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("db", help="database schema")
    sub = p.add_subparsers(title="db commands", metavar="ACTION", required=True)
    up = sub.add_parser("upgrade", help="migrate the database to the latest schema")
    up.set_defaults(run=_db_upgrade)


def _db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(upgrade_async(settings.database_url))
    print("database schema is at the latest revision")
    return 0


# --- registry import -----------------------------------------------------------------------


def _add_registry(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("registry", help="registry mirror data")
    sub = p.add_subparsers(title="registry commands", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="import a JSON Lines file; a bad line rejects the file")
    imp.add_argument("kind", choices=REGISTRY_KINDS, metavar="KIND", help=", ".join(REGISTRY_KINDS))
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--reverify", action="store_true", help="then re-decide the listings the changes concern"
    )
    imp.set_defaults(run=_registry_import)


def _registry_import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        result = asyncio.run(
            import_file(settings, args.kind, args.file, progress=sys.stderr.isatty())
        )
    except ImportFileError as exc:
        print(f"{args.file}: {exc}; nothing was imported", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(
        f"{result.kind}: {result.added} added, {result.replaced} replaced, "
        f"{result.records} records held ({result.seconds:.1f}s)"
    )
    if args.reverify:
        return reverify.reverify_after_import(args.kind, settings)
    return 0


# --- check ---------------------------------------------------------------------------------


def _add_check(subparsers: Subparsers) -> None:
    p = subparsers.add_parser(
        "check", help="verify drafts (JSON object, array or JSON Lines; - for stdin)"
    )
    p.add_argument("file", metavar="FILE", help="drafts to verify, or - for stdin")
    p.add_argument(
        "--as-of",
        type=_day,
        metavar="YYYY-MM-DD",
        help="decide as of this day in China's calendar (catalogue, expiry dates): at noon "
        "there, which decided_at records; default: now",
    )
    p.set_defaults(run=_check)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None


def _check(args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        # A missing or unreadable file is the caller's mistake: one line, not a traceback.
        print(f"listing-gate: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    items = read_drafts(data)
    if not items:
        print(f"{args.file}: no drafts", file=sys.stderr)
        return 2
    factory = _as_of(load_policy().moment_of(args.as_of)) if args.as_of else None
    try:
        return asyncio.run(_check_items(items, settings, factory))
    except BrokenPipeError:
        # The reader went away (`check FILE | head -3`): stop quietly, as a pipe tool
        # does. The decisions already written out were recorded; nothing else is decided.
        _silence_stdout()
        return 1


def _silence_stdout() -> None:
    # The interpreter flushes stdout once more at exit; into a closed pipe that would
    # print "Exception ignored ... BrokenPipeError" after all.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _as_of(moment: datetime) -> VerifierFactory:
    # The same verifier the service runs, whose clock stands still at the day's decision
    # moment: every rule then decides on that day (registry freshness stays today's).
    def factory(settings: Settings, lookup: RegistryLookup) -> VerifierLike:
        return Verifier.from_lookup(
            lookup, clock=lambda: moment, deadline_s=settings.verification_deadline_s
        )

    return factory


async def _check_items(
    items: list[ListingDraft | InvalidRequestError],
    settings: Settings,
    verifier_factory: VerifierFactory | None,
) -> int:
    undecided = 0
    async with open_resources(settings, verifier_factory=verifier_factory) as resources:
        for start in range(0, len(items), _CHECK_CHUNK):
            chunk = items[start : start + _CHECK_CHUNK]
            try:
                lines = await resources.decisions.decide(chunk, _CLI, origin="cli")
                undecided += sum(not isinstance(item, ListingDraft) for item in chunk)
            except ListingGateError as exc:
                # Not recorded, so not decided: each line says why, never a verification.
                lines = [orjson.dumps(exc.body())] * len(chunk)
                undecided += len(chunk)
            sys.stdout.buffer.write(b"\n".join(lines) + b"\n")
            sys.stdout.flush()
    return 0 if undecided == 0 else 1


# --- keys ----------------------------------------------------------------------------------


def _add_keys(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("keys", help="API keys")
    sub = p.add_subparsers(title="keys commands", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="create a key and print it (shown once)")
    create.add_argument("--name", required=True, help="who or what uses the key")
    create.add_argument("--scopes", required=True, help=f"comma-separated: {','.join(SCOPES)}")
    create.set_defaults(run=_keys_create)
    sub.add_parser("list", help="list keys (never the keys themselves)").set_defaults(
        run=_keys_list
    )
    revoke = sub.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id", metavar="KEY_ID")
    revoke.set_defaults(run=_keys_revoke)


def _keys_create(args: argparse.Namespace, settings: Settings) -> int:
    try:
        scopes = parse_scopes(args.scopes)
    except ValueError as exc:
        print(f"listing-gate: {exc}", file=sys.stderr)
        return 2
    key, row = asyncio.run(_with_engine(settings, lambda e: create_key(e, args.name, scopes)))
    print(key)
    print(
        f"created key {row.key_id} ({row.name}, scopes {row.scopes}); "
        "store it now: it is not shown again",
        file=sys.stderr,
    )
    return 0


def _keys_list(_args: argparse.Namespace, settings: Settings) -> int:
    rows = asyncio.run(_with_engine(settings, list_keys))
    print("KEY_ID\tNAME\tPREFIX\tSCOPES\tCREATED\tREVOKED")
    for r in rows:
        revoked = r.revoked_at.isoformat() if r.revoked_at else "-"
        print(
            f"{r.key_id}\t{r.name}\t{r.prefix}\t{r.scopes}\t{r.created_at.isoformat()}\t{revoked}"
        )
    return 0


def _keys_revoke(args: argparse.Namespace, settings: Settings) -> int:
    done = asyncio.run(_with_engine(settings, lambda e: revoke_key(e, args.key_id)))
    if not done:
        print(f"listing-gate: no live key {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}")
    return 0


async def _with_engine(settings: Settings, action: Callable[[Any], Any]) -> Any:
    engine = make_engine(settings)
    try:
        await upgrade_async(engine)
        return await action(engine)
    finally:
        await engine.dispose()


SUBCOMMANDS: list[Callable[[Subparsers], None]] = [
    _add_serve,
    _add_db,
    _add_registry,
    _add_check,
    _add_keys,
    reverify.add_parser,
]
