"""Runs every rule over one listing's facts: pure, no I/O, the same for API, CLI and batch."""

from __future__ import annotations

from listing_gate.domain import CccRecord, LicenseRecord, Reason
from listing_gate.rules.credentials import (
    credential_category_fit,
    credential_lookup,
    credential_presence,
    credential_status,
)
from listing_gate.rules.disclosure import missing_disclosures
from listing_gate.rules.facts import Facts, RuleContext
from listing_gate.rules.models import model_coverage
from listing_gate.rules.notices import recall_findings, spot_check_findings
from listing_gate.rules.parties import credential_parties, party_findings
from listing_gate.rules.plan import CredentialPlan
from listing_gate.rules.report import report_findings
from listing_gate.rules.scope import outside_catalog
from listing_gate.rules.standards import standard_findings

__all__ = ["credential_record", "evaluate"]


def credential_record(
    facts: Facts, plan: CredentialPlan | None
) -> CccRecord | LicenseRecord | None:
    """Returns the registry record of the listing's credential, when one was found."""
    if plan is None or plan.key is None:
        return None
    fetched = facts.ccc if plan.registry == "ccc" else facts.license
    return fetched.value if fetched is not None and fetched.found else None


def evaluate(facts: Facts, plan: CredentialPlan | None, ctx: RuleContext) -> list[Reason]:
    """Returns every finding for the listing, unordered; ``decide`` turns them into a decision."""
    category = facts.category
    if category is None:
        return outside_catalog(facts, ctx)
    draft = facts.draft
    report = draft.credentials.test_report if draft.credentials else None
    reasons = missing_disclosures(draft, category, ctx)
    reasons += credential_presence(plan, category, report is not None, ctx)
    if plan is not None and plan.key is not None:
        fetched = facts.ccc if plan.registry == "ccc" else facts.license
        if fetched is None:
            reasons.append(
                ctx.policy.reason(
                    "REGISTRY_UNAVAILABLE", registry_value=plan.registry, detail="not consulted"
                )
            )
        else:
            reasons += credential_lookup(plan, fetched, ctx)
    record = credential_record(facts, plan)
    parties = credential_parties(record) if record is not None else []
    if plan is not None and record is not None:
        reasons += credential_status(plan, record, facts.today, ctx)
        reasons += credential_category_fit(plan, record, category, ctx)
        reasons += party_findings(draft, plan, record, parties, ctx)
        if isinstance(record, CccRecord):
            reasons += model_coverage(draft, plan, record, ctx)
    if category.regime == "mandatory_standard" or (
        plan is None and category.previous_regime == "mandatory_standard"
    ):
        reasons += report_findings(draft, category, ctx)
    ccc_record = record if isinstance(record, CccRecord) else None
    reasons += standard_findings(draft, category, ccc_record, facts.standards, ctx)
    reasons += recall_findings(draft, facts.recalls, parties, ctx)
    reasons += spot_check_findings(draft, facts.spot_checks, parties, ctx)
    reasons += [
        ctx.policy.reason("REGISTRY_STALE", registry_value=kind, detail="超过允许的最大时长")
        for kind in sorted(facts.stale)
    ]
    return reasons
