"""The lead report (draft art. 12): blocked listings with everything a regulator asks for.

One lead per listing whose latest decision is a block made in the period: the seller's
identity, the goods, the violation (reason codes, messages, citations), the registry
records it rests on, the action taken and when. CSV (UTF-8 with a BOM, so Excel reads
the Chinese text) or JSON Lines; both stream page by page, so memory stays flat.
Columns are documented in the README ("Lead report").
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, Literal

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories.leads import BlockedRow, blocked_page
from listing_gate.reverify.changes import BLOCKED_AT_UPLOAD

__all__ = ["COLUMNS", "ReportFormat", "lead", "report_chunks"]

ReportFormat = Literal["csv", "jsonl"]
COLUMNS = (
    "listing_id",
    "seller_id",
    "shop_name",
    "legal_name",
    "credit_code",
    "product_name",
    "brand",
    "model",
    "category_code",
    "category_name",
    "manufacturer_name",
    "manufacturer_address",
    "credential_numbers",
    "reason_codes",
    "violations",
    "citations",
    "evidence",
    "action",
    "decided_at",
    "verification_id",
    "policy_version",
)
_BOM = "\ufeff"
_JOIN = " | "
# A cell starting with one of these is a formula to a spreadsheet; seller-supplied text
# (shop names, models) must never run as one on a reviewer's machine.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PAGE = 500


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def lead(row: BlockedRow) -> dict[str, Any]:
    """Returns one lead as a JSON-ready object (lists kept as lists)."""
    draft = orjson.loads(row.draft_json)
    product = draft.get("product") or {}
    maker = product.get("manufacturer") or {}
    creds = draft.get("credentials") or {}
    category = (orjson.loads(row.verification_json).get("category")) or {}
    # Information-only reasons (NOT_KEY_PRODUCT) are not part of a violation.
    reasons = [r for r in orjson.loads(row.reasons_json) if r.get("severity") != "info"]
    return {
        "listing_id": row.listing_id,
        "seller_id": row.seller_id,
        "shop_name": row.seller_shop_name,
        "legal_name": row.seller_legal_name,
        "credit_code": row.seller_credit_code,
        "product_name": _text(product.get("name")),
        "brand": _text(product.get("brand")),
        "model": _text(product.get("model")),
        "category_code": row.category_code,
        "category_name": category.get("name"),
        "manufacturer_name": _text(maker.get("name")),
        "manufacturer_address": _text(maker.get("address")),
        "credential_numbers": [
            creds[key]
            for key in ("ccc_certificate_no", "ccc_self_declaration_no", "production_license_no")
            if _text(creds.get(key))
        ],
        "reason_codes": [r["code"] for r in reasons],
        "violations": [r["message"] for r in reasons],
        "citations": list(dict.fromkeys(r["citation"] for r in reasons)),
        "evidence": [
            {"registry": e["registry"], "record_id": e["record_id"], "status": e["status"]}
            for e in orjson.loads(row.evidence_json)
        ],
        "action": row.action or BLOCKED_AT_UPLOAD,
        "decided_at": row.decided_at,
        "verification_id": row.verification_id,
        "policy_version": row.policy_version,
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return _JOIN.join(
            f"{v['registry']}:{v['record_id']} ({v['status']})" if isinstance(v, dict) else str(v)
            for v in value
        )
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    # RFC 4180: CRLF line ends, quotes where needed; Excel splits on the comma.
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


async def report_chunks(
    engine: AsyncEngine,
    *,
    since: datetime,
    until: datetime | None = None,
    fmt: ReportFormat = "csv",
) -> AsyncIterator[str]:
    """Yields the report text: for CSV first the BOM and header, then one line per lead."""
    if fmt == "csv":
        yield _BOM + _csv_line(list(COLUMNS))
    after: tuple[datetime, str] | None = None
    while True:
        async with unit.read(engine) as conn:
            rows = await blocked_page(conn, since=since, until=until, after=after, limit=_PAGE)
        if not rows:
            return
        after = (rows[-1].decided_at, rows[-1].listing_id)
        lines = []
        for row in rows:
            item = lead(row)
            if fmt == "csv":
                lines.append(_csv_line([_cell(item[column]) for column in COLUMNS]))
            else:
                lines.append(orjson.dumps(item).decode() + "\n")
        yield "".join(lines)
