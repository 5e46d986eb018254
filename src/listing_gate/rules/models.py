"""Draft art. 7 and 9: the listed model is one the certificate covers, exactly or by its series."""

from __future__ import annotations

from listing_gate.domain import CccRecord, Reason
from listing_gate.normalize.model import parse_models
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import NormalizedDraft
from listing_gate.rules.plan import CredentialPlan

__all__ = ["model_coverage"]


def model_coverage(
    draft: NormalizedDraft, plan: CredentialPlan, record: CccRecord, ctx: RuleContext
) -> list[Reason]:
    """Returns MODEL_NOT_COVERED unless the listing's model is among the certificate's models.

    A model that only extends a family the certificate names ("MC-TD6036" of "MC-TD60系列")
    is plausibly covered, not provably: MODEL_UNCERTAIN, for a person to confirm.
    """
    if draft.keyed_model is None or not record.models:
        return []  # a blank model is DISCLOSURE_MISSING; a record without models names none
    coverage = parse_models(record.models)
    if coverage.covers_model(draft.keyed_model) is not None:
        return []
    credential_label = ctx.policy.text("credentials", plan.kind)
    family = coverage.family_of(draft.keyed_model)
    if family is not None:
        return [
            ctx.policy.reason(
                "MODEL_UNCERTAIN",
                field="product.model",
                listing_value=draft.model,
                registry_value=family,
                credential_label=credential_label,
                record_id=record.certificate_no,
            )
        ]
    return [
        ctx.policy.reason(
            "MODEL_NOT_COVERED",
            field="product.model",
            listing_value=draft.model,
            registry_value="; ".join(record.models),
            credential_label=credential_label,
            record_id=record.certificate_no,
        )
    ]
