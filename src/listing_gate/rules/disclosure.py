"""Draft art. 16: what a key-product listing must show, whatever the registries say."""

from __future__ import annotations

from listing_gate.domain import ListingDraft, Reason
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.facts import RuleContext

__all__ = ["missing_disclosures"]

_LABELS = {
    "product.manufacturer.name": "生产者名称",
    "product.manufacturer.address": "生产者地址",
    "product.model": "型号规格",
    "product.standards": "执行标准",
    "product.warnings": "警示说明",
}


def missing_disclosures(
    draft: ListingDraft, category: CatalogEntry, ctx: RuleContext
) -> list[Reason]:
    """Returns one DISCLOSURE_MISSING per required field that is absent or blank."""
    section = ctx.policy.section("disclosure")
    fields: list[str] = list(section.get("required_fields", []))
    if category.requires_warnings:
        fields.append(section.get("warnings_field", "product.warnings"))
    return [
        ctx.policy.reason("DISCLOSURE_MISSING", field=field, field_label=_LABELS.get(field, field))
        for field in fields
        if _is_blank(_value(draft, field))
    ]


def _value(draft: ListingDraft, path: str) -> object:
    node: object = draft
    for part in path.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not any(isinstance(v, str) and v.strip() for v in value)
    return False
