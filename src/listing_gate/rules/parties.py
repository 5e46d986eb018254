"""Draft art. 9: the listing's manufacturer is a party of the credential, at its address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from listing_gate.domain import CccRecord, LicenseRecord, Reason
from listing_gate.matching.addresses import AddressMatch, match_place
from listing_gate.matching.names import NameMatch, match_company
from listing_gate.normalize.address import Address, parse_address
from listing_gate.normalize.company import CompanyName, parse_company
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import NormalizedDraft
from listing_gate.rules.plan import CredentialPlan

__all__ = ["Party", "credential_id", "credential_parties", "party_findings"]

_VERDICT_RANK = {"match": 2, "weak": 1, "uncertain": 1, "mismatch": 0}


@dataclass(frozen=True, slots=True)
class Party:
    """A party a credential names, with every address it may legitimately show."""

    role: str
    name: str
    credit_code: str | None
    addresses: tuple[str, ...]
    company: CompanyName  # the name parsed


def credential_id(record: CccRecord | LicenseRecord) -> str:
    """Returns the registry id of a credential record."""
    return record.license_no if isinstance(record, LicenseRecord) else record.certificate_no


def credential_parties(record: CccRecord | LicenseRecord) -> list[Party]:
    """Returns the parties a listing may name: CCC maker, holder, factory; licence company."""
    if isinstance(record, LicenseRecord):
        company = record.company
        addresses = tuple(a for a in (company.address, *record.production_addresses) if a)
        return [
            Party(
                "company", company.name, company.credit_code, addresses, parse_company(company.name)
            )
        ]
    parties = []
    for role in ("manufacturer", "holder", "factory"):
        party = getattr(record, role)
        if party is not None and party.name:
            addresses = (party.address,) if party.address else ()
            parsed = parse_company(party.name)
            parties.append(Party(role, party.name, party.credit_code, addresses, parsed))
    return parties


def party_findings(
    draft: NormalizedDraft,
    plan: CredentialPlan,
    record: CccRecord | LicenseRecord,
    parties: Sequence[Party],
    ctx: RuleContext,
) -> list[Reason]:
    """Returns MANUFACTURER_* and ADDRESS_* findings against the credential's parties."""
    if draft.maker is None:
        return []  # DISCLOSURE_MISSING already says so
    if not parties:
        return []
    matches = [
        (
            party,
            match_company(
                draft.maker,
                party.company,
                listing_credit_code=draft.maker_credit_code,
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
                listing_value=draft.maker_name,
                registry_value="; ".join(dict.fromkeys(p.name for p in parties)),
                score=best.score,
                credential_label=ctx.policy.text("credentials", plan.kind),
                record_id=record_id,
            )
        ]
    reasons = []
    if best.verdict == "weak":
        reasons.append(
            ctx.policy.reason(
                "MANUFACTURER_UNCERTAIN",
                field="product.manufacturer.name",
                listing_value=draft.maker_name,
                registry_value=best.registry_value,
                score=best.score,
                detail=_why(best, ctx),
            )
        )
    named = [party for party, m in matches if m.verdict != "mismatch"]
    reasons.extend(_address_findings(draft, plan, record_id, named, ctx))
    return reasons


def _why(match: NameMatch, ctx: RuleContext) -> str:
    listing, registry = match.sides or ("", "")
    return ctx.policy.text("name_match", match.why, listing=listing, registry=registry)


def _address_findings(
    draft: NormalizedDraft,
    plan: CredentialPlan,
    record_id: str,
    named: list[Party],
    ctx: RuleContext,
) -> list[Reason]:
    candidates = list(dict.fromkeys(a for party in named for a in party.addresses))
    if draft.maker_place is None or not candidates:
        return []
    place: Address = draft.maker_place
    results: list[AddressMatch] = [
        match_place(place, parse_address(candidate), thresholds=ctx.thresholds)
        for candidate in candidates
    ]
    best = max(results, key=lambda m: (_VERDICT_RANK[m.verdict], m.score))
    if best.verdict == "match":
        return []
    if best.verdict == "uncertain":
        listing, registry = best.sides or ("", "")
        return [
            ctx.policy.reason(
                "ADDRESS_UNCERTAIN",
                field="product.manufacturer.address",
                listing_value=draft.maker_address,
                registry_value=best.registry_value,
                score=best.score,
                detail=ctx.policy.text(
                    "address_match", best.why, listing=listing, registry=registry
                ),
            )
        ]
    return [
        ctx.policy.reason(
            "ADDRESS_MISMATCH",
            field="product.manufacturer.address",
            listing_value=draft.maker_address,
            registry_value="; ".join(candidates),
            score=best.score,
            credential_label=ctx.policy.text("credentials", plan.kind),
            record_id=record_id,
        )
    ]
