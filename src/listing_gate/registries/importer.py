"""Streaming import of a registry data file (JSON Lines) into the database mirror.

One transaction per file: a bad line rolls everything back and the error names the line
and the field. Lines are read and upserted in batches, so memory stays flat whatever
the file size.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from types import TracebackType
from typing import NoReturn

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from tqdm import tqdm

from listing_gate.db import unit
from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.db.repositories import registry as repo
from listing_gate.db.repositories import registry_import as writes
from listing_gate.domain import REGISTRY_KINDS, CccRecord, RegistryKind, SpotCheckRecord
from listing_gate.registries.errors import ImportFileError, RecordKeyError
from listing_gate.registries.keys import keys_for
from listing_gate.registries.protocol import RECORD_MODELS
from listing_gate.settings import Settings

__all__ = ["BATCH_SIZE", "ImportResult", "import_file"]

# Large enough that per-statement overhead vanishes, small enough to stay a few MB.
BATCH_SIZE = 2000
_PLAIN_EVERY = 100_000  # records between progress lines when stderr is not a terminal
_YIELD_EVERY = 256  # lines parsed between turns for the batch being written
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What one import did."""

    kind: RegistryKind
    path: str
    added: int
    replaced: int
    records: int  # records of this kind held after the import
    seconds: float


async def import_file(
    target: AsyncEngine | Settings,
    kind: str,
    path: str | Path,
    *,
    progress: bool = False,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ImportResult:
    """Returns added/replaced counts after importing `path` atomically; ImportFileError if bad.

    Given Settings, the database is created or migrated to head first.
    """
    if kind not in REGISTRY_KINDS:
        raise ValueError(f"unknown registry kind {kind!r}; one of {', '.join(REGISTRY_KINDS)}")
    registry: RegistryKind = kind  # narrowed by the membership test above
    file = Path(path)
    engine = make_engine(target) if isinstance(target, Settings) else target
    try:
        if isinstance(target, Settings):
            await upgrade_async(engine)
        return await _import(engine, registry, file, progress=progress, clock=clock)
    finally:
        if isinstance(target, Settings):
            await engine.dispose()


async def _import(
    engine: AsyncEngine,
    kind: RegistryKind,
    path: Path,
    *,
    progress: bool,
    clock: Callable[[], datetime],
) -> ImportResult:
    started, timer = clock(), perf_counter()
    duplicates = 0
    batch: dict[str, writes.RecordRow] = {}
    with _Progress(kind, path, enabled=progress) as bar:
        async with unit.write(engine) as conn:
            writer = _BatchWriter(conn, kind, started)
            try:
                for line_no, (line_bytes, row) in enumerate(_rows(kind, path)):
                    bar.advance(line_bytes)
                    if line_no % _YIELD_EVERY == 0:
                        await writer.let_run()
                    if row is None:
                        continue
                    if row.record_id in batch:
                        duplicates += 1  # the file repeats an id: the later line wins
                    batch[row.record_id] = row
                    if len(batch) >= BATCH_SIZE:
                        await writer.submit(list(batch.values()))
                        bar.show(writer.added + writer.replaced + duplicates)
                        batch = {}
                await writer.submit(list(batch.values()))
                await writer.drain()
            finally:
                # A bad line can come while a batch is in flight: let it finish before the
                # transaction rolls back, a connection cannot roll back mid-statement.
                await writer.settle()
            added, replaced = writer.added, writer.replaced + duplicates
            records = await repo.count_records(conn, kind)
            await writes.record_import(
                conn,
                kind,
                source=path.name,
                started_at=started,
                finished_at=clock(),
                added=added,
                replaced=replaced,
                records=records,
            )
        bar.show(added + replaced, final=True)
    return ImportResult(kind, str(path), added, replaced, records, perf_counter() - timer)


class _BatchWriter:
    """Upserts one batch at a time while the next is parsed: CPU and database overlap."""

    def __init__(self, conn: AsyncConnection, kind: RegistryKind, now: datetime) -> None:
        self._conn = conn
        self._kind = kind
        self._now = now
        self._pending: asyncio.Task[None] | None = None
        self.added = 0
        self.replaced = 0

    async def submit(self, rows: list[writes.RecordRow]) -> None:
        """Waits for the batch in flight, then starts writing `rows`."""
        await self.drain()
        self._pending = asyncio.create_task(self._write(rows))
        await asyncio.sleep(0)  # let it send its statement before parsing goes on

    async def let_run(self) -> None:
        """Gives the batch in flight a turn (a multi-statement batch needs several)."""
        if self._pending is not None and not self._pending.done():
            await asyncio.sleep(0)

    async def drain(self) -> None:
        """Waits for the batch in flight; its error, if any, is raised here."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await pending

    async def settle(self) -> None:
        """Waits for the batch in flight without raising (the caller is failing already)."""
        if self._pending is not None:
            await asyncio.gather(self._pending, return_exceptions=True)

    async def _write(self, rows: list[writes.RecordRow]) -> None:
        existed = await writes.upsert_records(self._conn, self._kind, rows, self._now)
        self.added += len(rows) - existed
        self.replaced += existed


def _rows(kind: RegistryKind, path: Path) -> Iterator[tuple[int, writes.RecordRow | None]]:
    # A sync generator: the file is read in the importing process's own thread, line by
    # line, which is what keeps memory flat; parsing is CPU work either way.
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            line = raw.removeprefix(_BOM) if line_no == 1 else raw
            stripped = line.strip()
            # blank lines (a trailing newline, a separator) carry no record
            yield len(raw), _parse(kind, line_no, stripped) if stripped else None


def _parse(kind: RegistryKind, line_no: int, line: bytes) -> writes.RecordRow:
    try:
        record = RECORD_MODELS[kind].model_validate_json(line)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in error["loc"]) or None
        message = error["msg"]
        if error["type"] == "json_invalid":
            message = f"invalid JSON ({error['ctx'].get('error', 'syntax error')})"
        raise ImportFileError(line_no, field, message) from None
    try:
        keys = keys_for(kind, record)
    except RecordKeyError as exc:
        raise ImportFileError(line_no, exc.field, exc.message) from None
    status: str = record.result if isinstance(record, SpotCheckRecord) else str(record.status)
    ccc = record if isinstance(record, CccRecord) else None
    return writes.RecordRow(
        record_id=keys.record_id,
        key=keys.key,
        status=status,
        # the line as given: the record reads back in exactly the shape it was imported
        record=line.decode(),
        ccc_kind=ccc.kind if ccc else None,
        issued_on=ccc.issued_on if ccc else None,
        model_keys=keys.model_keys,
        manufacturer_cores=keys.manufacturer_cores,
    )


class _Progress:
    """A tqdm bar over the file's bytes on a terminal, a count line now and then otherwise."""

    def __init__(self, kind: str, path: Path, *, enabled: bool) -> None:
        self._kind = kind
        self._enabled = enabled
        self._bar: tqdm[NoReturn] | None = None
        self._next_line = _PLAIN_EVERY
        self._pending = 0
        if enabled and sys.stderr.isatty():
            self._bar = tqdm(
                total=path.stat().st_size, unit="B", unit_scale=True, desc=f"import {kind}"
            )

    def __enter__(self) -> _Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()

    def advance(self, nbytes: int) -> None:
        """Moves the bar by the bytes just read (redrawn once per batch, not per line)."""
        self._pending += nbytes

    def show(self, records: int, *, final: bool = False) -> None:
        """Redraws the bar, or writes a plain count line when one is due."""
        if self._bar is not None:
            self._bar.update(self._pending)
            self._pending = 0
            return
        if not self._enabled:
            return
        if final or records >= self._next_line:
            sys.stderr.write(f"import {self._kind}: {records} records\n")
            self._next_line = records + _PLAIN_EVERY
