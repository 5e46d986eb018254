"""Draft art. 9 and 16: the listed standards are the certified ones, and still in force."""

from __future__ import annotations

from listing_gate.domain import CccRecord, ListingDraft, Reason, StandardRecord
from listing_gate.normalize.standard import StandardNo, parse_standard
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.facts import Fetched, RuleContext

__all__ = ["listed_standards", "standard_findings", "standard_keys_to_check"]

_STATUS_WORDS = {"superseded": "被代替", "abolished": "废止"}


def listed_standards(draft: ListingDraft) -> list[tuple[str, StandardNo | None]]:
    """Returns each non-blank listed standard as written, with its parse (None if not GB)."""
    return [(s.strip(), parse_standard(s)) for s in draft.product.standards or () if s.strip()]


def standard_keys_to_check(draft: ListingDraft) -> list[str]:
    """Returns the keys of listed mandatory standards with a year: the ones whose status matters."""
    return list(
        dict.fromkeys(
            parsed.key
            for _, parsed in listed_standards(draft)
            if parsed is not None and parsed.mandatory and parsed.year
        )
    )


def standard_findings(
    draft: ListingDraft,
    category: CatalogEntry,
    record: CccRecord | None,
    statuses: Fetched[dict[str, StandardRecord]] | None,
    ctx: RuleContext,
) -> list[Reason]:
    """Returns STANDARD_MISMATCH and STANDARD_SUPERSEDED findings (or the registry's absence)."""
    listed = listed_standards(draft)
    if not listed:
        return []  # DISCLOSURE_MISSING covers a listing without standards
    reasons = _mismatch(listed, category, record, ctx)
    if statuses is None:
        return reasons
    if not statuses.found:
        reasons.append(
            ctx.policy.reason(
                "REGISTRY_UNAVAILABLE",
                field="product.standards",
                registry_value="standard",
                detail=statuses.detail or statuses.state,
            )
        )
        return reasons
    known = statuses.value or {}
    flagged = set(ctx.policy.section("standards").get("flag_statuses", []))
    for written, parsed in listed:
        if parsed is None or not parsed.mandatory:
            continue
        status = known.get(parsed.key)
        if status is None or status.status not in flagged:
            continue
        detail = _STATUS_WORDS.get(status.status, status.status)
        if status.replaced_by:
            detail += f"，由 {status.replaced_by} 代替"
        reasons.append(
            ctx.policy.reason(
                "STANDARD_SUPERSEDED",
                field="product.standards",
                listing_value=written,
                registry_value=f"{status.number} {status.status}",
                detail=detail,
            )
        )
    return reasons


def _mismatch(
    listed: list[tuple[str, StandardNo | None]],
    category: CatalogEntry,
    record: CccRecord | None,
    ctx: RuleContext,
) -> list[Reason]:
    expected: dict[str, str] = {}
    for text in (*(record.standards if record else ()), *category.mandatory_standards):
        parsed = parse_standard(text)
        if parsed is not None:
            expected.setdefault(parsed.base_key, text)
    if not expected:
        return []
    if any(parsed is not None and parsed.base_key in expected for _, parsed in listed):
        return []
    return [
        ctx.policy.reason(
            "STANDARD_MISMATCH",
            field="product.standards",
            listing_value="; ".join(written for written, _ in listed),
            registry_value="; ".join(expected.values()),
        )
    ]
