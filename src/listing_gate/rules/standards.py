"""Draft art. 9 and 16: the listed standards are the certified ones, and still in force."""

from __future__ import annotations

from listing_gate.domain import CccRecord, Found, Reason, StandardRecord, Unavailable
from listing_gate.normalize.standard import StandardNo, parse_standard
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import ListedStandard, NormalizedDraft
from listing_gate.rules.outages import registry_unavailable

__all__ = ["standard_findings"]


def standard_findings(
    draft: NormalizedDraft,
    category: CatalogEntry,
    record: CccRecord | None,
    statuses: Found[dict[str, StandardRecord]] | Unavailable | None,
    ctx: RuleContext,
) -> list[Reason]:
    """Returns STANDARD_MISMATCH and STANDARD_SUPERSEDED findings (or the registry's absence).

    Standards compare with their edition: GB 4943.1-2011 does not fit a certificate issued
    against GB 4943.1-2022. A year missing on either side compares on the rest.
    """
    listed = draft.standards
    if not listed:
        return []  # DISCLOSURE_MISSING covers a listing without standards
    reasons = _mismatch(listed, category, record, ctx)
    if statuses is None:
        return reasons
    if isinstance(statuses, Unavailable):
        reasons.append(
            registry_unavailable("standard", statuses.cause, ctx, field="product.standards")
        )
        return reasons
    known = statuses.value
    flagged = ctx.policy.rules.flag_statuses
    for standard in listed:
        parsed = standard.parsed
        if parsed is None or not parsed.mandatory:
            continue
        status = known.get(parsed.key)
        if status is None or status.status not in flagged:
            continue
        detail = ctx.policy.text("standard_statuses", status.status)
        if status.replaced_by:
            detail += ctx.policy.text("details", "replaced_by", replaced_by=status.replaced_by)
        reasons.append(
            ctx.policy.reason(
                "STANDARD_SUPERSEDED",
                field="product.standards",
                listing_value=standard.written,
                registry_value=f"{status.number} {status.status}",
                detail=detail,
            )
        )
    return reasons


def _mismatch(
    listed: tuple[ListedStandard, ...],
    category: CatalogEntry,
    record: CccRecord | None,
    ctx: RuleContext,
) -> list[Reason]:
    # Per standard, the edition required: the certificate's (it was certified against that
    # one), else the category's; a side without a year compares on the rest of the number.
    expected: dict[str, StandardNo] = {}
    shown: dict[str, str] = {}
    for text in (*(record.standards if record else ()), *category.mandatory_standards):
        parsed = parse_standard(text)
        if parsed is not None and parsed.base_key not in expected:
            expected[parsed.base_key] = parsed
            shown[parsed.base_key] = text
    if not expected:
        return []
    if any(
        _fits(s.parsed, expected.get(s.parsed.base_key)) for s in listed if s.parsed is not None
    ):
        return []
    return [
        ctx.policy.reason(
            "STANDARD_MISMATCH",
            field="product.standards",
            listing_value="; ".join(s.written for s in listed),
            registry_value="; ".join(shown.values()),
        )
    ]


def _fits(listed: StandardNo, required: StandardNo | None) -> bool:
    if required is None:
        return False
    return listed.year is None or required.year is None or listed.year == required.year
