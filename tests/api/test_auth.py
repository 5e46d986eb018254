"""API keys: 401 without a valid key, 403 without the scope, open mode only when configured."""

from __future__ import annotations

from typing import Any

import pytest

from listing_gate.service.auth import revoke_key

from .conftest import Api, StartApi

pytestmark = pytest.mark.anyio

ROUTES = [
    ("POST", "/v1/verifications", "verify"),
    ("POST", "/v1/verifications/batch", "verify"),
    ("GET", "/v1/verifications/01ZZZZZZZZZZZZZZZZZZZZZZZZ", "read"),
    ("GET", "/v1/listings/sku-1/verifications", "read"),
    ("GET", "/v1/catalog", "read"),
    ("GET", "/v1/registries", "read"),
    ("GET", "/v1/keys", "admin"),
]
# Which key names hold each scope (admin implies the others).
HOLDERS = {"verify": {"verifier", "both", "admin"}, "read": {"reader", "both", "admin"}}
HOLDERS["admin"] = {"admin"}


async def _call(api: Api, method: str, path: str, headers: dict[str, str], body: Any) -> int:
    response = await api.client.request(method, path, json=body, headers=headers)
    if response.status_code in (401, 403):
        assert response.headers["content-type"] == "application/problem+json"
    return response.status_code


@pytest.mark.parametrize(("method", "path", "scope"), ROUTES)
async def test_no_key_is_401_with_a_bearer_challenge(
    api: Api, method: str, path: str, scope: str
) -> None:
    """Every business route refuses an anonymous caller."""
    del scope
    response = await api.client.request(method, path, json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


async def test_unknown_or_malformed_key_is_401(api: Api) -> None:
    """A key the service never issued, or another scheme, is not a key."""
    for header in ("Bearer lg_not-a-key", "Basic dXNlcjpwYXNz", "Bearer ", api.keys["both"]):
        response = await api.client.get("/v1/catalog", headers={"Authorization": header})
        assert response.status_code == 401, header


@pytest.mark.parametrize(("method", "path", "scope"), ROUTES)
async def test_each_scope_is_required_by_its_routes(
    api: Api, method: str, path: str, scope: str, allow_draft: dict[str, Any]
) -> None:
    """Keys without the route's scope get 403; keys with it get past authorisation."""
    body = {"listings": [allow_draft]} if path.endswith("batch") else allow_draft
    for name in api.keys:
        status = await _call(api, method, path, api.auth(name), body if method == "POST" else None)
        if name in HOLDERS[scope]:
            assert status not in (401, 403), (name, path)
        else:
            assert status == 403, (name, path)


async def test_a_revoked_key_is_401(api: Api) -> None:
    """Revocation takes effect (the test app trusts no cached key)."""
    assert (await api.client.get("/v1/catalog", headers=api.auth("reader"))).status_code == 200
    rows = await api.client.get("/v1/keys", headers=api.auth("admin"))
    reader = next(k for k in rows.json()["keys"] if k["name"] == "reader")
    assert not any(key in rows.text for key in api.keys.values())  # only prefixes shown
    assert await revoke_key(api.resources.engine, reader["key_id"])
    assert (await api.client.get("/v1/catalog", headers=api.auth("reader"))).status_code == 401


async def test_keys_are_stored_only_as_digests(api: Api) -> None:
    """No issued key appears in the database in clear."""
    async with api.resources.engine.connect() as conn:
        stored = str((await conn.exec_driver_sql("SELECT * FROM api_keys")).all())
    for key in api.keys.values():
        assert key not in stored


async def test_open_mode_serves_without_a_key(
    start_api: StartApi, allow_draft: dict[str, Any]
) -> None:
    """Only with open_mode configured does an anonymous request get served."""
    async with start_api(open_mode=True) as api:
        response = await api.client.post("/v1/verifications", json=allow_draft)
        assert response.status_code == 200


async def test_probes_and_metrics_need_no_key(api: Api) -> None:
    """Orchestrators and Prometheus do not hold API keys."""
    for path in ("/healthz", "/readyz", "/metrics"):
        assert (await api.client.get(path)).status_code == 200, path
