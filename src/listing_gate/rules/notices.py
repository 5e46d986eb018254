"""Draft art. 8 and 11: recalls and failed spot checks that name this manufacturer and model."""

from __future__ import annotations

from collections.abc import Sequence

from listing_gate.domain import Found, Reason, RecallRecord, SpotCheckRecord, Unavailable
from listing_gate.matching.names import match_company
from listing_gate.normalize.company import parse_company
from listing_gate.normalize.model import parse_models
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import NormalizedDraft
from listing_gate.rules.outages import registry_unavailable
from listing_gate.rules.parties import Party

__all__ = ["recall_findings", "spot_check_findings"]


def recall_findings(
    draft: NormalizedDraft,
    recalls: Found[list[RecallRecord]] | Unavailable | None,
    parties: Sequence[Party],
    ctx: RuleContext,
) -> list[Reason]:
    """Returns RECALLED for each active recall covering the model of a matching manufacturer."""
    if recalls is None:
        return []
    if isinstance(recalls, Unavailable):
        return [registry_unavailable("recall", recalls.cause, ctx)]
    return [
        ctx.policy.reason(
            "RECALLED",
            field="product.model",
            listing_value=draft.model,
            registry_value=r.manufacturer.name,
            record_id=r.recall_id,
        )
        for r in recalls.value
        if r.status == "active" and _names(draft, r.models, r.manufacturer.name, parties, ctx)
    ]


def spot_check_findings(
    draft: NormalizedDraft,
    notices: Found[list[SpotCheckRecord]] | Unavailable | None,
    parties: Sequence[Party],
    ctx: RuleContext,
) -> list[Reason]:
    """Returns SPOT_CHECK_FAILED for each failed check of this model by a matching manufacturer."""
    if notices is None:
        return []
    if isinstance(notices, Unavailable):
        return [registry_unavailable("spot_check", notices.cause, ctx)]
    return [
        ctx.policy.reason(
            "SPOT_CHECK_FAILED",
            field="product.model",
            listing_value=draft.model,
            registry_value=n.manufacturer.name,
            record_id=n.notice_id,
            detail="、".join(n.failed_items) or ctx.policy.text("details", "spot_check_failed"),
        )
        for n in notices.value
        if _names(draft, n.models, n.manufacturer.name, parties, ctx)
    ]


def _names(
    draft: NormalizedDraft,
    models: list[str],
    manufacturer: str,
    parties: Sequence[Party],
    ctx: RuleContext,
) -> bool:
    # A notice concerns this listing when it covers the model AND names the listing's
    # manufacturer or a party of the listing's credential (the product is theirs too).
    if draft.keyed_model is None or parse_models(models).covers_model(draft.keyed_model) is None:
        return False
    named = parse_company(manufacturer)
    companies = [(draft.maker, draft.maker_credit_code)] if draft.maker is not None else []
    companies.extend((p.company, p.credit_code) for p in parties if p.name.strip())
    return any(
        match_company(company, named, listing_credit_code=code, thresholds=ctx.thresholds).verdict
        != "mismatch"
        for company, code in companies
    )
