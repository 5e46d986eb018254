"""Idempotency-Key: the same key and body replay the first answer; another body is 409."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest
from sqlalchemy import func, select

from listing_gate.db.tables.decisions import decisions

from .conftest import Api

pytestmark = pytest.mark.anyio


async def _count(api: Api) -> int:
    async with api.resources.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(decisions))).scalar_one())


async def test_same_key_and_body_replays_the_first_answer(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """A retry gets the identical answer and records nothing new."""
    headers = {**api.auth(), "Idempotency-Key": "retry-1"}
    first = await api.client.post("/v1/verifications", json=allow_draft, headers=headers)
    again = await api.client.post("/v1/verifications", json=allow_draft, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert await _count(api) == 1


async def test_same_key_with_another_body_is_409(
    api: Api, allow_draft: dict[str, Any], block_draft: dict[str, Any]
) -> None:
    """Reusing a key for a different request is a conflict, not a new decision."""
    headers = {**api.auth(), "Idempotency-Key": "retry-2"}
    await api.client.post("/v1/verifications", json=allow_draft, headers=headers)
    other = await api.client.post("/v1/verifications", json=block_draft, headers=headers)
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"
    assert await _count(api) == 1


async def test_same_key_on_the_batch_route_is_another_request(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """A key is bound to its route: the batch route with the same key conflicts."""
    headers = {**api.auth(), "Idempotency-Key": "retry-3"}
    await api.client.post("/v1/verifications", json=allow_draft, headers=headers)
    batch = await api.client.post(
        "/v1/verifications/batch", json={"listings": [allow_draft]}, headers=headers
    )
    assert batch.status_code == 409


async def test_batch_replay_returns_the_same_results(
    api: Api, allow_draft: dict[str, Any], block_draft: dict[str, Any]
) -> None:
    """A retried batch gets the first batch's results, ids included."""
    headers = {**api.auth(), "Idempotency-Key": "batch-1"}
    body = {"listings": [allow_draft, block_draft]}
    first = await api.client.post("/v1/verifications/batch", json=body, headers=headers)
    again = await api.client.post("/v1/verifications/batch", json=body, headers=headers)
    assert again.content == first.content
    assert await _count(api) == 2


async def test_keys_of_different_callers_never_collide(
    api: Api, allow_draft: dict[str, Any], block_draft: dict[str, Any]
) -> None:
    """Two clients picking the same key each get their own answer."""
    one = await api.client.post(
        "/v1/verifications",
        json=allow_draft,
        headers={**api.auth("both"), "Idempotency-Key": "k"},
    )
    two = await api.client.post(
        "/v1/verifications",
        json=block_draft,
        headers={**api.auth("verifier"), "Idempotency-Key": "k"},
    )
    assert (one.json()["decision"], two.json()["decision"]) == ("allow", "block")


async def test_concurrent_retries_record_one_decision(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """Retries racing the original wait for it and replay its answer."""
    headers = {**api.auth(), "Idempotency-Key": "race"}
    answers = await asyncio.gather(
        *(api.client.post("/v1/verifications", json=allow_draft, headers=headers) for _ in range(8))
    )
    assert len({a.content for a in answers}) == 1
    assert await _count(api) == 1


async def test_an_overlong_key_is_422(api: Api, allow_draft: dict[str, Any]) -> None:
    """Keys are at most 255 characters."""
    draft = copy.deepcopy(allow_draft)
    headers = {**api.auth(), "Idempotency-Key": "k" * 256}
    response = await api.client.post("/v1/verifications", json=draft, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
