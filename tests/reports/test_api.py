"""GET /v1/reports/leads: read scope, streamed CSV with BOM or JSON Lines."""

from __future__ import annotations

import csv
import io

import orjson
import pytest

from listing_gate.reports.leads import COLUMNS
from reverify.world import latest, running_app

pytestmark = pytest.mark.anyio


async def test_leads_csv_over_http_is_an_attachment_with_bom(world_url: str) -> None:
    """The read scope gets the CSV as an attachment, BOM first, one row per blocked listing."""
    blocked = [lid for lid, (_, d) in (await latest(world_url)).items() if d == "block"]
    async with running_app(world_url) as running:
        response = await running.client.get(
            "/v1/reports/leads",
            params={"since": "2026-01-01T00:00:00Z", "format": "csv"},
            headers=running.headers["read"],
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(blocked)


async def test_leads_jsonl_is_the_default_format(world_url: str) -> None:
    """Without ``format`` the report is one JSON object per line."""
    async with running_app(world_url) as running:
        response = await running.client.get(
            "/v1/reports/leads", params={"since": "2026-01-01"}, headers=running.headers["read"]
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    leads = [orjson.loads(line) for line in response.text.splitlines()]
    assert leads
    assert all(lead["reason_codes"] for lead in leads)


async def test_leads_need_a_key_with_the_read_scope(world_url: str) -> None:
    """No key is 401, a verify-only key 403, and a missing ``since`` 422."""
    async with running_app(world_url) as running:
        anonymous = await running.client.get("/v1/reports/leads", params={"since": "2026-01-01"})
        verifier = await running.client.get(
            "/v1/reports/leads", params={"since": "2026-01-01"}, headers=running.headers["verify"]
        )
        no_since = await running.client.get("/v1/reports/leads", headers=running.headers["read"])
    assert anonymous.status_code == 401
    assert verifier.status_code == 403
    assert no_since.status_code == 422
    assert no_since.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("since", ["0.5", "1764547200", "yesterday", "2026-13-01"])
async def test_since_must_be_an_iso_date_or_time(world_url: str, since: str) -> None:
    """A number is not read as Unix time: anything but an ISO date or time is a 422."""
    async with running_app(world_url) as running:
        response = await running.client.get(
            "/v1/reports/leads", params={"since": since}, headers=running.headers["read"]
        )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.since"]


async def test_until_before_since_is_a_422(world_url: str) -> None:
    """An inverted period is a mistake to report, not an empty 200."""
    async with running_app(world_url) as running:
        response = await running.client.get(
            "/v1/reports/leads",
            params={"since": "2026-12-08", "until": "2026-12-01T00:00:00+08:00"},
            headers=running.headers["read"],
        )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["query.until"]
