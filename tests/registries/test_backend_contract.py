"""One contract, every backend: the mirror on SQLite, on PostgreSQL, and the HTTP adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from listing_gate.domain import (
    CccRecord,
    LicenseRecord,
    RecallRecord,
    SpotCheckRecord,
    StandardRecord,
)
from listing_gate.normalize.company import parse_company
from listing_gate.normalize.model import index_keys
from listing_gate.registries.http import HttpBackend, make_http_client
from listing_gate.registries.keys import keys_for
from listing_gate.registries.mirror import MirrorBackend
from listing_gate.registries.protocol import RegistryBackend

from .conftest import (
    Records,
    fake_registry_api,
    loaded_mirror,
    scratch_pg_database,
    settings_for,
)

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module", params=["mirror-sqlite", "mirror-postgres", "http"])
async def backend(
    request: pytest.FixtureRequest,
    sample_dir: Path,
    sample_records: Records,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[RegistryBackend]:
    """Each contract test runs against every backend, loaded once with the sample registries.

    Module scope: the contract only reads, and loading a database per test is what
    would make the suite slow.
    """
    if request.param == "http":
        with fake_registry_api(sample_records):
            async with make_http_client(settings_for()) as client:
                yield HttpBackend(client, settings=settings_for())
        return
    async with AsyncExitStack() as stack:
        if request.param == "mirror-sqlite":
            url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('contract') / 'mirror.db'}"
        else:
            admin_url = request.getfixturevalue("pg_admin_url")
            url = await stack.enter_async_context(scratch_pg_database(admin_url))
        engine = await loaded_mirror(url, sample_dir)
        stack.push_async_callback(engine.dispose)
        yield MirrorBackend(engine, page_size=100)  # like the fake API: paging is exercised


def _first(records: Records, registry: str, **where: Any) -> dict[str, Any]:
    return next(r for r in records[registry] if all(r.get(k) == v for k, v in where.items()))


@pytest.mark.anyio
async def test_a_certificate_reads_back_exactly_as_imported(
    backend: RegistryBackend, sample_records: Records
) -> None:
    """A CCC certificate comes back with every field it was published with."""
    raw = _first(sample_records, "ccc", kind="certificate")
    assert await backend.get_ccc(raw["certificate_no"]) == CccRecord.model_validate(raw)


@pytest.mark.anyio
async def test_a_self_declaration_is_found_by_its_key(
    backend: RegistryBackend, sample_records: Records
) -> None:
    """Self-declarations share the CCC lookup, keyed by their normalised number."""
    raw = _first(sample_records, "ccc", kind="self_declaration")
    record = CccRecord.model_validate(raw)
    assert await backend.get_ccc(keys_for("ccc", record).key) == record


@pytest.mark.anyio
async def test_an_unknown_certificate_is_not_found(backend: RegistryBackend) -> None:
    """A well-formed number the registry does not hold is None, not an error."""
    assert await backend.get_ccc("2024019999999999") is None


@pytest.mark.anyio
async def test_licences_are_found_by_canonical_number_with_or_without_province(
    backend: RegistryBackend, sample_records: Records
) -> None:
    """Provincial and legacy licence numbers are both keys of their own."""
    legacy = next(r for r in sample_records["license"] if r["license_no"].startswith("XK"))
    provincial = next(r for r in sample_records["license"] if not r["license_no"].startswith("XK"))
    for raw in (legacy, provincial):
        key = keys_for("license", LicenseRecord.model_validate(raw)).key
        assert await backend.get_license(key) == LicenseRecord.model_validate(raw)
    assert await backend.get_license("粤XK99-999-99999") is None


@pytest.mark.anyio
async def test_recalls_are_found_by_model_key_or_by_manufacturer_core(
    backend: RegistryBackend, sample_records: Records
) -> None:
    """A recall turns up for its model key alone and for its manufacturer core alone."""
    raw = next(r for r in sample_records["recall"] if r["models"])
    expected = RecallRecord.model_validate(raw)
    model_key = index_keys(raw["models"])[0]
    core = parse_company(raw["manufacturer"]["name"]).core
    assert expected in await backend.find_recalls(model_key=model_key, manufacturer_cores=[])
    assert expected in await backend.find_recalls(model_key="NO-SUCH", manufacturer_cores=[core])
    assert await backend.find_recalls(model_key="NO-SUCH", manufacturer_cores=["无此企业"]) == []


@pytest.mark.anyio
async def test_spot_checks_are_found_by_model_key_or_by_manufacturer_core(
    backend: RegistryBackend, sample_records: Records
) -> None:
    """A spot-check failure turns up for its model key alone and for its manufacturer core."""
    raw = next(r for r in sample_records["spot_check"] if r["models"])
    expected = SpotCheckRecord.model_validate(raw)
    model_key = index_keys(raw["models"])[0]
    core = parse_company(raw["manufacturer"]["name"]).core
    found = await backend.find_spot_checks(model_key=model_key, manufacturer_cores=[])
    assert expected in found
    assert expected in await backend.find_spot_checks(model_key="NO", manufacturer_cores=[core])
    assert await backend.find_spot_checks(model_key="NO", manufacturer_cores=[]) == []


@pytest.mark.anyio
async def test_standards_come_back_by_key_and_missing_ones_are_absent(
    backend: RegistryBackend, sample_records: Records
) -> None:
    """Known standard keys map to their records; an unknown key is simply left out."""
    raws = sample_records["standard"][:3]
    keys = [keys_for("standard", StandardRecord.model_validate(r)).key for r in raws]
    found = await backend.get_standards([*keys, "GB 99999-2099"])
    assert found == {k: StandardRecord.model_validate(r) for k, r in zip(keys, raws, strict=True)}


@pytest.mark.anyio
async def test_status_reports_every_kind_with_its_record_count(
    backend: RegistryBackend, sample_records: Records
) -> None:
    """Each registry kind reports how many records it holds and when it was loaded."""
    statuses = {s.kind: s for s in await backend.status()}
    assert {k: s.records for k, s in statuses.items()} == {
        k: len(v) for k, v in sample_records.items()
    }
    assert all(s.last_import_at is not None and s.source == backend.name for s in statuses.values())


@pytest.mark.anyio
async def test_changed_since_lists_every_record_changed_after_the_time(
    backend: RegistryBackend, sample_records: Records
) -> None:
    """Everything changed since long ago; nothing changed since tomorrow."""
    changes = [c async for c in backend.changed_since("license", LONG_AGO)]
    assert len(changes) == len(sample_records["license"])
    by_id = {c.record.license_no: c.record for c in changes if isinstance(c.record, LicenseRecord)}
    assert by_id == {
        r["license_no"]: LicenseRecord.model_validate(r) for r in sample_records["license"]
    }
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert [c async for c in backend.changed_since("license", tomorrow)] == []


@pytest.mark.anyio
async def test_changed_since_pages_through_more_records_than_one_page(
    backend: RegistryBackend, sample_records: Records
) -> None:
    """The change feed is complete across pages (the CCC sample is several pages long)."""
    keys = [c.key async for c in backend.changed_since("ccc", LONG_AGO)]
    assert len(keys) == len(sample_records["ccc"])
