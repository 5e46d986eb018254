"""``/v1/catalog``: the key-product catalog in force."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from listing_gate.api.deps import Reader, Res
from listing_gate.api.openapi import problems

__all__ = ["router"]

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])


@router.get(
    "",
    summary="The key-product catalog: version and categories",
    responses=problems(401, 403),
)
async def read_catalog(resources: Res, _reader: Reader) -> dict[str, Any]:
    """Returns the catalog with its ``version`` and ``categories``."""
    return resources.catalog.as_json()
