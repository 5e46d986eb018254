"""Runs every rule over one listing's facts: pure, no I/O, the same for API, CLI and batch."""

from __future__ import annotations

from listing_gate.domain import CccRecord, Reason
from listing_gate.rules.context import RuleContext
from listing_gate.rules.credentials import (
    credential_category_fit,
    credential_lookup,
    credential_presence,
    credential_status,
)
from listing_gate.rules.disclosure import missing_disclosures
from listing_gate.rules.facts import Facts
from listing_gate.rules.models import model_coverage
from listing_gate.rules.notices import recall_findings, spot_check_findings
from listing_gate.rules.outages import registry_stale
from listing_gate.rules.parties import party_findings
from listing_gate.rules.report import report_findings
from listing_gate.rules.scope import outside_catalog
from listing_gate.rules.standards import standard_findings

__all__ = ["evaluate"]


def evaluate(facts: Facts, ctx: RuleContext) -> list[Reason]:
    """Returns every finding for the listing, unordered; ``decide`` turns them into a decision."""
    draft, category, plan = facts.draft, facts.category, facts.plan
    if category is None:
        return outside_catalog(draft, facts.today, ctx)
    reasons = missing_disclosures(draft, category, ctx)
    reasons += credential_presence(plan, category, draft.report is not None, ctx)
    if plan is not None and plan.key is not None:
        reasons += credential_lookup(plan, facts.credential, ctx)
    record, parties = facts.record, facts.parties
    if plan is not None and record is not None:
        reasons += credential_status(plan, record, facts.today, ctx)
        reasons += credential_category_fit(plan, record, category, ctx)
        reasons += party_findings(draft, plan, record, parties, ctx)
        if isinstance(record, CccRecord):
            reasons += model_coverage(draft, plan, record, ctx)
    if category.regime == "mandatory_standard" or (
        plan is None and category.previous_regime == "mandatory_standard"
    ):
        reasons += report_findings(draft, category, facts.standards, ctx)
    ccc_record = record if isinstance(record, CccRecord) else None
    reasons += standard_findings(draft, category, ccc_record, facts.standards, ctx)
    reasons += recall_findings(draft, facts.recalls, parties, ctx)
    reasons += spot_check_findings(draft, facts.spot_checks, parties, ctx)
    reasons += [registry_stale(kind, ctx) for kind in sorted(facts.stale)]
    return reasons
