"""One verification: prepare (pure), consult the registries, decide (pure).

The registry calls are the only thing done here; what to ask and what the answers mean
is the rules package's. The result is not recorded here: the caller records it before
answering.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from functools import partial
from typing import TypeVar

from listing_gate.domain import (
    CategoryRef,
    ListingDraft,
    RegistryKind,
    Unavailable,
    Verification,
)
from listing_gate.ids import new_id, utcnow
from listing_gate.registries.lookup import Freshness, RegistryLookup, deadline
from listing_gate.rules import (
    Facts,
    Prepared,
    RuleContext,
    consulted_evidence,
    decide,
    evaluate,
    follow_up,
    prepare,
)
from listing_gate.rules.catalog import Catalog, load_catalog
from listing_gate.rules.policy import Policy, load_policy

__all__ = ["Verifier"]

A = TypeVar("A")


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
        prepared = prepare(draft, self.ctx, self.policy.day_of(now))
        # Every lookup of this verification shares one deadline: a hung registry turns
        # into REGISTRY_UNAVAILABLE (review) in time, never into a hung request.
        with deadline(self.deadline_s):
            facts = await self._consult(prepared)
        decision, reasons = decide(evaluate(facts, self.ctx))
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
            evidence=consulted_evidence(facts),
            policy_version=self.policy.version,
            decided_at=now,
        )

    async def _consult(self, prepared: Prepared) -> Facts:
        """Returns the prepared draft with what each registry it needs answered."""
        if prepared.category is None:
            return Facts(prepared)  # outside the catalog nothing is looked up
        lookup, plan = self.lookup, prepared.plan
        registries = _Registries(await lookup.freshness())
        # Sequential awaits: a cached answer returns without suspending, so the common
        # path costs no task or loop iteration; a miss costs one local round trip each.
        credential = standards = recalls = spot_checks = None
        if plan is not None and plan.key is not None:
            fetch = lookup.ccc if plan.registry == "ccc" else lookup.license
            credential = await registries.ask(plan.registry, partial(fetch, plan.key))
        if prepared.standard_keys:
            fetch_standards = partial(lookup.standards, prepared.standard_keys)
            standards = await registries.ask("standard", fetch_standards)
        followed = follow_up(prepared, credential)
        if (notices := followed.notices) is not None:
            model, cores = notices.model_key, notices.manufacturer_cores
            recalls = await registries.ask(
                "recall", partial(lookup.recalls, model_key=model, manufacturer_cores=cores)
            )
            spot_checks = await registries.ask(
                "spot_check", partial(lookup.spot_checks, model_key=model, manufacturer_cores=cores)
            )
        return Facts(
            prepared,
            credential=credential,
            parties=followed.parties,
            standards=standards,
            recalls=recalls,
            spot_checks=spot_checks,
            stale=registries.stale(),
        )


class _Registries:
    """The registries as one verification finds them: which it asked, which are usable."""

    def __init__(self, freshness: Mapping[str, Freshness]) -> None:
        self._freshness = freshness
        self._asked: set[RegistryKind] = set()

    def ask(
        self, kind: RegistryKind, call: Callable[[], Awaitable[A]]
    ) -> Awaitable[A | Unavailable]:
        """Returns ``call``'s answer to await; a registry never imported is not asked at all."""
        self._asked.add(kind)
        info = self._freshness.get(kind)
        # Never imported and empty: every lookup would say "not found" and block on
        # missing data, so the registry counts as unavailable instead.
        if info is not None and not info.loaded and info.last_import_at is None:
            return _not_loaded(kind)
        return call()

    def stale(self) -> frozenset[str]:
        """Returns the asked registries whose mirror is older than allowed."""
        return frozenset(
            kind
            for kind in self._asked
            # An unreadable status is no age at all: the lookups themselves then say
            # whether the registry could be consulted.
            if (info := self._freshness.get(kind)) is not None and info.stale and info.error is None
        )


async def _not_loaded(kind: RegistryKind) -> Unavailable:
    return Unavailable(kind, "not loaded")
