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
    """Returns one DISCLOSURE_MISSING per required field that is absent or blank.

    The fields are policy.json's, named by their path in the draft.
    """
    rules = ctx.policy.rules
    fields = rules.required_fields
    if category.requires_warnings:
        fields = (*fields, rules.warnings_field)
    return [
        ctx.policy.reason(
            "DISCLOSURE_MISSING", field=field, field_label=ctx.policy.text("fields", field)
        )
        for field in fields
        if not draft.shows(field)
    ]
