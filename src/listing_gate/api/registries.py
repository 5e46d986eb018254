"""``/v1/registries``: per registry, source, records, last import or sync, staleness."""

from __future__ import annotations

from fastapi import APIRouter

from listing_gate.api.deps import Reader, Res
from listing_gate.api.openapi import problems
from listing_gate.api.schemas import Registries, RegistryFreshness
from listing_gate.service.readiness import freshness_json

__all__ = ["router"]

router = APIRouter(prefix="/v1/registries", tags=["registries"])


@router.get("", summary="Registry freshness", responses=problems(401, 403))
async def read_registries(resources: Res, _reader: Reader) -> Registries:
    """Returns one entry per registry kind."""
    freshness = await resources.lookup.freshness()
    return Registries(
        registries=[RegistryFreshness(**freshness_json(info)) for info in freshness.values()]
    )
