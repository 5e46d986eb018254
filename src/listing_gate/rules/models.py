"""Draft art. 7 and 9: the listed model is one the certificate covers, exactly or by its series."""

from __future__ import annotations

from listing_gate.domain import CccRecord, ListingDraft, Reason
from listing_gate.normalize.model import model_key, parse_models
from listing_gate.rules.facts import RuleContext
from listing_gate.rules.plan import CredentialPlan

__all__ = ["model_coverage"]


def model_coverage(
    draft: ListingDraft, plan: CredentialPlan, record: CccRecord, ctx: RuleContext
) -> list[Reason]:
    """Returns MODEL_NOT_COVERED unless the listing's model is among the certificate's models."""
    model = (draft.product.model or "").strip()
    if not model or not record.models:
        return []  # a blank model is DISCLOSURE_MISSING; a record without models names none
    if parse_models(tuple(record.models)).covers(model_key(model)) is not None:
        return []
    return [
        ctx.policy.reason(
            "MODEL_NOT_COVERED",
            field="product.model",
            listing_value=model,
            registry_value="; ".join(record.models),
            credential_label=plan.label,
            record_id=record.certificate_no,
        )
    ]
