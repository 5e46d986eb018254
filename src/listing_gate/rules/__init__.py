"""Pure verification rules: listing facts and registry records in, findings out.

Nothing in this package imports FastAPI, httpx, SQLAlchemy or the settings.
"""

from listing_gate.rules.decision import decide
from listing_gate.rules.engine import credential_record, evaluate
from listing_gate.rules.facts import Facts, Fetched, RuleContext, credential_id
from listing_gate.rules.plan import CredentialPlan, plan_credential
from listing_gate.rules.standards import standard_keys_to_check

__all__ = [
    "CredentialPlan",
    "Facts",
    "Fetched",
    "RuleContext",
    "credential_id",
    "credential_record",
    "decide",
    "evaluate",
    "plan_credential",
    "standard_keys_to_check",
]
