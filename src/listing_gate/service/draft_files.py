"""Reading a file of listing drafts: a JSON object, a JSON array, or JSON Lines."""

from __future__ import annotations

import orjson

from listing_gate.domain import ListingDraft
from listing_gate.errors import InvalidRequestError
from listing_gate.service.decisions import parse_draft

__all__ = ["read_drafts"]


def read_drafts(data: bytes) -> list[ListingDraft | InvalidRequestError]:
    """Returns each draft of a JSON object, JSON array or JSON Lines text, validated, in order."""
    text = data.removeprefix(b"\xef\xbb\xbf").strip()
    if not text:
        return []
    try:
        whole = orjson.loads(text)
    except orjson.JSONDecodeError:
        return [_line(number, line) for number, line in _lines(text)]
    return [parse_draft(item) for item in (whole if isinstance(whole, list) else [whole])]


def _lines(text: bytes) -> list[tuple[int, bytes]]:
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _line(number: int, line: bytes) -> ListingDraft | InvalidRequestError:
    try:
        return parse_draft(orjson.loads(line))
    except orjson.JSONDecodeError as exc:
        return InvalidRequestError(
            f"line {number} is not JSON",
            [{"pointer": "", "field": "", "detail": str(exc), "code": "json_invalid"}],
        )
