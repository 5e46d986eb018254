"""The registry records a decision looked at, as the evidence it carries."""

from __future__ import annotations

from listing_gate.domain import Evidence, Found
from listing_gate.rules.facts import Facts
from listing_gate.rules.parties import credential_id

__all__ = ["consulted_evidence"]


def consulted_evidence(facts: Facts) -> list[Evidence]:
    """Returns every record the decision looked at, near misses included, in lookup order.

    Re-verification finds the listings a registry change can affect by this list.
    """
    evidence = []
    record, plan, credential = facts.record, facts.plan, facts.credential
    if record is not None and plan is not None and isinstance(credential, Found):
        record_id = credential_id(record)
        evidence.append(_evidence(plan.registry, record_id, str(record.status), credential))
    if isinstance(facts.standards, Found):
        standards = facts.standards
        evidence.extend(
            _evidence("standard", r.number, r.status, standards) for r in standards.value.values()
        )
    if isinstance(facts.recalls, Found):
        recalls = facts.recalls
        evidence.extend(_evidence("recall", r.recall_id, r.status, recalls) for r in recalls.value)
    if isinstance(facts.spot_checks, Found):
        spots = facts.spot_checks
        evidence.extend(_evidence("spot_check", n.notice_id, n.result, spots) for n in spots.value)
    return evidence


def _evidence(registry: str, record_id: str, status: str, answer: Found[object]) -> Evidence:
    # Fields come from validated registry records; construct without validating twice.
    return Evidence.model_construct(
        registry=registry,
        record_id=record_id,
        status=status,
        source=answer.source,
        retrieved_at=answer.retrieved_at,
    )
