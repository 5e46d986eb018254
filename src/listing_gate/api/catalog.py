"""``/v1/catalog``: the key-product catalog in force, today or on a given day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from listing_gate.api.deps import Reader, Res
from listing_gate.api.openapi import problems

__all__ = ["router"]

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])


@router.get(
    "",
    summary="The key-product catalog in force on a day: version and categories",
    responses=problems(401, 403, 422),
)
async def read_catalog(
    resources: Res,
    _reader: Reader,
    on: Annotated[
        date | None,
        Query(description="the day (YYYY-MM-DD, China's calendar); default: today"),
    ] = None,
) -> dict[str, Any]:
    """Returns the catalog as of ``on``: ``version``, ``on`` and the ``categories`` then in force.

    Each category shows the regime in force that day; a change still ahead shows as
    ``next_regime`` with ``regime_changed_on``; a category not yet in force is left out.
    """
    day = on or resources.policy.day_of(datetime.now(UTC))
    return resources.catalog.on(day).as_json()
