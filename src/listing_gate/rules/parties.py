"""Draft art. 9: the listing's manufacturer is a party of the credential, at its address."""

from __future__ import annotations

from dataclasses import dataclass

from listing_gate.domain import CccRecord, LicenseRecord, ListingDraft, Reason
from listing_gate.matching.addresses import AddressMatch, match_address
from listing_gate.matching.names import match_name
from listing_gate.rules.facts import RuleContext, credential_id
from listing_gate.rules.plan import CredentialPlan

__all__ = ["Party", "credential_parties", "party_findings"]

_VERDICT_RANK = {"match": 2, "weak": 1, "uncertain": 1, "mismatch": 0}


@dataclass(frozen=True, slots=True)
class Party:
    """A party a credential names, with every address it may legitimately show."""

    role: str
    name: str
    credit_code: str | None
    addresses: tuple[str, ...]


def credential_parties(record: CccRecord | LicenseRecord) -> list[Party]:
    """Returns the parties a listing may name: CCC maker, holder, factory; licence company."""
    if isinstance(record, LicenseRecord):
        company = record.company
        addresses = tuple(a for a in (company.address, *record.production_addresses) if a)
        return [Party("company", company.name, company.credit_code, addresses)]
    parties = []
    for role in ("manufacturer", "holder", "factory"):
        party = getattr(record, role)
        if party is not None and party.name:
            addresses = (party.address,) if party.address else ()
            parties.append(Party(role, party.name, party.credit_code, addresses))
    return parties


def party_findings(
    draft: ListingDraft,
    plan: CredentialPlan,
    record: CccRecord | LicenseRecord,
    parties: list[Party],
    ctx: RuleContext,
) -> list[Reason]:
    """Returns MANUFACTURER_* and ADDRESS_* findings against the credential's parties."""
    maker = draft.product.manufacturer
    name = (maker.name or "").strip() if maker else ""
    if not name:
        return []  # DISCLOSURE_MISSING already says so
    if not parties:
        return []
    matches = [
        (
            party,
            match_name(
                name,
                party.name,
                listing_credit_code=maker.credit_code if maker else None,
                registry_credit_code=party.credit_code,
                thresholds=ctx.thresholds,
            ),
        )
        for party in parties
    ]
    best = max(matches, key=lambda pm: (_VERDICT_RANK[pm[1].verdict], pm[1].score))[1]
    record_id = credential_id(record)
    if best.verdict == "mismatch":
        return [
            ctx.policy.reason(
                "MANUFACTURER_MISMATCH",
                field="product.manufacturer.name",
                listing_value=name,
                registry_value="; ".join(dict.fromkeys(p.name for p in parties)),
                score=best.score,
                credential_label=plan.label,
                record_id=record_id,
            )
        ]
    reasons = []
    if best.verdict == "weak":
        reasons.append(
            ctx.policy.reason(
                "MANUFACTURER_UNCERTAIN",
                field="product.manufacturer.name",
                listing_value=name,
                registry_value=best.registry_value,
                score=best.score,
                detail=best.why,
            )
        )
    named = [party for party, m in matches if m.verdict != "mismatch"]
    reasons.extend(_address_findings(draft, plan, record_id, named, ctx))
    return reasons


def _address_findings(
    draft: ListingDraft,
    plan: CredentialPlan,
    record_id: str,
    named: list[Party],
    ctx: RuleContext,
) -> list[Reason]:
    maker = draft.product.manufacturer
    address = (maker.address or "").strip() if maker else ""
    candidates = list(dict.fromkeys(a for party in named for a in party.addresses))
    if not address or not candidates:
        return []
    results: list[AddressMatch] = [
        match_address(address, candidate, thresholds=ctx.thresholds) for candidate in candidates
    ]
    best = max(results, key=lambda m: (_VERDICT_RANK[m.verdict], m.score))
    if best.verdict == "match":
        return []
    if best.verdict == "uncertain":
        return [
            ctx.policy.reason(
                "ADDRESS_UNCERTAIN",
                field="product.manufacturer.address",
                listing_value=address,
                registry_value=best.registry_value,
                score=best.score,
            )
        ]
    return [
        ctx.policy.reason(
            "ADDRESS_MISMATCH",
            field="product.manufacturer.address",
            listing_value=address,
            registry_value="; ".join(candidates),
            score=best.score,
            credential_label=plan.label,
            record_id=record_id,
        )
    ]
