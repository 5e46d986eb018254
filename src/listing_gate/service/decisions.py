"""The decision path every caller shares (API, batch, CLI): validate, verify, record, answer.

A verification becomes an answer only after its record is committed; the bytes recorded
are the bytes answered, so a later GET returns exactly what the caller saw.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson
from prometheus_client import Counter
from pydantic import BaseModel, Field, ValidationError

from listing_gate.db.idempotency import Answer, Idempotency, Ticket
from listing_gate.db.recorder import Recorder
from listing_gate.db.repositories.decisions import CitedRecord, DecisionRow
from listing_gate.domain import MAX_BATCH, ListingDraft, Verification
from listing_gate.errors import InvalidRequestError, validation_errors
from listing_gate.observability.metrics import DECISIONS, REASONS
from listing_gate.service.auth import Principal

__all__ = [
    "Answer",
    "Caller",
    "DecisionService",
    "VerifierLike",
    "build_decision_row",
    "parse_draft",
]


class VerifierLike(Protocol):
    """What the service needs of the verification core."""

    async def verify(self, draft: ListingDraft) -> Verification:
        """Returns the decision for one draft; never raises for bad data."""
        ...


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asked, and under which request id: recorded with each decision."""

    principal: Principal
    request_id: str | None = None


_ONE = "POST /v1/verifications"
_BATCH = "POST /v1/verifications/batch"


class BatchRequest(BaseModel):
    """``POST /v1/verifications/batch`` body; items are validated one by one.

    ``api.schemas.BatchRequestDoc`` documents the same body with typed items: this one
    keeps them raw so a bad item becomes a problem in its slot, not a 422 for the batch.
    """

    listings: list[Any] = Field(min_length=1, max_length=MAX_BATCH)


def parse_draft(data: bytes | Any) -> ListingDraft | InvalidRequestError:
    """Returns the validated draft, or the 422 problem describing why it is not one."""
    try:
        if isinstance(data, bytes):
            return ListingDraft.model_validate_json(data)
        return ListingDraft.model_validate(data)
    except ValidationError as exc:
        return InvalidRequestError("the listing draft is invalid", validation_errors(exc))


class DecisionService:
    """Verifies drafts and records every decision before it is answered."""

    def __init__(
        self,
        verifier: VerifierLike,
        recorder: Recorder,
        idempotency: Idempotency,
        *,
        concurrency: int,
    ) -> None:
        self.verifier = verifier
        self._recorder = recorder
        self._idempotency = idempotency
        self._limit = asyncio.Semaphore(concurrency)

    async def verify_one(self, body: bytes, caller: Caller, key: str | None) -> Answer:
        """Returns the recorded Verification for a draft body; raises 422/409/503 errors."""

        async def produce(ticket: Ticket | None) -> bytes:
            draft = parse_draft(body)
            if isinstance(draft, InvalidRequestError):
                raise draft
            return (await self.decide([draft], caller, origin="api", ticket=ticket))[0]

        return await self._idempotency.once(
            caller.principal.key_id, key, route=_ONE, body=body, produce=produce
        )

    async def verify_batch(self, body: bytes, caller: Caller, key: str | None) -> Answer:
        """Returns ``{"results": [...]}`` in input order, problems in place of bad items."""
        try:
            batch = BatchRequest.model_validate_json(body)
        except ValidationError as exc:
            raise InvalidRequestError("the batch is invalid", validation_errors(exc)) from None
        items = [parse_draft(item) for item in batch.listings]

        async def produce(ticket: Ticket | None) -> bytes:
            out = await self.decide(items, caller, origin="batch", ticket=ticket, wrap=True)
            return _results(out)

        return await self._idempotency.once(
            caller.principal.key_id, key, route=_BATCH, body=body, produce=produce
        )

    async def decide(
        self,
        items: Sequence[ListingDraft | InvalidRequestError],
        caller: Caller,
        *,
        origin: str,
        ticket: Ticket | None = None,
        wrap: bool = False,
    ) -> list[bytes]:
        """Returns one JSON document per item, in order: a recorded Verification or a problem.

        Every verification of the call is committed in one write before any is returned;
        with a ticket, the answer (the items ``wrap``-ped as a batch, else the first) is
        remembered for its Idempotency-Key in that same write.
        """
        drafts = [item for item in items if isinstance(item, ListingDraft)]
        verifications = await asyncio.gather(*(self._verify(d) for d in drafts))
        now = datetime.now(UTC)
        built = [
            build_decision_row(d, v, caller, origin, now)
            for d, v in zip(drafts, verifications, strict=True)
        ]
        answers = iter([answer for _, answer in built])
        out = [
            next(answers) if isinstance(item, ListingDraft) else orjson.dumps(item.body())
            for item in items
        ]
        remembered = None
        if ticket is not None:
            remembered = ticket.remember(_results(out) if wrap else out[0], now)
        await self._recorder.record([row for row, _ in built], remembered)
        for v in verifications:
            _decision_counter(v.decision.value).inc()
            for reason in v.reasons:
                _reason_counter(reason.code).inc()
        return out

    async def _verify(self, draft: ListingDraft) -> Verification:
        async with self._limit:
            return await self.verifier.verify(draft)


# labels() takes a lock and checks its arguments on every call (about 2 us here); each
# decision counts itself and every reason, so a label value's child is looked up once.
# Both sets are small and fixed: three decisions, the reason codes of the catalogue.
@functools.cache
def _decision_counter(decision: str) -> Counter:
    return DECISIONS.labels(decision=decision)


@functools.cache
def _reason_counter(code: str) -> Counter:
    return REASONS.labels(code=code)


def _results(parts: list[bytes]) -> bytes:
    return b'{"results":[' + b",".join(parts) + b"]}"


def build_decision_row(
    draft: ListingDraft, verification: Verification, caller: Caller, origin: str, now: datetime
) -> tuple[DecisionRow, bytes]:
    """Returns the decision row and the answer bytes; every path records decisions this way."""
    # Serialised once: the same bytes are stored and answered.
    doc = verification.model_dump(mode="json")
    answer = orjson.dumps(doc)
    seller = draft.seller
    category = verification.category
    # (registry, record_id) is the key; a record cited twice keeps its first status.
    cited: dict[tuple[str, str], CitedRecord] = {}
    for e in verification.evidence:
        if (e.registry, e.record_id) not in cited:
            cited[e.registry, e.record_id] = CitedRecord(e.registry, e.record_id, e.status)
    row = DecisionRow(
        verification_id=verification.verification_id,
        listing_id=verification.listing_id,
        seller_id=seller.id,
        seller_shop_name=seller.shop_name,
        seller_legal_name=seller.legal_name,
        seller_credit_code=seller.credit_code,
        decision=verification.decision.value,
        key_product=verification.key_product,
        category_code=category.code if category is not None else None,
        reason_codes_json=orjson.dumps([r["code"] for r in doc["reasons"]]).decode(),
        reasons_json=orjson.dumps(doc["reasons"]).decode(),
        evidence_json=orjson.dumps(doc["evidence"]).decode(),
        draft_json=draft.model_dump_json(exclude_none=False),
        verification_json=answer.decode(),
        policy_version=verification.policy_version,
        decided_at=verification.decided_at,
        recorded_at=now,
        origin=origin,
        api_key_id=caller.principal.key_id[:32],
        request_id=caller.request_id[:64] if caller.request_id else None,
        evidence=tuple(cited.values()),
    )
    return row, answer
