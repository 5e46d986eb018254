"""Pure verification rules: listing facts and registry records in, findings out.

A decision runs in three pure steps around its lookups: ``prepare`` (the draft read once,
its category on the day, the credential and keys to look up), ``follow_up`` (the found
credential's parties and the recall and spot-check keys), then ``evaluate`` and
``decide`` over the ``Facts``. Nothing in this package imports FastAPI, httpx,
SQLAlchemy, the settings, or the api, db, registries and service packages.
"""

from listing_gate.rules.context import RuleContext
from listing_gate.rules.decision import decide
from listing_gate.rules.draft import NormalizedDraft, normalize_draft
from listing_gate.rules.engine import evaluate
from listing_gate.rules.evidence import consulted_evidence
from listing_gate.rules.facts import Facts
from listing_gate.rules.plan import CredentialPlan, plan_credential
from listing_gate.rules.preparation import FollowUp, NoticeQuery, Prepared, follow_up, prepare

__all__ = [
    "CredentialPlan",
    "Facts",
    "FollowUp",
    "NormalizedDraft",
    "NoticeQuery",
    "Prepared",
    "RuleContext",
    "consulted_evidence",
    "decide",
    "evaluate",
    "follow_up",
    "normalize_draft",
    "plan_credential",
    "prepare",
]
