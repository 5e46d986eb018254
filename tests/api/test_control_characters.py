"""Control characters are a 422 naming the field, at the edge, on every route and every store.

PostgreSQL refuses U+0000 in text; before the edge refused it, such a draft failed the
group commit it landed in and other clients got 503s. Tab and line breaks are layout a
label may carry, and pass.
"""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest
from sqlalchemy import func, select

from listing_gate.db.tables.decisions import decisions

from .conftest import Api

pytestmark = pytest.mark.anyio

PROBLEM = "application/problem+json"


def _fields(response: Any) -> list[str]:
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    return [e["field"] for e in response.json()["errors"]]


def _codes(response: Any) -> set[str]:
    return {e["code"] for e in response.json()["errors"]}


async def _recorded(api: Api) -> int:
    async with api.resources.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(decisions))).scalar_one())


def _with(draft: dict[str, Any], path: str, value: str) -> dict[str, Any]:
    bad = copy.deepcopy(draft)
    *parents, last = path.split(".")
    node: Any = bad
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return bad


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("listing_id", "sku\x00-1"),
        ("seller.id", "\x00"),
        ("seller.shop_name", "店\x00铺"),
        ("seller.legal_name", "公司\x1b[31m"),
        ("product.name", "电源\x7f"),
        ("product.manufacturer.name", "公司\x85"),
        ("product.standards.0", "GB 4943.1-2022\x00"),
        ("credentials.ccc_certificate_no", "2024\x0c011609123456"),
    ],
)
async def test_a_control_character_in_a_draft_is_a_422_naming_the_field(
    api: Api, allow_draft: dict[str, Any], path: str, value: str
) -> None:
    """Every text field of a draft refuses C0 and C1 controls and DEL; nothing is recorded."""
    response = await api.client.post(
        "/v1/verifications", json=_with(allow_draft, path, value), headers=api.auth()
    )
    assert _fields(response) == [path]
    assert _codes(response) == {"control_character"}
    assert await _recorded(api) == 0


async def test_tab_and_line_breaks_are_layout_and_pass(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """A warning text laid out in lines, with a tab, is decided and recorded."""
    draft = _with(allow_draft, "product.warnings", "请勿拆解\r\n请勿挤压\n\t请勿投入火中")
    response = await api.client.post("/v1/verifications", json=draft, headers=api.auth())
    assert response.status_code == 200
    assert await _recorded(api) == 1


async def test_a_batch_item_with_a_control_character_gets_its_problem_in_its_slot(
    api: Api, allow_draft: dict[str, Any], block_draft: dict[str, Any]
) -> None:
    """The bad item is a 422 problem in place; the items around it are decided and recorded."""
    bad = _with(allow_draft, "seller.id", "shop\x00")
    body = {"listings": [allow_draft, bad, block_draft]}
    response = await api.client.post("/v1/verifications/batch", json=body, headers=api.auth())
    assert response.status_code == 200
    first, problem, last = response.json()["results"]
    assert first["decision"] == "allow"
    assert problem["status"] == 422
    assert [e["field"] for e in problem["errors"]] == ["seller.id"]
    assert last["decision"] == "block"
    assert await _recorded(api) == 2


async def test_a_control_character_in_a_verification_id_is_a_422(api: Api) -> None:
    """GET /v1/verifications/{id} refuses a NUL in the id instead of asking the database."""
    response = await api.client.get("/v1/verifications/a%00b", headers=api.auth())
    assert _fields(response) == ["path.verification_id"]


async def test_a_control_character_in_a_listing_id_path_is_a_422(api: Api) -> None:
    """GET /v1/listings/{listing_id}/verifications refuses what a draft would refuse."""
    response = await api.client.get("/v1/listings/a%00b/verifications", headers=api.auth())
    assert _fields(response) == ["path.listing_id"]


async def test_a_cursor_hiding_a_control_character_is_a_422(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """A forged cursor decoding to a NUL is refused as a bad cursor, not sent to the database."""
    await api.client.post("/v1/verifications", json=allow_draft, headers=api.auth())
    cursor = base64.urlsafe_b64encode(b"2026-12-01T00:00:00+00:00|a\x00b").decode().rstrip("=")
    response = await api.client.get(
        f"/v1/listings/{allow_draft['listing_id']}/verifications",
        params={"cursor": cursor},
        headers=api.auth(),
    )
    assert _fields(response) == ["cursor"]


async def test_a_control_character_in_a_job_id_is_a_422(api: Api) -> None:
    """GET /v1/reverifications/{job_id} refuses a NUL in the id."""
    response = await api.client.get("/v1/reverifications/a%00b", headers=api.auth("admin"))
    assert _fields(response) == ["path.job_id"]


async def test_a_control_character_in_reverification_listing_ids_is_a_422(api: Api) -> None:
    """POST /v1/reverifications names the listing id that holds a NUL; no job starts."""
    response = await api.client.post(
        "/v1/reverifications",
        json={"listing_ids": ["sku-1", "sku\x002"]},
        headers=api.auth("admin"),
    )
    assert _fields(response) == ["listing_ids.1"]


@pytest.mark.parametrize("route", ["/v1/verifications", "/v1/reverifications"])
async def test_a_control_character_in_an_idempotency_key_is_a_422(
    api: Api, allow_draft: dict[str, Any], route: str
) -> None:
    """The Idempotency-Key is stored, so it is held to the rule too (no layout either)."""
    body = allow_draft if route == "/v1/verifications" else {"listing_ids": ["sku-1"]}
    for key in ("k\x00y", "k\x01y", "k\ty"):
        response = await api.client.post(
            route, json=body, headers={**api.auth("admin"), "Idempotency-Key": key}
        )
        assert _fields(response) == ["Idempotency-Key"]
    assert await _recorded(api) == 0
