"""Response shapes the API documents (besides the contract types in ``domain``), and examples."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from listing_gate.domain import MAX_BATCH, ListingDraft, Verification

__all__ = [
    "DRAFT_EXAMPLE",
    "VERIFICATION_EXAMPLE",
    "ApiKeyInfo",
    "ApiKeys",
    "BatchRequestDoc",
    "BatchResults",
    "FieldError",
    "ListingHistory",
    "Problem",
    "Registries",
    "RegistryFreshness",
    "Status",
]


class FieldError(BaseModel):
    pointer: str = Field(description="JSON pointer into the request body")
    field: str = Field(description="dotted path of the field")
    detail: str
    code: str = Field(description="machine-readable error kind, e.g. `missing`")


class Problem(BaseModel):
    """RFC 9457 problem details; ``errors`` only on validation failures."""

    type: str = Field(
        description="the problem type: /problems/{slug}, a page (Chinese and English) this "
        "service serves, relative to the request URL",
        examples=["/problems/validation-failed"],
    )
    title: str
    status: int
    detail: str
    instance: str | None = Field(
        default=None, description="the request id (X-Request-ID): the key to its log lines"
    )
    errors: list[FieldError] | None = None


class BatchRequestDoc(BaseModel):
    listings: list[ListingDraft] = Field(min_length=1, max_length=MAX_BATCH)


class BatchResults(BaseModel):
    results: list[Verification | Problem] = Field(
        description="one per draft, in input order; a Problem where a draft failed validation"
    )


class ListingHistory(BaseModel):
    listing_id: str
    verifications: list[Verification] = Field(description="newest first")
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null on the last"
    )


class RegistryFreshness(BaseModel):
    registry: str
    source: str = Field(description="`mirror` (imported files) or `http` (remote registry)")
    records: int
    last_import_at: datetime | None = Field(description="last import or sync")
    age_s: float | None
    max_age_s: float
    loaded: bool
    stale: bool
    error: str | None


class Registries(BaseModel):
    registries: list[RegistryFreshness]


class Status(BaseModel):
    status: str
    checks: dict[str, Any] | None = None


class ApiKeyInfo(BaseModel):
    key_id: str
    name: str
    prefix: str = Field(description="the first characters of the key, to recognise it")
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None


class ApiKeys(BaseModel):
    keys: list[ApiKeyInfo]


DRAFT_EXAMPLE: dict[str, Any] = {
    "listing_id": "sku-88231",
    "seller": {
        "id": "shop-19",
        "shop_name": "华强数码旗舰店",
        "legal_name": "深圳市华强数码商贸有限公司",
        "credit_code": "91440300MA5XXXXXX1",
    },
    "product": {
        "name": "20000mAh 移动电源",
        "category": "0914",
        "brand": "华强",
        "model": "PB-2000",
        "manufacturer": {
            "name": "深圳市华强电子有限公司",
            "address": "广东省深圳市南山区深南大道9988号",
        },
        "standards": ["GB 4943.1-2022", "GB 31241-2022"],
        "warnings": "请勿拆解、挤压或投入火中",
    },
    "credentials": {
        "ccc_certificate_no": "2024011609123456",
        "ccc_self_declaration_no": None,
        "production_license_no": None,
        "test_report": None,
    },
}

VERIFICATION_EXAMPLE: dict[str, Any] = {
    "verification_id": "01JDQ3ZK1M4V8X2T6R9B5N7C0A",
    "listing_id": "sku-88231",
    "decision": "block",
    "key_product": True,
    "category": {"code": "0914", "name": "移动电源", "regime": "ccc"},
    "reasons": [
        {
            "code": "MODEL_NOT_COVERED",
            "severity": "block",
            "field": "product.model",
            "listing_value": "PB-2001",
            "registry_value": "PB-2000; PB-2000S",
            "score": None,
            "citation": "draft art. 7(2), 9(2)",
            "message": "型号 PB-2001 不在证书 2024011609123456 覆盖的型号内",
        }
    ],
    "evidence": [
        {
            "registry": "ccc",
            "record_id": "2024011609123456",
            "status": "valid",
            "source": "mirror",
            "retrieved_at": "2026-12-01T08:00:00Z",
        }
    ],
    "policy_version": "2026.12-2",
    "decided_at": "2026-12-01T08:00:00.123Z",
}
