"""A registry that cannot be consulted never yields a silent allow, over the API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
import stamina

from .conftest import StartApi

pytestmark = pytest.mark.anyio

REGISTRY = "http://registry.test/v1"


@pytest.fixture
def failing_registry() -> Iterator[respx.MockRouter]:
    """The registry API answers 503 to everything; retries do not sleep."""
    with (
        stamina.set_testing(True, attempts=2),
        respx.mock(base_url=REGISTRY, assert_all_called=False) as router,
    ):
        router.route().mock(return_value=httpx.Response(503))
        yield router


async def test_failing_registry_gives_a_recorded_review_not_an_allow(
    start_api: StartApi, failing_registry: respx.MockRouter, allow_draft: dict[str, Any]
) -> None:
    """The draft that is allowed on good data is reviewed as REGISTRY_UNAVAILABLE, and recorded."""
    async with start_api(registry_backend="http", registry_http_base_url=REGISTRY) as api:
        response = await api.client.post("/v1/verifications", json=allow_draft, headers=api.auth())
        body = response.json()
        again = await api.client.get(
            f"/v1/verifications/{body['verification_id']}", headers=api.auth()
        )
        ready = await api.client.get("/readyz")
    assert response.status_code == 200
    assert body["decision"] == "review"
    assert "REGISTRY_UNAVAILABLE" in [r["code"] for r in body["reasons"]]
    assert again.content == response.content
    assert failing_registry.calls.call_count > 0
    assert ready.status_code == 503
