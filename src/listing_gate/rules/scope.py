"""Draft art. 3: is this a key product, and is a seller dodging the gate by its category?"""

from __future__ import annotations

from listing_gate.domain import Reason
from listing_gate.normalize.text import fold
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.facts import Facts, RuleContext

__all__ = ["outside_catalog"]


def outside_catalog(facts: Facts, ctx: RuleContext) -> list[Reason]:
    """Returns CATEGORY_SUSPECTED if name or credential point into the catalog, else NOT_KEY."""
    draft = facts.draft
    category = draft.product.category.strip()
    hit = _named_product(facts, ctx)
    if hit is not None:
        term, entry = hit
        return [
            ctx.policy.reason(
                "CATEGORY_SUSPECTED",
                field="product.category",
                listing_value=category,
                registry_value=f"{entry.code} {entry.name}",
                evidence=f"商品名称中的“{term}”",
            )
        ]
    credential = _shown_credential(facts)
    if credential is not None:
        return [
            ctx.policy.reason(
                "CATEGORY_SUSPECTED",
                field=credential,
                listing_value=category,
                registry_value="CCC/生产许可证产品",
                evidence="所附证书编号",
            )
        ]
    return [ctx.policy.reason("NOT_KEY_PRODUCT", field="product.category", listing_value=category)]


def _named_product(facts: Facts, ctx: RuleContext) -> tuple[str, CatalogEntry] | None:
    text = fold(facts.draft.product.name).lower()
    section = ctx.policy.section("category_suspicion")
    accessories: list[str] = section.get("accessory_words", [])
    min_chars = int(section.get("min_alias_chars", 2))
    for term, entry in ctx.catalog.on(facts.today).terms():
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


def _shown_credential(facts: Facts) -> str | None:
    creds = facts.draft.credentials
    if creds is None:
        return None
    for field in ("ccc_certificate_no", "ccc_self_declaration_no", "production_license_no"):
        value = getattr(creds, field)
        if value is not None and value.strip():
            return f"credentials.{field}"
    return None
