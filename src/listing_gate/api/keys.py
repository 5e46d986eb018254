"""``/v1/keys``: the API keys that exist (never the keys themselves). Admin only."""

from __future__ import annotations

from fastapi import APIRouter

from listing_gate.api.deps import Admin, Res
from listing_gate.api.openapi import problems
from listing_gate.api.schemas import ApiKeyInfo, ApiKeys
from listing_gate.service.auth import list_keys

__all__ = ["router"]

router = APIRouter(prefix="/v1/keys", tags=["keys"])


@router.get("", summary="API keys, without secrets", responses=problems(401, 403, 503))
async def read_keys(resources: Res, _admin: Admin) -> ApiKeys:
    """Returns every key's id, name, prefix, scopes and dates."""
    rows = await list_keys(resources.engine)
    return ApiKeys(
        keys=[
            ApiKeyInfo(
                key_id=r.key_id,
                name=r.name,
                prefix=r.prefix,
                scopes=r.scopes.split(","),
                created_at=r.created_at,
                revoked_at=r.revoked_at,
            )
            for r in rows
        ]
    )
