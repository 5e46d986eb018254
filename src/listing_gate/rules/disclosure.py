"""Draft art. 16: what a key-product listing must show, whatever the registries say."""

from __future__ import annotations

from listing_gate.domain import Reason
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import NormalizedDraft

__all__ = ["missing_disclosures"]


def missing_disclosures(
    draft: NormalizedDraft, category: CatalogEntry, ctx: RuleContext
) -> list[Reason]:
    """Returns one DISCLOSURE_MISSING per required field that is absent, blank or a placeholder.

    The fields are policy.json's, named by their path in the draft. A placeholder ("无",
    "见详情") is quoted, so the seller sees which text was not taken for a value.
    """
    rules = ctx.policy.rules
    fields = rules.required_fields
    if category.requires_warnings:
        fields = (*fields, rules.warnings_field)
    reasons = []
    for field in fields:
        if draft.shows(field):
            continue
        written = draft.written(field)
        reasons.append(
            ctx.policy.reason(
                "DISCLOSURE_MISSING",
                field=field,
                listing_value=written or None,
                field_label=ctx.policy.text("fields", field),
                detail=ctx.policy.text("details", "placeholder", written=written)
                if written
                else "",
            )
        )
    return reasons
