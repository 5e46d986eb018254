"""What a decision asks of the registries, worked out purely before and between the lookups.

``prepare`` comes first: the category in force on the decision day, the credential to
look up and the keys of the listing's model and standards. Once the credential's record
is known, ``follow_up`` names its parties and says which recalls and spot checks to
search for: those naming the model, the listing's manufacturer or any of those parties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from listing_gate.domain import Answer, CccRecord, Found, LicenseRecord, ListingDraft
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import NormalizedDraft, normalize_draft
from listing_gate.rules.parties import Party, credential_parties
from listing_gate.rules.plan import CredentialPlan, plan_credential

__all__ = ["FollowUp", "NoticeQuery", "Prepared", "follow_up", "prepare"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A draft read once, its category on the decision day, and the lookups it needs.

    Outside the catalog nothing is looked up: the plan is None and every key empty.
    """

    draft: NormalizedDraft
    today: date
    category: CatalogEntry | None
    plan: CredentialPlan | None
    model_key: str | None
    manufacturer_cores: tuple[str, ...]
    standard_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoticeQuery:
    """The keys recalls and spot-check notices are searched by."""

    model_key: str
    manufacturer_cores: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What the found credential adds: the parties it names, and the notice search keys."""

    parties: tuple[Party, ...]
    notices: NoticeQuery | None  # None when the listing names no model


def prepare(draft: ListingDraft, ctx: RuleContext, today: date) -> Prepared:
    """Returns the category in force on ``today``, the credential to check and the lookup keys."""
    normalized = normalize_draft(draft, ctx.policy.rules.placeholders)
    category = ctx.catalog.on(today).resolve(draft.product.category)
    if category is None:
        return Prepared(normalized, today, None, None, None, (), ())
    plan = plan_credential(
        normalized, category, catalog=ctx.catalog, policy=ctx.policy, today=today
    )
    return Prepared(
        draft=normalized,
        today=today,
        category=category,
        plan=plan,
        model_key=normalized.model_key,
        manufacturer_cores=normalized.maker_cores,
        standard_keys=normalized.standard_keys,
    )


def follow_up(
    prepared: Prepared, credential: Answer[CccRecord] | Answer[LicenseRecord] | None
) -> FollowUp:
    """Returns the found credential's parties and the recall and spot-check search keys.

    A notice concerns the listing when it names the model or a company the product is
    theirs: the listing's manufacturer, or a party of its credential.
    """
    found = credential.value if isinstance(credential, Found) else None
    parties = tuple(credential_parties(found)) if found is not None else ()
    if prepared.model_key is None:
        return FollowUp(parties, None)
    cores = list(prepared.manufacturer_cores)
    for party in parties:
        cores.extend(party.company.index_cores)
    query = NoticeQuery(prepared.model_key, tuple(c for c in dict.fromkeys(cores) if c))
    return FollowUp(parties, query)
