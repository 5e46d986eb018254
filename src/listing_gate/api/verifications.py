"""``/v1/verifications``: verify and record one draft or a batch; read a decision back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from listing_gate.api.deps import CallerOf, Reader, Res, idempotency_key, resources_of
from listing_gate.api.openapi import IDEMPOTENCY_KEY, json_body, problems
from listing_gate.api.schemas import (
    DRAFT_EXAMPLE,
    VERIFICATION_EXAMPLE,
    BatchRequestDoc,
    BatchResults,
)
from listing_gate.domain import ListingDraft, NoControls, Verification
from listing_gate.service.decisions import Answer
from listing_gate.service.history import get_verification

__all__ = ["BATCH_PATH", "router"]

router = APIRouter(prefix="/v1/verifications", tags=["verifications"])
BATCH_PATH = f"{router.prefix}/batch"  # its body cap is its own (settings)


def _json(answer: Answer) -> Response:
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return Response(answer.body, media_type="application/json", headers=headers)


@router.post(
    "",
    summary="Verify one listing draft",
    description="Decides the draft, records the decision, then answers it. "
    "A block is a 200 with `decision: block`.",
    response_model=Verification,
    responses={
        200: {"content": {"application/json": {"example": VERIFICATION_EXAMPLE}}},
        **problems(401, 403, 409, 413, 422, 503),
    },
    openapi_extra=json_body(ListingDraft, DRAFT_EXAMPLE, "A listing draft") | IDEMPOTENCY_KEY,
)
async def create_verification(request: Request, caller: CallerOf) -> Response:
    """Returns the recorded Verification of the draft in the body."""
    # Body and Idempotency-Key are read here rather than declared: the body is hashed
    # and validated once, and every declared parameter costs on the hot path.
    key = idempotency_key(request)
    body = await request.body()
    return _json(await resources_of(request).decisions.verify_one(body, caller, key))


@router.post(
    "/batch",
    summary="Verify up to 1,000 listing drafts",
    description="Results come in input order; a draft that fails validation gets a problem "
    "object in its place without failing the others. All decisions are recorded before the answer.",
    response_model=BatchResults,
    responses=problems(401, 403, 409, 413, 422, 503),
    openapi_extra=json_body(
        BatchRequestDoc, {"listings": [DRAFT_EXAMPLE]}, '`{"listings": [ListingDraft, ...]}`'
    )
    | IDEMPOTENCY_KEY,
)
async def create_verifications(request: Request, caller: CallerOf) -> Response:
    """Returns ``{"results": [...]}``, one recorded Verification or problem per draft."""
    key = idempotency_key(request)
    body = await request.body()
    return _json(await resources_of(request).decisions.verify_batch(body, caller, key))


@router.get(
    "/{verification_id}",
    summary="A recorded decision, exactly as it was answered",
    response_model=Verification,
    responses=problems(401, 403, 404, 422, 503),
)
async def read_verification(
    resources: Res,
    _reader: Reader,
    verification_id: Annotated[str, Path(max_length=64), NoControls],
) -> Response:
    """Returns the stored Verification JSON byte for byte."""
    body = await get_verification(resources.engine, verification_id)
    return Response(body, media_type="application/json")
