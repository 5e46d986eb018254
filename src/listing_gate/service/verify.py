"""One verification: resolve the category, consult the registries, run the rules, decide.

The registry calls are the only I/O; everything else is the pure rules package. The
result is not recorded here: the caller records it before answering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from listing_gate.domain import (
    CategoryRef,
    Evidence,
    ListingDraft,
    Verification,
)
from listing_gate.ids import new_id, utcnow
from listing_gate.normalize.company import parse_company
from listing_gate.normalize.model import model_key
from listing_gate.registries.lookup import (
    Found,
    NotFound,
    RegistryLookup,
    Unavailable,
    deadline,
)
from listing_gate.rules import (
    CredentialPlan,
    Facts,
    Fetched,
    RuleContext,
    credential_id,
    credential_record,
    decide,
    evaluate,
    plan_credential,
    standard_keys_to_check,
)
from listing_gate.rules.catalog import Catalog, CatalogEntry, load_catalog
from listing_gate.rules.parties import credential_parties
from listing_gate.rules.policy import Policy, load_policy

__all__ = ["Prepared", "Verifier", "manufacturer_cores", "prepare"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a draft asks of the registries, worked out before any lookup."""

    draft: ListingDraft
    category: CatalogEntry | None
    plan: CredentialPlan | None
    model_key: str | None
    manufacturer_cores: tuple[str, ...]
    standard_keys: list[str]


def prepare(draft: ListingDraft, ctx: RuleContext, today: date) -> Prepared:
    """Returns the category in force on ``today``, the credential to check and the lookup keys."""
    category = ctx.catalog.on(today).resolve(draft.product.category)
    if category is None:
        return Prepared(draft, None, None, None, (), [])
    plan = plan_credential(draft, category, catalog=ctx.catalog, policy=ctx.policy, today=today)
    model = (draft.product.model or "").strip()
    maker = draft.product.manufacturer
    maker_name = (maker.name or "").strip() if maker else ""
    return Prepared(
        draft=draft,
        category=category,
        plan=plan,
        model_key=model_key(model) or None if model else None,
        manufacturer_cores=parse_company(maker_name).index_cores if maker_name else (),
        standard_keys=standard_keys_to_check(draft),
    )


class Verifier:
    """Decides listing drafts against the registries behind one RegistryLookup."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        policy: Policy,
        lookup: RegistryLookup,
        clock: Callable[[], datetime] = utcnow,
        deadline_s: float = 2.0,
    ) -> None:
        self.catalog = catalog
        self.policy = policy
        self.lookup = lookup
        self.clock = clock
        self.deadline_s = deadline_s
        self.ctx = RuleContext.build(catalog, policy)

    @classmethod
    def from_lookup(
        cls,
        lookup: RegistryLookup,
        *,
        clock: Callable[[], datetime] = utcnow,
        deadline_s: float = 2.0,
    ) -> Verifier:
        """Returns a verifier over the shipped catalog and policy."""
        return cls(
            catalog=load_catalog(),
            policy=load_policy(),
            lookup=lookup,
            clock=clock,
            deadline_s=deadline_s,
        )

    async def verify(self, draft: ListingDraft) -> Verification:
        """Returns the decision for ``draft`` with its reasons and the evidence consulted."""
        now = self.clock()
        today = self.policy.day_of(now)
        prepared = prepare(draft, self.ctx, today)
        # Every lookup of this verification shares one deadline: a hung registry turns
        # into REGISTRY_UNAVAILABLE (review) in time, never into a hung request.
        with deadline(self.deadline_s):
            facts, evidence = await self._gather(prepared, today)
        decision, reasons = decide(evaluate(facts, prepared.plan, self.ctx))
        category = prepared.category
        return Verification(
            verification_id=new_id(),
            listing_id=draft.listing_id,
            decision=decision,
            key_product=category is not None,
            category=None
            if category is None
            else CategoryRef(code=category.code, name=category.name, regime=category.regime),
            reasons=reasons,
            evidence=evidence,
            policy_version=self.policy.version,
            decided_at=now,
        )

    async def _gather(self, prepared: Prepared, today: date) -> tuple[Facts, list[Evidence]]:
        if prepared.category is None:
            return Facts(prepared.draft, None, today), []
        freshness = await self.lookup.freshness()
        consulted: set[str] = set()

        def loaded(kind: str) -> bool:
            # Never imported and empty: every lookup would say "not found" and block on
            # missing data, so the registry counts as unavailable instead.
            info = freshness.get(kind)
            return info is None or info.loaded or info.last_import_at is not None

        plan = prepared.plan
        credential_call: Any = None
        if plan is not None and plan.key is not None:
            consulted.add(plan.registry)
            if not loaded(plan.registry):
                credential_call = _not_loaded()
            elif plan.registry == "ccc":
                credential_call = self.lookup.ccc(plan.key)
            else:
                credential_call = self.lookup.license(plan.key)
        standards_call: Any = None
        if prepared.standard_keys:
            consulted.add("standard")
            standards_call = (
                self.lookup.standards(prepared.standard_keys)
                if loaded("standard")
                else _not_loaded()
            )
        # Sequential awaits: a cached answer returns without suspending, so the common
        # path costs no task or loop iteration; a miss costs one local round trip each.
        credential_raw = await credential_call if credential_call is not None else None
        standards_raw = await standards_call if standards_call is not None else None
        credential = _fetched(credential_raw)
        facts = Facts(
            prepared.draft,
            prepared.category,
            today,
            ccc=credential if plan is not None and plan.registry == "ccc" else None,
            license=credential if plan is not None and plan.registry == "license" else None,
            standards=_fetched(standards_raw),
        )
        record = credential_record(facts, plan)
        recalls_raw = spot_raw = None
        if prepared.model_key:
            cores = manufacturer_cores(prepared, record)
            consulted.update(("recall", "spot_check"))
            recalls_raw = await (
                self.lookup.recalls(model_key=prepared.model_key, manufacturer_cores=cores)
                if loaded("recall")
                else _not_loaded()
            )
            spot_raw = await (
                self.lookup.spot_checks(model_key=prepared.model_key, manufacturer_cores=cores)
                if loaded("spot_check")
                else _not_loaded()
            )
        stale = frozenset(
            kind
            for kind in consulted
            # An unreadable status is no age at all: the lookups themselves then say
            # whether the registry could be consulted.
            if (info := freshness.get(kind)) is not None and info.stale and info.error is None
        )
        facts = Facts(
            prepared.draft,
            prepared.category,
            today,
            ccc=facts.ccc,
            license=facts.license,
            recalls=_fetched(recalls_raw),
            spot_checks=_fetched(spot_raw),
            standards=facts.standards,
            stale=stale,
        )
        evidence = _consulted(
            plan,
            record=record,
            credential=credential_raw,
            standards=standards_raw,
            recalls=recalls_raw,
            spots=spot_raw,
        )
        return facts, evidence


def manufacturer_cores(prepared: Prepared, record: Any) -> list[str]:
    """Returns the company cores a recall or spot check may name: maker and credential parties."""
    cores = list(prepared.manufacturer_cores)
    if record is not None:
        for party in credential_parties(record):
            cores.extend(parse_company(party.name).index_cores)
    return [c for c in dict.fromkeys(cores) if c]


async def _not_loaded() -> Unavailable:
    return Unavailable(registry="", reason="registry not loaded")


def _fetched(raw: Any) -> Any:
    if raw is None:
        return None
    if isinstance(raw, Found):
        return Fetched("found", raw.value)
    if isinstance(raw, NotFound):
        return Fetched("not_found")
    if isinstance(raw, Unavailable):
        return Fetched("unavailable", detail=raw.reason)
    raise TypeError(f"unexpected registry answer {raw!r}")


def _evidence(registry: str, record_id: str, status: str, raw: Found[Any]) -> Evidence:
    # Fields come from validated registry records; construct without validating twice.
    return Evidence.model_construct(
        registry=registry,
        record_id=record_id,
        status=status,
        source=raw.source,
        retrieved_at=raw.retrieved_at,
    )


def _consulted(
    plan: CredentialPlan | None,
    *,
    record: Any,
    credential: Any,
    standards: Any,
    recalls: Any,
    spots: Any,
) -> list[Evidence]:
    # Every record the decision looked at, near misses included: re-verification uses this
    # to find the listings a registry change can affect.
    evidence = []
    if record is not None and plan is not None and isinstance(credential, Found):
        evidence.append(
            _evidence(plan.registry, credential_id(record), str(record.status), credential)
        )
    if isinstance(standards, Found):
        evidence.extend(
            _evidence("standard", r.number, r.status, standards) for r in standards.value.values()
        )
    if isinstance(recalls, Found):
        evidence.extend(_evidence("recall", r.recall_id, r.status, recalls) for r in recalls.value)
    if isinstance(spots, Found):
        evidence.extend(_evidence("spot_check", n.notice_id, n.result, spots) for n in spots.value)
    return evidence
