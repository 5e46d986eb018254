"""Registry-driven re-decisions: a registry change re-decides exactly the listings it concerns."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from listing_gate.db.engine import make_engine
from listing_gate.db.tables.decisions import decisions
from listing_gate.db.tables.events import outcome_events
from listing_gate.events.signing import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify_signature,
)
from listing_gate.events.worker import DeliveryWorker
from reverify.world import (
    BLOCKED_TWIN_ID,
    REGISTRY,
    TWIN_IDS,
    exact_draft,
    latest,
    latest_evidence,
    registry_file_with,
    reverify_import,
    settings,
)

pytestmark = pytest.mark.anyio
SECRET = "test-secret"


async def _certificate_of(url: str, listing_id: str) -> str:
    evidence = (await latest_evidence(url))[listing_id]
    return str(next(e["record_id"] for e in evidence if e["registry"] == "ccc"))


async def _events(url: str) -> list[dict[str, Any]]:
    engine = make_engine(settings(url))
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(outcome_events.c.payload))
            return [orjson.loads(payload) for (payload,) in rows]
    finally:
        await engine.dispose()


async def _deliver_all(url: str) -> list[httpx.Request]:
    received: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(204)

    config = settings(url, webhook_urls=["https://hooks.example/lg"], webhook_secret=SECRET)
    engine = make_engine(config)
    client = httpx.AsyncClient(transport=httpx.MockTransport(receive))
    try:
        worker = DeliveryWorker(engine, config, client=client)
        await worker.run(until_idle=True)
    finally:
        await client.aclose()
        await engine.dispose()
    return received


async def test_revoking_a_certificate_blocks_exactly_the_listings_allowed_on_it(
    world_url: str, tmp_path: Path
) -> None:
    """Allowed listings on the revoked certificate flip to block, one signed event each."""
    before = await latest(world_url)
    cert = await _certificate_of(world_url, TWIN_IDS[0])
    evidence = await latest_evidence(world_url)
    on_cert = {
        listing for listing in before if any(e["record_id"] == cert for e in evidence[listing])
    }
    allowed_on_cert = {listing for listing in on_cert if before[listing][1] == "allow"}
    assert allowed_on_cert >= {exact_draft()["listing_id"], *TWIN_IDS}
    revoked = registry_file_with(
        tmp_path, "ccc", {"certificate_no": cert, "status": "revoked"}, "certificate_no"
    )

    status = await reverify_import(world_url, "ccc", revoked)

    after = await latest(world_url)
    flipped = {listing for listing in after if after[listing][1] != before[listing][1]}
    assert flipped == allowed_on_cert
    assert all(after[listing][1] == "block" for listing in flipped)
    untouched = set(before) - on_cert
    assert all(after[listing] == before[listing] for listing in untouched)
    assert after[BLOCKED_TWIN_ID][1] == "block"  # still blocked, now also for the revocation
    assert status.run.status == "done"
    assert status.transitions[("allow", "block")] == len(allowed_on_cert)

    events = await _events(world_url)
    assert sorted(e["listing_id"] for e in events) == sorted(allowed_on_cert)
    for event in events:
        assert (event["old_decision"], event["new_decision"]) == ("allow", "block")
        assert "CREDENTIAL_REVOKED" in event["reason_codes"]
        assert {"registry": "ccc", "record_id": cert, "status": "revoked"} in event["records"]
        assert event["verification_id"] == after[event["listing_id"]][0]

    delivered = await _deliver_all(world_url)
    assert len(delivered) == len(events)
    for request in delivered:
        assert verify_signature(
            SECRET,
            request.headers[SIGNATURE_HEADER],
            request.headers[TIMESTAMP_HEADER],
            request.content,
            now=time.time(),
        )
        assert request.headers[IDEMPOTENCY_HEADER] == orjson.loads(request.content)["event_id"]


async def test_reimporting_an_unchanged_file_re_decides_nothing(world_url: str) -> None:
    """Records whose content did not change select no listing and record nothing."""
    before = await latest(world_url)
    status = await reverify_import(world_url, "ccc", REGISTRY / "ccc.jsonl")
    assert status.run.targets == 0
    assert status.processed == 0
    assert await latest(world_url) == before


async def test_a_new_recall_blocks_the_listings_of_its_maker_and_model(
    world_url: str, tmp_path: Path
) -> None:
    """A new active recall reaches listings by model and maker, though no decision cited it."""
    draft = exact_draft()
    before = await latest(world_url)
    recall = {
        "recall_id": "TEST-RECALL-1",
        "status": "active",
        "manufacturer": {"name": draft["product"]["manufacturer"]["name"]},
        "product_name": draft["product"]["name"],
        "models": [draft["product"]["model"]],
        "announced_on": "2026-11-20",
    }
    path = tmp_path / "recall.jsonl"
    path.write_text(
        (REGISTRY / "recall.jsonl").read_text("utf-8") + orjson.dumps(recall).decode() + "\n",
        "utf-8",
    )

    await reverify_import(world_url, "recall", path)

    after = await latest(world_url)
    flipped = {listing for listing in after if after[listing][1] != before[listing][1]}
    assert flipped == {draft["listing_id"], *TWIN_IDS}
    assert all(after[listing][1] == "block" for listing in flipped)
    events = await _events(world_url)
    assert all("RECALLED" in e["reason_codes"] for e in events)


async def test_closing_a_recall_re_decides_the_listings_it_blocked(
    world_url: str, tmp_path: Path
) -> None:
    """A listing blocked by a recall is found through its evidence when the recall closes."""
    before = await latest(world_url)
    recalled = [
        (listing, e["record_id"])
        for listing, evidence in (await latest_evidence(world_url)).items()
        for e in evidence
        if e["registry"] == "recall" and e["status"] == "active" and before[listing][1] == "block"
    ]
    listing, recall_id = recalled[0]
    closed = registry_file_with(
        tmp_path, "recall", {"recall_id": recall_id, "status": "closed"}, "recall_id"
    )

    status = await reverify_import(world_url, "recall", closed)

    after = await latest(world_url)
    assert after[listing][0] != before[listing][0]  # re-decided and recorded
    assert status.processed >= 1
    engine = make_engine(settings(world_url))
    try:
        async with engine.connect() as conn:
            reasons = await conn.scalar(
                select(decisions.c.reason_codes_json).where(
                    decisions.c.verification_id == after[listing][0]
                )
            )
            reverify_count = await conn.scalar(
                select(func.count()).where(decisions.c.origin == "reverify")
            )
    finally:
        await engine.dispose()
    assert "RECALLED" not in orjson.loads(str(reasons))
    assert reverify_count == status.changed
