"""``/v1/reports/leads``: blocked listings as leads for the regulator (draft art. 12).

Streams CSV (UTF-8 with a BOM, for Excel) or JSON Lines page by page; the columns are
documented in the README ("Lead report").
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from listing_gate.api.deps import Reader, Res
from listing_gate.api.openapi import problems
from listing_gate.reports.leads import report_chunks

__all__ = ["router"]

router = APIRouter(prefix="/v1/reports", tags=["reports"])

_MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@router.get(
    "/leads",
    summary="Blocked listings as regulator leads",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "one lead per blocked listing, oldest decision first",
            "content": {"text/csv": {}, "application/x-ndjson": {}},
        },
        **problems(401, 403, 422),
    },
)
async def read_leads(
    resources: Res,
    _reader: Reader,
    since: Annotated[datetime, Query(description="blocks decided at or after (ISO time)")],
    until: Annotated[datetime | None, Query(description="blocks decided before")] = None,
    format: Annotated[
        Literal["csv", "jsonl"], Query(description="csv (UTF-8 with BOM) or jsonl")
    ] = "jsonl",
) -> StreamingResponse:
    """Returns the leads of listings blocked by a decision made in [since, until)."""
    chunks = report_chunks(
        resources.engine,
        since=_aware(since),
        until=_aware(until) if until else None,
        fmt=format,
    )

    async def body() -> AsyncIterator[bytes]:
        async for chunk in chunks:
            yield chunk.encode()

    headers = {}
    if format == "csv":
        stamp = _aware(since).strftime("%Y%m%d")
        headers["Content-Disposition"] = f'attachment; filename="leads-since-{stamp}.csv"'
    return StreamingResponse(body(), media_type=_MEDIA[format], headers=headers)
