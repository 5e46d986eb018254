"""The listing term index: each listing's latest draft under the keys its lookups use.

A draft is looked up by its credential key, its model key, its manufacturer's core name
and its standards' keys; the same keys index it here. A registry record that changes
(or appears: a new recall, a certificate that was not found before) then finds its
listings by those keys, without reading every draft. The index catches up from the
decision log incrementally, from a watermark on the time-ordered verification ids.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories import terms as repo
from listing_gate.domain import ListingDraft
from listing_gate.ids import utcnow
from listing_gate.rules import RuleContext, prepare
from listing_gate.rules.catalog import load_catalog
from listing_gate.rules.policy import load_policy

__all__ = ["TermIndex", "draft_terms"]

# Decisions committed out of id order (several writers, a little clock skew) still get
# indexed: each catch-up re-reads this much before the watermark. A decision commits
# within seconds of its id being drawn (the write timeout is 5 s), so two minutes is
# ample, and re-indexing what was already indexed is harmless.
_OVERLAP = timedelta(minutes=2)
_PAGE = 2000
# Crockford base32, the alphabet of listing_gate.ids: decodes the time in a ULID.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def draft_terms(draft: ListingDraft, ctx: RuleContext, today: date) -> set[str]:
    """Returns the terms a draft is indexed under: ``ccc:``, ``license:``, ``model:``, ..."""
    prepared = prepare(draft, ctx, today)
    terms: set[str] = set()
    plan = prepared.plan
    if plan is not None and plan.key:
        terms.add(f"{plan.registry}:{plan.key}")
    if prepared.model_key:
        terms.add(f"model:{prepared.model_key}")
    terms.update(f"maker:{core}" for core in prepared.manufacturer_cores)
    terms.update(f"standard:{key}" for key in prepared.standard_keys)
    return terms


def _ulid_ms(ulid: str) -> int:
    value = 0
    for char in ulid[:10]:  # the first 10 characters are the 48-bit millisecond time
        value = value * 32 + ALPHABET.index(char)
    return value


def _ulid_floor(ms: int) -> str:
    chars = []
    for _ in range(10):
        ms, digit = divmod(ms, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars)) + "0" * 16


class TermIndex:
    """Keeps ``listing_terms`` in step with the decision log."""

    def __init__(
        self, engine: AsyncEngine, *, clock: Callable[[], datetime] = utcnow, page: int = _PAGE
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._page = page
        self._ctx = RuleContext.build(load_catalog(), load_policy())

    async def catch_up(self) -> int:
        """Returns how many decisions were (re-)indexed to bring the index up to date."""
        async with unit.read(self._engine) as conn:
            mark = await repo.watermark(conn)
        after = None
        if mark is not None:
            after = _ulid_floor(max(_ulid_ms(mark) - int(_OVERLAP.total_seconds() * 1000), 0))
        today = self._ctx.policy.day_of(self._clock())
        seen = 0
        while True:
            async with unit.read(self._engine) as conn:
                page = await repo.decision_page(conn, after=after, limit=self._page)
            if not page:
                return seen
            terms: dict[str, set[str]] = {}
            for decided in page:
                # Pages run in id order, so a listing's latest decision is indexed last.
                terms[decided.listing_id] = self._terms(decided.draft_json, today)
            after = page[-1].verification_id
            async with unit.write(self._engine) as conn:
                await repo.replace_terms(conn, terms)
                if mark is None or after > mark:
                    mark = after
                    await repo.set_watermark(conn, mark, self._clock())
            seen += len(page)

    def _terms(self, draft_json: str, today: date) -> set[str]:
        try:
            draft = ListingDraft.model_validate_json(draft_json)
        except ValidationError:
            return set()  # a stored draft the current schema rejects: found by full runs only
        return draft_terms(draft, self._ctx, today)
