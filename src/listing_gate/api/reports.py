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
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from listing_gate.api.deps import Reader, Res
from listing_gate.api.openapi import problems
from listing_gate.errors import InvalidRequestError
from listing_gate.reports.leads import report_chunks

__all__ = ["router"]

router = APIRouter(prefix="/v1/reports", tags=["reports"])

_MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


def _iso_time(value: object) -> datetime:
    # pydantic alone reads a number, or a numeric string such as "0.5", as Unix time: a
    # report period is written as an ISO date or time, and anything else is a mistake.
    expected = PydanticCustomError(
        "iso_datetime", "an ISO 8601 date (2026-12-01) or date and time is expected"
    )
    if not isinstance(value, str):
        raise expected
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise expected from None
    # Times without an offset are UTC, as the README says; a date is its midnight, UTC.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


IsoTime = Annotated[datetime, BeforeValidator(_iso_time)]


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
    since: Annotated[
        IsoTime,
        Query(description="blocks decided at or after (ISO date or time; UTC if no offset)"),
    ],
    until: Annotated[
        IsoTime | None, Query(description="blocks decided before (ISO date or time)")
    ] = None,
    format: Annotated[
        Literal["csv", "jsonl"], Query(description="csv (UTF-8 with BOM) or jsonl")
    ] = "jsonl",
) -> StreamingResponse:
    """Returns the leads of listings blocked by a decision made in [since, until)."""
    if until is not None and until < since:
        # Checked before streaming starts: once the 200 is sent, no problem can follow.
        raise InvalidRequestError(
            "the report period is empty",
            [
                {
                    "pointer": "/query/until",
                    "field": "query.until",
                    "detail": "until is before since",
                    "code": "period_reversed",
                }
            ],
        )
    chunks = report_chunks(resources.engine, since=since, until=until, fmt=format)

    async def body() -> AsyncIterator[bytes]:
        async for chunk in chunks:
            yield chunk.encode()

    headers = {}
    if format == "csv":
        stamp = since.strftime("%Y%m%d")
        headers["Content-Disposition"] = f'attachment; filename="leads-since-{stamp}.csv"'
    return StreamingResponse(body(), media_type=_MEDIA[format], headers=headers)
