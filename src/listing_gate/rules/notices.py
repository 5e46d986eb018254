"""Draft art. 8 and 11: recalls and failed spot checks that name this manufacturer and model."""

from __future__ import annotations

from collections.abc import Sequence

from listing_gate.domain import ListingDraft, Reason, RecallRecord, SpotCheckRecord
from listing_gate.matching.names import match_name
from listing_gate.normalize.model import model_key, parse_models
from listing_gate.rules.facts import Fetched, RuleContext
from listing_gate.rules.parties import Party

__all__ = ["recall_findings", "spot_check_findings"]


def recall_findings(
    draft: ListingDraft,
    recalls: Fetched[list[RecallRecord]] | None,
    parties: Sequence[Party],
    ctx: RuleContext,
) -> list[Reason]:
    """Returns RECALLED for each active recall covering the model of a matching manufacturer."""
    if recalls is None:
        return []
    if not recalls.found:
        return [_unavailable("recall", recalls.detail or recalls.state, ctx)]
    hits = [
        r
        for r in recalls.value or ()
        if r.status == "active" and _names(draft, r.models, r.manufacturer.name, parties, ctx)
    ]
    model = (draft.product.model or "").strip()
    return [
        ctx.policy.reason(
            "RECALLED",
            field="product.model",
            listing_value=model,
            registry_value=r.manufacturer.name,
            record_id=r.recall_id,
        )
        for r in hits
    ]


def spot_check_findings(
    draft: ListingDraft,
    notices: Fetched[list[SpotCheckRecord]] | None,
    parties: Sequence[Party],
    ctx: RuleContext,
) -> list[Reason]:
    """Returns SPOT_CHECK_FAILED for each failed check of this model by a matching manufacturer."""
    if notices is None:
        return []
    if not notices.found:
        return [_unavailable("spot_check", notices.detail or notices.state, ctx)]
    model = (draft.product.model or "").strip()
    return [
        ctx.policy.reason(
            "SPOT_CHECK_FAILED",
            field="product.model",
            listing_value=model,
            registry_value=n.manufacturer.name,
            record_id=n.notice_id,
            detail="、".join(n.failed_items) or "不合格",
        )
        for n in notices.value or ()
        if _names(draft, n.models, n.manufacturer.name, parties, ctx)
    ]


def _names(
    draft: ListingDraft,
    models: list[str],
    manufacturer: str,
    parties: Sequence[Party],
    ctx: RuleContext,
) -> bool:
    # A notice concerns this listing when it covers the model AND names the listing's
    # manufacturer or a party of the listing's credential (the product is theirs too).
    model = (draft.product.model or "").strip()
    if not model or parse_models(tuple(models)).covers(model_key(model)) is None:
        return False
    maker = draft.product.manufacturer
    names = [(maker.name, maker.credit_code)] if maker and maker.name else []
    names.extend((p.name, p.credit_code) for p in parties)
    return any(
        match_name(name, manufacturer, listing_credit_code=code, thresholds=ctx.thresholds).verdict
        != "mismatch"
        for name, code in names
        if name and name.strip()
    )


def _unavailable(registry: str, detail: str, ctx: RuleContext) -> Reason:
    return ctx.policy.reason("REGISTRY_UNAVAILABLE", registry_value=registry, detail=detail)
