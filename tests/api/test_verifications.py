"""POST/GET /v1/verifications and a listing's history: decided, recorded, read back exactly."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from listing_gate.db.tables.decisions import decision_evidence, decisions, listings

from .conftest import Api

pytestmark = pytest.mark.anyio


async def test_block_is_a_200_with_block_reasons(api: Api, block_draft: dict[str, Any]) -> None:
    """A forbidden listing is a normal answer with decision block and its reasons."""
    response = await api.client.post("/v1/verifications", json=block_draft, headers=api.auth())
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] == "block"
    assert "MODEL_NOT_COVERED" in [r["code"] for r in body["reasons"]]
    assert body["listing_id"] == block_draft["listing_id"]


async def test_allow_for_a_listing_matching_its_certificate(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """A listing whose fields match a valid certificate is allowed."""
    response = await api.client.post("/v1/verifications", json=allow_draft, headers=api.auth())
    assert response.status_code == 200
    assert response.json()["decision"] == "allow"


async def test_answered_decision_is_retrievable_byte_for_byte(
    api: Api, block_draft: dict[str, Any]
) -> None:
    """GET by id returns exactly the bytes the POST answered."""
    posted = await api.client.post("/v1/verifications", json=block_draft, headers=api.auth())
    verification_id = posted.json()["verification_id"]
    fetched = await api.client.get(f"/v1/verifications/{verification_id}", headers=api.auth())
    assert fetched.status_code == 200
    assert fetched.content == posted.content


async def test_record_carries_seller_draft_evidence_and_policy(
    api: Api, block_draft: dict[str, Any]
) -> None:
    """The decision row holds what a regulator lead and a re-verification need."""
    posted = (
        await api.client.post("/v1/verifications", json=block_draft, headers=api.auth())
    ).json()
    async with api.resources.engine.connect() as conn:
        row = (
            await conn.execute(
                select(decisions).where(decisions.c.verification_id == posted["verification_id"])
            )
        ).one()
        evidence = (
            await conn.execute(
                select(decision_evidence.c.registry, decision_evidence.c.record_id).where(
                    decision_evidence.c.verification_id == posted["verification_id"]
                )
            )
        ).all()
        latest = (
            await conn.execute(
                select(listings).where(listings.c.listing_id == block_draft["listing_id"])
            )
        ).one()
    assert row.seller_id == block_draft["seller"]["id"]
    assert row.seller_legal_name == block_draft["seller"]["legal_name"]
    assert row.seller_credit_code == block_draft["seller"]["credit_code"]
    assert orjson.loads(row.draft_json)["product"]["model"] == block_draft["product"]["model"]
    assert row.decision == "block"
    assert "MODEL_NOT_COVERED" in orjson.loads(row.reason_codes_json)
    assert row.policy_version == posted["policy_version"]
    assert row.origin == "api"
    assert {(e["registry"], e["record_id"]) for e in posted["evidence"]} == set(evidence)
    assert latest.latest_verification_id == posted["verification_id"]


async def test_listing_history_is_newest_first_and_pages(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """Five decisions of one listing come back newest first, two per page, then no cursor."""
    ids = []
    for _ in range(5):
        response = await api.client.post("/v1/verifications", json=allow_draft, headers=api.auth())
        ids.append(response.json()["verification_id"])
    path = f"/v1/listings/{allow_draft['listing_id']}/verifications"
    seen: list[str] = []
    cursor = None
    for _ in range(3):
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await api.client.get(path, params=params, headers=api.auth())).json()
        seen += [v["verification_id"] for v in page["verifications"]]
        cursor = page["next_cursor"]
    assert seen == list(reversed(ids))
    assert cursor is None


async def test_history_of_an_unknown_listing_is_404(api: Api) -> None:
    """A listing never verified has no history."""
    response = await api.client.get("/v1/listings/nope/verifications", headers=api.auth())
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_batch_answers_in_input_order_with_problems_in_place(
    api: Api, block_draft: dict[str, Any], allow_draft: dict[str, Any]
) -> None:
    """A bad item gets a 422 problem in its slot; the others are decided and recorded."""
    bad = copy.deepcopy(allow_draft)
    del bad["product"]["name"]
    body = {"listings": [block_draft, bad, allow_draft]}
    response = await api.client.post("/v1/verifications/batch", json=body, headers=api.auth())
    assert response.status_code == 200
    first, problem, last = response.json()["results"]
    assert first["decision"] == "block"
    assert last["decision"] == "allow"
    assert problem["status"] == 422
    assert [e["field"] for e in problem["errors"]] == ["product.name"]
    for result in (first, last):
        again = await api.client.get(
            f"/v1/verifications/{result['verification_id']}", headers=api.auth()
        )
        assert again.json() == result


@pytest.mark.parametrize("count", [0, 1001])
async def test_batch_outside_1_to_1000_is_422(
    api: Api, allow_draft: dict[str, Any], count: int
) -> None:
    """An empty batch, or one over 1,000 drafts, is refused whole."""
    body = orjson.dumps({"listings": [{"listing_id": str(i)} for i in range(count)]})
    response = await api.client.post(
        "/v1/verifications/batch",
        content=body,
        headers={**api.auth(), "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "listings"


async def test_unknown_verification_id_is_404(api: Api) -> None:
    """An id nobody answered is a 404 problem."""
    response = await api.client.get(
        "/v1/verifications/01ZZZZZZZZZZZZZZZZZZZZZZZZ", headers=api.auth()
    )
    assert response.status_code == 404
    assert response.json()["status"] == 404


async def test_a_listing_id_with_a_slash_reads_back_percent_encoded(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """Listing ids are opaque: `shop/19/sku-1` is verified and its history read as shop%2F19..."""
    draft = copy.deepcopy(allow_draft)
    draft["listing_id"] = "shop/19/sku-1/verifications"
    posted = await api.client.post("/v1/verifications", json=draft, headers=api.auth())
    assert posted.status_code == 200
    response = await api.client.get(
        "/v1/listings/shop%2F19%2Fsku-1%2Fverifications/verifications", headers=api.auth()
    )
    assert response.status_code == 200
    body = response.json()
    assert body["listing_id"] == draft["listing_id"]
    assert [v["verification_id"] for v in body["verifications"]] == [
        posted.json()["verification_id"]
    ]
    metrics = (await api.client.get("/metrics")).text
    assert 'route="/v1/listings/{listing_id}/verifications"' in metrics
