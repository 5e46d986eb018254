"""Findings about the registries themselves: one could not be consulted, or is too old."""

from __future__ import annotations

from listing_gate.domain import Reason, UnavailableCause
from listing_gate.rules.context import RuleContext

__all__ = ["registry_stale", "registry_unavailable"]


def registry_unavailable(
    registry: str, cause: UnavailableCause, ctx: RuleContext, *, field: str | None = None
) -> Reason:
    """Returns REGISTRY_UNAVAILABLE for ``registry``: never a silent allow on unchecked data."""
    return ctx.policy.reason(
        "REGISTRY_UNAVAILABLE",
        field=field,
        registry_value=registry,
        registry_label=ctx.policy.text("registries", registry),
        detail=ctx.policy.text("registry_unavailable", cause),
    )


def registry_stale(registry: str, ctx: RuleContext) -> Reason:
    """Returns REGISTRY_STALE for a consulted registry whose mirror is older than allowed."""
    return ctx.policy.reason(
        "REGISTRY_STALE",
        registry_value=registry,
        registry_label=ctx.policy.text("registries", registry),
        detail=ctx.policy.text("details", "mirror_too_old"),
    )
