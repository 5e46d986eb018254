"""Importing registry files: atomic per file, replace by id, errors that name the line."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db.engine import make_engine
from listing_gate.db.migrate import upgrade_async
from listing_gate.domain import REGISTRY_KINDS, CccRecord
from listing_gate.registries.errors import ImportFileError
from listing_gate.registries.importer import BATCH_SIZE, import_file
from listing_gate.registries.mirror import MirrorBackend
from listing_gate.registries.sample import load_sample_if_empty

from .conftest import Records, settings_for

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database: SQLite and PostgreSQL."""
    engine = make_engine(settings_for(database_url))
    await upgrade_async(engine)
    yield engine
    await engine.dispose()


def write_jsonl(path: Path, rows: list[dict[str, object]] | list[bytes]) -> Path:
    """Writes rows (dicts, or raw lines as given) as a JSON Lines file."""
    lines = [r if isinstance(r, bytes) else orjson.dumps(r) for r in rows]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


async def count(engine: AsyncEngine, kind: str) -> int:
    """Records of `kind` the mirror reports."""
    statuses: dict[str, int] = {s.kind: s.records for s in await MirrorBackend(engine).status()}
    return statuses[kind]


@pytest.mark.anyio
async def test_every_sample_file_imports(
    engine: AsyncEngine, sample_dir: Path, sample_records: Records
) -> None:
    """All five sample registries import with every record added."""
    for kind in REGISTRY_KINDS:
        result = await import_file(engine, kind, sample_dir / f"{kind}.jsonl")
        assert (result.added, result.replaced) == (len(sample_records[kind]), 0)
        assert await count(engine, kind) == len(sample_records[kind])


@pytest.mark.anyio
async def test_reimporting_replaces_by_id(engine: AsyncEngine, sample_dir: Path) -> None:
    """A second import of the same file replaces every record and adds none."""
    first = await import_file(engine, "license", sample_dir / "license.jsonl")
    second = await import_file(engine, "license", sample_dir / "license.jsonl")
    assert (second.added, second.replaced, second.records) == (0, first.added, first.added)


@pytest.mark.anyio
async def test_a_changed_record_replaces_the_old_one_and_shows_as_changed(
    engine: AsyncEngine, sample_records: Records, tmp_path: Path
) -> None:
    """Re-import takes the new content; only records whose content changed are "changed"."""
    rows = sample_records["ccc"][:3]
    await import_file(engine, "ccc", write_jsonl(tmp_path / "a.jsonl", rows), clock=lambda: T0)
    revoked = [*rows[:2], rows[2] | {"status": "revoked"}]
    later = T0 + timedelta(hours=1)
    path = write_jsonl(tmp_path / "b.jsonl", revoked)
    await import_file(engine, "ccc", path, clock=lambda: later)
    mirror = MirrorBackend(engine)
    record = await mirror.get_ccc(rows[2]["certificate_no"])
    assert record is not None
    assert record.status == "revoked"
    changed = [c.record_id async for c in mirror.changed_since("ccc", T0)]
    assert changed == [rows[2]["certificate_no"]]


@pytest.mark.anyio
async def test_one_bad_line_in_the_middle_imports_nothing_and_names_the_line(
    engine: AsyncEngine, sample_records: Records, tmp_path: Path
) -> None:
    """A file with a bad line is rejected whole, even past the first batch."""
    good = [
        sample_records["ccc"][0] | {"certificate_no": f"2024010914{n:06d}"}
        for n in range(BATCH_SIZE + 10)
    ]
    bad = [*good[: BATCH_SIZE + 5], good[0] | {"status": "lost"}, *good[BATCH_SIZE + 5 :]]
    with pytest.raises(ImportFileError) as caught:
        await import_file(engine, "ccc", write_jsonl(tmp_path / "bad.jsonl", bad))
    assert (caught.value.line_no, caught.value.field) == (BATCH_SIZE + 6, "status")
    assert await count(engine, "ccc") == 0


@pytest.mark.anyio
async def test_a_bad_line_leaves_earlier_imports_untouched(
    engine: AsyncEngine, sample_dir: Path, sample_records: Records, tmp_path: Path
) -> None:
    """A rejected re-import keeps the records and freshness of the last good one."""
    await import_file(engine, "license", sample_dir / "license.jsonl")
    before = await MirrorBackend(engine).status()
    rows = [*(orjson.dumps(r) for r in sample_records["license"][:2]), b"{not json"]
    with pytest.raises(ImportFileError, match="line 3: invalid JSON"):
        await import_file(engine, "license", write_jsonl(tmp_path / "bad.jsonl", rows))
    assert await MirrorBackend(engine).status() == before


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"certificate_no": "20240116091234"}, "certificate_no"),
        ({"certificate_no": "2024O11609123456"}, "certificate_no"),
        ({"models": "PB-2000"}, "models"),
        ({"holder": {"address": "no name"}}, "holder.name"),
    ],
)
async def test_an_invalid_field_is_named_in_the_error(
    sqlite_url: str,
    sample_records: Records,
    tmp_path: Path,
    change: dict[str, object],
    field: str,
) -> None:
    """The error says which field of which line is wrong."""
    engine = make_engine(settings_for(sqlite_url))
    await upgrade_async(engine)
    rows = [sample_records["ccc"][0], sample_records["ccc"][1] | change]
    with pytest.raises(ImportFileError) as caught:
        await import_file(engine, "ccc", write_jsonl(tmp_path / "bad.jsonl", rows))
    await engine.dispose()
    assert (caught.value.line_no, caught.value.field) == (2, field)


@pytest.mark.anyio
async def test_a_line_that_is_not_an_object_is_rejected(sqlite_url: str, tmp_path: Path) -> None:
    """A JSON array or number on a line is not a record."""
    with pytest.raises(ImportFileError, match="line 1"):
        await import_file(
            settings_for(sqlite_url), "standard", write_jsonl(tmp_path / "x", [b"[1]"])
        )


@pytest.mark.anyio
async def test_blank_lines_and_a_byte_order_mark_are_tolerated(
    sqlite_url: str, sample_records: Records, tmp_path: Path
) -> None:
    """Files saved by spreadsheet tools still import."""
    rows = [orjson.dumps(r) for r in sample_records["standard"][:2]]
    path = tmp_path / "std.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + rows[0] + b"\n\n" + rows[1] + b"\n\n")
    result = await import_file(settings_for(sqlite_url), "standard", path)
    assert result.added == 2


@pytest.mark.anyio
async def test_an_id_repeated_in_one_file_counts_once_added_then_replaced(
    sqlite_url: str, sample_records: Records, tmp_path: Path
) -> None:
    """The later line wins; the counts add up to the lines."""
    row = sample_records["ccc"][0]
    path = write_jsonl(tmp_path / "dup.jsonl", [row, row | {"status": "revoked"}])
    result = await import_file(settings_for(sqlite_url), "ccc", path)
    assert (result.added, result.replaced, result.records) == (1, 1, 1)


@pytest.mark.anyio
async def test_vehicle_versions_are_records_of_their_own_and_the_latest_issued_wins(
    sqlite_url: str, sample_records: Records, tmp_path: Path
) -> None:
    """`2022221101000119(B0)` and `(B1)` share a key; a lookup returns the newer version."""
    base = sample_records["ccc"][0]
    old = base | {"certificate_no": "2022221101000119(B0)", "issued_on": "2022-03-01"}
    new = base | {"certificate_no": "2022221101000119(B1)", "issued_on": "2024-05-01"}
    engine = make_engine(settings_for(sqlite_url))
    await import_file(
        settings_for(sqlite_url), "ccc", write_jsonl(tmp_path / "v.jsonl", [new, old])
    )
    found = await MirrorBackend(engine).get_ccc("2022221101000119")
    await engine.dispose()
    assert found == CccRecord.model_validate(new)


@pytest.mark.anyio
async def test_progress_without_a_terminal_prints_plain_counts(
    sqlite_url: str, sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Off a terminal there is no bar, only count lines on stderr."""
    await import_file(
        settings_for(sqlite_url), "recall", sample_dir / "recall.jsonl", progress=True
    )
    assert capsys.readouterr().err == "import recall: 40 records\n"


@pytest.mark.anyio
async def test_an_unknown_kind_is_refused(sqlite_url: str, sample_dir: Path) -> None:
    """Only the contract's five kinds import."""
    with pytest.raises(ValueError, match="unknown registry kind"):
        await import_file(settings_for(sqlite_url), "codes", sample_dir / "ccc.jsonl")


@pytest.mark.anyio
async def test_the_shipped_sample_loads_only_into_empty_kinds(
    sqlite_url: str, sample_dir: Path
) -> None:
    """The quick start fills empty registries and leaves loaded ones alone."""
    engine = make_engine(settings_for(sqlite_url))
    await upgrade_async(engine)
    await import_file(engine, "ccc", sample_dir / "ccc.jsonl")
    loaded = await load_sample_if_empty(engine)
    again = await load_sample_if_empty(engine)
    await engine.dispose()
    assert sorted(r.kind for r in loaded) == sorted(k for k in REGISTRY_KINDS if k != "ccc")
    assert again == []
