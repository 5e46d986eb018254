"""POST /v1/reverifications at the edge: the key before the body, replays marked as such."""

from __future__ import annotations

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("body", [b"{not json", b'{"unknown": 1}', b"{}"])
async def test_no_key_is_401_and_a_reader_403_whatever_the_body(api: Api, body: bytes) -> None:
    """Auth comes before the body is read: a caller without the key learns nothing of it."""
    headers = {"content-type": "application/json"}
    anonymous = await api.client.post("/v1/reverifications", content=body, headers=headers)
    reader = await api.client.post(
        "/v1/reverifications", content=body, headers={**headers, **api.auth("reader")}
    )
    admin = await api.client.post(
        "/v1/reverifications", content=body, headers={**headers, **api.auth("admin")}
    )
    assert anonymous.status_code == 401
    assert reader.status_code == 403
    assert admin.status_code == 422
    assert admin.headers["content-type"] == "application/problem+json"


async def test_a_replayed_start_carries_idempotent_replayed(api: Api) -> None:
    """The same key and body answer the first job again, marked like the other POSTs."""
    headers = {**api.auth("admin"), "Idempotency-Key": "reverify-once"}
    body = {"listing_ids": ["sku-1", "sku-2"]}
    first = await api.client.post("/v1/reverifications", json=body, headers=headers)
    again = await api.client.post("/v1/reverifications", json=body, headers=headers)
    await api.app.state.background.jobs.wait()
    assert first.status_code == again.status_code == 202
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["job_id"] == first.json()["job_id"]
    assert again.headers["location"] == first.headers["location"]
