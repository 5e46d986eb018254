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
    """Returns RECALLED for each active recall covering the model of a matching manufacturer.

    A recall is a safety notice and is read broadly: a model inside a range it names, or a
    member of a family it names ("KC-20系列"), is recalled. A model that only extends a
    recalled model ("A1647S" of "A1647"), or shares its first word ("A1647 10000mAh"), may
    be a variant of it: RECALL_UNCERTAIN.
    """
    if recalls is None:
        return []
    if isinstance(recalls, Unavailable):
        return [registry_unavailable("recall", recalls.cause, ctx)]
    model = draft.keyed_model
    if model is None:
        return []
    reasons = []
    for recall in recalls.value:
        if recall.status != "active":
            continue
        coverage = parse_models(recall.models)
        member = coverage.member(model)
        variant = None if member else coverage.variant_of(model)
        if not (member or variant) or not _names(draft, recall.manufacturer.name, parties, ctx):
            continue
        reasons.append(
            ctx.policy.reason(
                "RECALLED" if member else "RECALL_UNCERTAIN",
                field="product.model",
                listing_value=draft.model,
                registry_value=recall.manufacturer.name,
                record_id=recall.recall_id,
                recalled=variant or "",
            )
        )
    return reasons


def spot_check_findings(
    draft: NormalizedDraft,
    notices: Found[list[SpotCheckRecord]] | Unavailable | None,
    parties: Sequence[Party],
    ctx: RuleContext,
) -> list[Reason]:
    """Returns SPOT_CHECK_FAILED for each failed check of this model by a matching manufacturer.

    Ranges and families a notice names cover their members, as in a recall.
    """
    if notices is None:
        return []
    if isinstance(notices, Unavailable):
        return [registry_unavailable("spot_check", notices.cause, ctx)]
    model = draft.keyed_model
    if model is None:
        return []
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
        if parse_models(n.models).member(model) and _names(draft, n.manufacturer.name, parties, ctx)
    ]


def _names(
    draft: NormalizedDraft,
    manufacturer: str,
    parties: Sequence[Party],
    ctx: RuleContext,
) -> bool:
    # A notice concerns this listing when it covers the model AND names the listing's
    # manufacturer or a party of the listing's credential (the product is theirs too).
    named = parse_company(manufacturer)
    companies = [(draft.maker, draft.maker_credit_code)] if draft.maker is not None else []
    companies.extend((p.company, p.credit_code) for p in parties if p.name.strip())
    return any(
        match_company(company, named, listing_credit_code=code, thresholds=ctx.thresholds).verdict
        != "mismatch"
        for company, code in companies
    )
