"""Draft art. 3: is this a key product, and is a seller dodging the gate by its category?"""

from __future__ import annotations

from datetime import date

from listing_gate.domain import Reason
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import NormalizedDraft

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
    text = draft.folded_name()
    accessories = ctx.policy.rules.accessory_words
    min_chars = ctx.policy.rules.min_alias_chars
    for term, entry in ctx.catalog.on(today).terms():
        if len(term) < min_chars:
            continue
        start = text.find(term)
        while start != -1:
            after = text[start + len(term) : start + len(term) + 4]
            # "手机壳" names a phone case, not a phone: an accessory word right after the
            # product term means the listing is for something that goes with it.
            if not any(after.startswith(word) for word in accessories):
                return term, entry
            start = text.find(term, start + 1)
    return None
