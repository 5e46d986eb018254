"""The decision rule of the contract: block beats review beats allow; reasons ordered likewise."""

from __future__ import annotations

from collections.abc import Iterable

from listing_gate.domain import Decision, Reason, Severity

__all__ = ["decide"]

_ORDER = {Severity.BLOCK: 0, Severity.REVIEW: 1, Severity.INFO: 2}


def decide(reasons: Iterable[Reason]) -> tuple[Decision, list[Reason]]:
    """Returns the decision and the reasons ordered block, review, info (stable within each)."""
    ordered = sorted(_unique(reasons), key=lambda r: _ORDER[r.severity])
    if ordered and ordered[0].severity is Severity.BLOCK:
        return Decision.BLOCK, ordered
    if ordered and ordered[0].severity is Severity.REVIEW:
        return Decision.REVIEW, ordered
    return Decision.ALLOW, ordered


def _unique(reasons: Iterable[Reason]) -> list[Reason]:
    # Two rules may reach the same finding (e.g. one registry down for two lookups).
    seen: set[tuple[str, str | None, str | None, str | None]] = set()
    kept = []
    for reason in reasons:
        key = (reason.code, reason.field, reason.listing_value, reason.registry_value)
        if key not in seen:
            seen.add(key)
            kept.append(reason)
    return kept
