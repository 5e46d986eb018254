"""Draft art. 3: is this a key product, and is a seller dodging the gate by its category?"""

from __future__ import annotations

from datetime import date

from listing_gate.domain import Reason
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import NormalizedDraft
from listing_gate.rules.product_terms import load_product_terms

__all__ = ["outside_catalog"]


def outside_catalog(draft: NormalizedDraft, today: date, ctx: RuleContext) -> list[Reason]:
    """Returns CATEGORY_SUSPECTED if name or credential point into the catalog, else NOT_KEY."""
    hit = _named_product(draft, today, ctx)
    if hit is not None:
        term, entry = hit
        return [
            ctx.policy.reason(
                "CATEGORY_SUSPECTED",
                field="product.category",
                listing_value=draft.category,
                registry_value=f"{entry.code} {entry.name}",
                evidence=ctx.policy.text("details", "named_in_product_name", term=term),
            )
        ]
    credential = draft.shown_credential
    if credential is not None:
        return [
            ctx.policy.reason(
                "CATEGORY_SUSPECTED",
                field=credential,
                listing_value=draft.category,
                registry_value=ctx.policy.text("details", "credentialed_product"),
                evidence=ctx.policy.text("details", "credential_number_shown"),
            )
        ]
    return [
        ctx.policy.reason("NOT_KEY_PRODUCT", field="product.category", listing_value=draft.category)
    ]


def _named_product(
    draft: NormalizedDraft, today: date, ctx: RuleContext
) -> tuple[str, CatalogEntry] | None:
    # Only a listing outside the catalogue has its name searched, once.
    return load_product_terms().named_product(
        ctx.catalog.on(today), draft.folded_name(), ctx.policy.rules
    )
