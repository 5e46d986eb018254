"""Every error path answers RFC 9457 problem+json: 404, 405, 413, 422, 500; request ids echo."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest

from listing_gate.domain import ListingDraft, Verification
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.settings import Settings

from .conftest import Api, StartApi

pytestmark = pytest.mark.anyio

PROBLEM = "application/problem+json"


def _is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= body.keys()
    return body


async def test_unknown_route_is_a_404_problem(api: Api) -> None:
    """A path no route matches is a problem, not the framework's default body."""
    _is_problem(await api.client.get("/v2/nothing"), 404)


async def test_wrong_method_is_a_405_problem(api: Api) -> None:
    """A known path with another method is a 405 problem."""
    _is_problem(await api.client.delete("/v1/catalog", headers=api.auth()), 405)


async def test_body_over_256_kib_is_413(api: Api) -> None:
    """A declared Content-Length over the cap is refused before reading."""
    body = b"{" + b" " * (256 * 1024) + b"}"
    response = await api.client.post(
        "/v1/verifications",
        content=body,
        headers={**api.auth(), "content-type": "application/json"},
    )
    _is_problem(response, 413)


async def test_chunked_body_over_256_kib_is_413(api: Api) -> None:
    """Without Content-Length the cap is enforced while the body streams in."""

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b" " * 8192

    response = await api.client.post(
        "/v1/verifications",
        content=chunks(),
        headers={**api.auth(), "content-type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    _is_problem(response, 413)


async def test_missing_required_fields_are_422_with_errors(api: Api) -> None:
    """Each missing required field is named in ``errors``."""
    body = _is_problem(
        await api.client.post("/v1/verifications", json={"seller": {}}, headers=api.auth()), 422
    )
    fields = {e["field"] for e in body["errors"]}
    assert {"listing_id", "seller.id", "product"} <= fields


async def test_malformed_json_is_422(api: Api) -> None:
    """A body that is not JSON is a validation problem too."""
    response = await api.client.post(
        "/v1/verifications",
        content=b'{"listing_id": ',
        headers={**api.auth(), "content-type": "application/json"},
    )
    assert _is_problem(response, 422)["errors"][0]["code"] == "json_invalid"


async def test_field_limits_are_422(api: Api, allow_draft: dict[str, Any]) -> None:
    """Strings over 2,000 characters and over 50 standards are refused, naming the field."""
    long_name = copy.deepcopy(allow_draft)
    long_name["product"]["name"] = "x" * 2001
    many = copy.deepcopy(allow_draft)
    many["product"]["standards"] = [f"GB {i}-2020" for i in range(51)]
    for draft, field in ((long_name, "product.name"), (many, "product.standards")):
        response = await api.client.post("/v1/verifications", json=draft, headers=api.auth())
        assert _is_problem(response, 422)["errors"][0]["field"] == field


async def test_blank_optional_fields_are_findings_not_422(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """A key product with blank disclosures is decided (blocked), not rejected."""
    draft = copy.deepcopy(allow_draft)
    draft["product"]["manufacturer"] = None
    draft["product"]["model"] = ""
    response = await api.client.post("/v1/verifications", json=draft, headers=api.auth())
    assert response.status_code == 200
    assert "DISCLOSURE_MISSING" in [r["code"] for r in response.json()["reasons"]]


class _Broken:
    async def verify(self, draft: ListingDraft) -> Verification:
        raise RuntimeError(f"bug while deciding {draft.listing_id}")


def _broken(_settings: Settings, _lookup: RegistryLookup) -> _Broken:
    return _Broken()


async def test_unexpected_failure_is_a_500_problem_without_internals(
    start_api: StartApi, allow_draft: dict[str, Any]
) -> None:
    """A bug answers a generic problem; the traceback stays in the log."""
    async with start_api(verifier_factory=_broken) as api:
        # Starlette re-raises after answering so servers log it; take the answer instead.
        transport = httpx.ASGITransport(app=api.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gate") as client:
            response = await client.post("/v1/verifications", json=allow_draft, headers=api.auth())
    body = _is_problem(response, 500)
    assert "bug" not in body["detail"]


async def test_request_id_is_echoed_or_generated(api: Api) -> None:
    """A caller's X-Request-ID comes back; without one the service makes one."""
    given = await api.client.get("/healthz", headers={"X-Request-ID": "req-42"})
    assert given.headers["x-request-id"] == "req-42"
    made = await api.client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 26
    forged = await api.client.get("/healthz", headers={"X-Request-ID": "x\tlevel=error"})
    assert forged.headers["x-request-id"] != "x\tlevel=error"


async def test_full_write_queue_is_a_503_problem_and_nothing_is_recorded(
    start_api: StartApi, allow_draft: dict[str, Any], block_draft: dict[str, Any]
) -> None:
    """More decisions than the write queue holds: back-pressure, not an unrecorded answer."""
    async with start_api(write_queue_max=1) as api:
        response = await api.client.post(
            "/v1/verifications/batch",
            json={"listings": [allow_draft, block_draft]},
            headers=api.auth(),
        )
        history = await api.client.get(
            f"/v1/listings/{allow_draft['listing_id']}/verifications", headers=api.auth()
        )
    assert _is_problem(response, 503)["type"].endswith("/overloaded")
    assert response.headers["retry-after"] == "1"
    assert history.status_code == 404


async def test_a_batch_of_1000_real_drafts_fits_its_4_mib_cap(
    api: Api, cases: list[dict[str, Any]]
) -> None:
    """1,000 real drafts (about 750 KB) are decided whole; the 256 KiB cap is a single draft's."""
    drafts = []
    for i in range(1000):
        draft = copy.deepcopy(cases[i % len(cases)]["draft"])
        draft["listing_id"] = f"{draft['listing_id']}-{i}"
        drafts.append(draft)
    body = orjson.dumps({"listings": drafts})
    assert 512 * 1024 < len(body) < 4 * 1024 * 1024
    response = await api.client.post(
        "/v1/verifications/batch",
        content=body,
        headers={**api.auth(), "content-type": "application/json"},
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["listing_id"] for r in results] == [d["listing_id"] for d in drafts]


async def test_a_batch_over_4_mib_is_413(api: Api) -> None:
    """The batch has a cap of its own, enforced before the body is read."""
    body = b"{" + b" " * (4 * 1024 * 1024) + b"}"
    response = await api.client.post(
        "/v1/verifications/batch",
        content=body,
        headers={**api.auth(), "content-type": "application/json"},
    )
    assert str(4 * 1024 * 1024) in _is_problem(response, 413)["detail"]


async def test_the_batch_cap_holds_behind_a_path_prefix(api: Api) -> None:
    """Served under a proxy prefix (root_path), the batch route keeps its own 4 MiB cap."""
    transport = httpx.ASGITransport(app=api.app, root_path="/gate")
    body = b'{"listings": []' + b" " * (1024 * 1024) + b"}"
    async with httpx.AsyncClient(transport=transport, base_url="http://gate") as client:
        batch = await client.post(
            "/gate/v1/verifications/batch",
            content=body,
            headers={**api.auth(), "content-type": "application/json"},
        )
        single = await client.post(
            "/gate/v1/verifications",
            content=body,
            headers={**api.auth(), "content-type": "application/json"},
        )
    assert _is_problem(batch, 422)["errors"][0]["field"] == "listings"
    _is_problem(single, 413)
