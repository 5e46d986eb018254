"""The lead report (draft art. 12): CSV a spreadsheet opens, JSONL, and the action taken."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from listing_gate.db.engine import make_engine
from listing_gate.domain import ListingDraft
from listing_gate.reports.leads import COLUMNS, ReportFormat, report_chunks
from listing_gate.runtime import open_resources
from listing_gate.service.auth import SCOPES, Principal
from listing_gate.service.decisions import Caller
from reverify.world import (
    BLOCKED_TWIN_ID,
    TWIN_IDS,
    exact_draft,
    latest,
    latest_evidence,
    registry_file_with,
    reverify_import,
    settings,
)

pytestmark = pytest.mark.anyio
SINCE = datetime(2026, 1, 1, tzinfo=UTC)


async def _report(url: str, fmt: ReportFormat, since: datetime = SINCE) -> str:
    engine = make_engine(settings(url))
    try:
        return "".join([chunk async for chunk in report_chunks(engine, since=since, fmt=fmt)])
    finally:
        await engine.dispose()


async def test_csv_report_is_utf8_with_bom_and_one_row_per_blocked_listing(
    world_url: str,
) -> None:
    """The CSV starts with a BOM, has the documented header, and parses back intact."""
    blocked = {
        lid for lid, (_, decision) in (await latest(world_url)).items() if decision == "block"
    }
    text = await _report(world_url, "csv")
    assert text.startswith("\ufeff")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbflisting_id,")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert {row["listing_id"] for row in rows} == blocked
    assert all(row["reason_codes"] and row["violations"] for row in rows)
    assert {row["action"] for row in rows} == {"blocked at upload"}
    twin = next(row for row in rows if row["listing_id"] == BLOCKED_TWIN_ID)
    draft = exact_draft()
    assert twin["shop_name"] == (draft["seller"].get("shop_name") or "")
    assert twin["manufacturer_name"] == draft["product"]["manufacturer"]["name"]
    assert "MODEL_NOT_COVERED" in twin["reason_codes"].split(" | ")


async def test_a_listing_blocked_by_re_verification_is_reported_as_taken_down(
    world_url: str, tmp_path: Path
) -> None:
    """After a revocation the flipped listings read "taken down on re-verification"."""
    cert = next(
        e["record_id"]
        for e in (await latest_evidence(world_url))[TWIN_IDS[0]]
        if e["registry"] == "ccc"
    )
    revoked = registry_file_with(
        tmp_path, "ccc", {"certificate_no": cert, "status": "revoked"}, "certificate_no"
    )
    await reverify_import(world_url, "ccc", revoked)

    leads = {
        lead["listing_id"]: lead
        for lead in map(orjson.loads, (await _report(world_url, "jsonl")).splitlines())
    }
    for listing_id in TWIN_IDS:
        lead = leads[listing_id]
        assert lead["action"] == "taken down on re-verification"
        assert lead["reason_codes"] == ["CREDENTIAL_REVOKED"]
        assert {"registry": "ccc", "record_id": cert, "status": "revoked"} in lead["evidence"]
    # Blocked at upload and still blocked: the action it carries stays the upload block.
    assert leads[BLOCKED_TWIN_ID]["action"] == "blocked at upload"
    assert "CREDENTIAL_REVOKED" in leads[BLOCKED_TWIN_ID]["reason_codes"]


async def test_a_period_without_blocks_gives_only_the_header(world_url: str) -> None:
    """``since`` after every decision: the CSV is just the BOM and the header."""
    text = await _report(world_url, "csv", since=datetime.now(UTC) + timedelta(days=1))
    assert text == "\ufeff" + ",".join(COLUMNS) + "\r\n"


async def test_seller_text_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(
    world_url: str,
) -> None:
    """A shop name starting with = is written with a leading quote in the CSV."""
    draft = exact_draft()
    draft["listing_id"] = "formula-shop"
    draft["seller"]["shop_name"] = '=HYPERLINK("http://evil.example","点我")'
    draft["product"]["model"] = "ZQ-88888"  # not covered: a block
    async with open_resources(settings(world_url)) as resources:
        caller = Caller(Principal("t", "t", frozenset(SCOPES)))
        await resources.decisions.decide([ListingDraft.model_validate(draft)], caller, origin="api")
    rows = list(csv.DictReader(io.StringIO((await _report(world_url, "csv"))[1:], newline="")))
    row = next(r for r in rows if r["listing_id"] == "formula-shop")
    assert row["shop_name"] == "'" + draft["seller"]["shop_name"]
