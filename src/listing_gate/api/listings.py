"""``/v1/listings/{listing_id}/verifications``: a listing's decisions, newest first.

Listing ids are the platform's opaque strings: any text a draft accepts, ``/`` included,
reads back percent-encoded. The server decodes ``%2F`` before routing, so the id is
matched as a path (everything up to the last ``/verifications``), not as one segment.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from listing_gate.api.deps import Reader, Res
from listing_gate.api.openapi import problems
from listing_gate.api.schemas import ListingHistory
from listing_gate.domain import MAX_TEXT, NoControls
from listing_gate.service.history import listing_history

__all__ = ["router"]

router = APIRouter(prefix="/v1/listings", tags=["listings"])


@router.get(
    "/{listing_id:path}/verifications",
    summary="A listing's recorded decisions, newest first",
    response_model=ListingHistory,
    responses=problems(401, 403, 404, 422, 503),
)
async def read_listing_verifications(
    resources: Res,
    _reader: Reader,
    listing_id: Annotated[
        str,
        Path(min_length=1, max_length=MAX_TEXT, description="percent-encoded, `/` as `%2F`"),
        NoControls,
    ],
    limit: Annotated[int, Query(ge=1, le=200, description="page size")] = 50,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="`next_cursor` of the previous page"),
        NoControls,
    ] = None,
) -> Response:
    """Returns one page of the listing's decisions, each exactly as answered."""
    body = await listing_history(resources.engine, listing_id, limit=limit, cursor=cursor)
    return Response(body, media_type="application/json")
