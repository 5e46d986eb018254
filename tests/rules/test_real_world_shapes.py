"""Listings as sellers really write them (DOMAIN.md "Real-world shapes"), decided end to end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from listing_gate.domain import (
    CccRecord,
    LicenseRecord,
    ListingDraft,
    RecallRecord,
    SpotCheckRecord,
    StandardRecord,
    Verification,
)
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.memory import MemoryRegistry
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

pytestmark = pytest.mark.anyio
TODAY = datetime(2026, 12, 15, 8, tzinfo=UTC)

MAKER = {"name": "深圳市朗拓电子有限公司", "address": "广东省深圳市宝安区西乡街道宝源路88号"}
CERT: dict[str, Any] = {
    "certificate_no": "2024010914123456",
    "kind": "certificate",
    "status": "valid",
    "product_code": "0914",
    "product_name": "移动电源",
    "models": ["LT-2000", "LT-2000S", "LT-30XX"],
    "standards": ["GB 4943.1-2022", "GB 31241-2022"],
    "holder": {"name": "杭州市朗拓品牌管理有限公司", "address": "浙江省杭州市西湖区文三路100号"},
    "manufacturer": MAKER,
    "factory": {"name": "东莞市朗拓电子制造有限公司", "address": "广东省东莞市长安镇振安路12号"},
    "issued_on": "2024-03-01",
    "expires_on": "2029-02-28",
}
DECLARATION: dict[str, Any] = {
    **CERT,
    "certificate_no": "SD-ZJ-2025-00881",
    "kind": "self_declaration",
    "product_code": "0501",
    "product_name": "电钻",
    "models": ["LT-Z10"],
    "standards": [],
}
STANDARDS = [
    StandardRecord(number="GB 4943.1-2022", status="current"),
    StandardRecord(number="GB 31241-2022", status="current"),
    StandardRecord(number="GB 21027-2020", status="current"),
    StandardRecord(number="GB 21027-2007", status="superseded", replaced_by="GB 21027-2020"),
]
CREDENTIAL_FIELDS = (
    "ccc_certificate_no",
    "ccc_self_declaration_no",
    "production_license_no",
    "test_report",
)


def draft(**changes: Any) -> ListingDraft:
    """A power-bank listing that matches CERT in every field, with ``changes`` applied.

    ``manufacturer`` given as a dict replaces the manufacturer; ``maker_name``,
    ``maker_address`` and ``maker_credit_code`` change one of its fields.
    """
    product: dict[str, Any] = {
        "name": "朗拓 20000mAh 移动电源",
        "category": "0914",
        "model": "LT-2000",
        "manufacturer": dict(MAKER),
        "standards": ["GB 4943.1-2022", "GB 31241-2022"],
        "warnings": "请勿拆解、挤压或投入火中",
    }
    credentials: dict[str, Any] = {"ccc_certificate_no": CERT["certificate_no"]}
    for key, value in changes.items():
        if key in CREDENTIAL_FIELDS:
            credentials[key] = value
        elif key.startswith("maker_"):
            product["manufacturer"][key.removeprefix("maker_")] = value
        else:
            product[key] = value
    return ListingDraft.model_validate(
        {
            "listing_id": "sku-1",
            "seller": {"id": "shop-1"},
            "product": product,
            "credentials": credentials,
        }
    )


def registry(
    *ccc: dict[str, Any],
    licenses: Sequence[dict[str, Any]] = (),
    recalls: Sequence[dict[str, Any]] = (),
    spots: Sequence[dict[str, Any]] = (),
) -> MemoryRegistry:
    """A memory registry holding the given records and a few standards."""
    backend = MemoryRegistry(lambda: TODAY)
    backend.add("ccc", [CccRecord.model_validate(c) for c in ccc])
    backend.add("license", [LicenseRecord.model_validate(lic) for lic in licenses])
    backend.add("recall", [RecallRecord.model_validate(r) for r in recalls])
    backend.add("spot_check", [SpotCheckRecord.model_validate(s) for s in spots])
    backend.add("standard", STANDARDS)
    return backend


async def decide(listing: ListingDraft, backend: MemoryRegistry | None = None) -> Verification:
    """The verifier's answer on TODAY over ``backend`` (CERT and DECLARATION by default)."""
    backend = backend or registry(CERT, DECLARATION)
    lookup = RegistryLookup(backend, settings=Settings(), clock=lambda: TODAY)
    return await Verifier.from_lookup(lookup, clock=lambda: TODAY).verify(listing)


def codes(v: Verification) -> list[str]:
    """The reason codes of a verification, in order."""
    return [r.code for r in v.reasons]


# --- placeholders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"maker_address": "详见包装"}, "product.manufacturer.address"),
        ({"maker_name": "见详情"}, "product.manufacturer.name"),
        ({"maker_name": "null"}, "product.manufacturer.name"),
        ({"model": "以实物为准"}, "product.model"),
        ({"model": "-"}, "product.model"),
        ({"standards": ["无"]}, "product.standards"),
        ({"standards": ["/"]}, "product.standards"),
        ({"warnings": "暂无"}, "product.warnings"),
        ({"warnings": "N/A"}, "product.warnings"),
        ({"warnings": "—"}, "product.warnings"),
        ({"warnings": "警示说明：见图"}, "product.warnings"),
    ],
)
async def test_a_placeholder_in_a_required_field_is_a_missing_disclosure(
    changes: dict[str, Any], field: str
) -> None:
    """A placeholder never satisfies a duty: DISCLOSURE_MISSING names the field and quotes it."""
    v = await decide(draft(**changes))
    assert v.decision == "block"
    missing = [r for r in v.reasons if r.code == "DISCLOSURE_MISSING"]
    assert [r.field for r in missing] == [field]
    assert missing[0].listing_value is not None
    assert missing[0].listing_value in missing[0].message
    assert "MODEL_NOT_COVERED" not in codes(v)
    assert "MANUFACTURER_MISMATCH" not in codes(v)


async def test_real_text_that_starts_like_a_placeholder_is_a_disclosure() -> None:
    """Warnings beginning with 无 and a stray "/" beside real standards fill their duties."""
    v = await decide(
        draft(
            warnings="无人看管时请勿充电；请勿挤压",
            standards=["GB 4943.1-2022", "GB 31241-2022", "/"],
        )
    )
    assert (v.decision, codes(v)) == ("allow", [])


@pytest.mark.parametrize("number", ["无", "暂无", "/", "N/A"])
async def test_a_placeholder_credential_number_is_a_missing_credential(number: str) -> None:
    """ "无" in the certificate field shows no certificate: missing, not an invalid number."""
    v = await decide(draft(ccc_certificate_no=number))
    assert codes(v) == ["CREDENTIAL_MISSING"]


# --- pasted labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "证书编号：2024010914123456",
        "CCC：2024010914123456",
        "No.2024010914123456",
        "认证编号: 2024010914123456",
        "3C证书编号 2024 0109 1412 3456",
    ],
)
async def test_a_pasted_label_before_a_certificate_number_is_stripped(written: str) -> None:
    """The label goes, then the number is validated and looked up exactly."""
    v = await decide(draft(ccc_certificate_no=written))
    assert (v.decision, codes(v)) == ("allow", [])


@pytest.mark.parametrize(
    "written",
    [
        "自我声明编号：SD-ZJ-2025-00881",
        "自我声明编号:SD-ZJ-2025-00881",
        "声明编号 SD-ZJ-2025-00881",
        "CCC自我声明编号SD-ZJ-2025-00881",
        "No.SD-ZJ-2025-00881",
    ],
)
async def test_a_pasted_label_before_a_self_declaration_number_is_stripped(written: str) -> None:
    """A self-declaration is compared exactly after NFKC, trimming and the label."""
    listing = draft(
        category="0501",
        model="LT-Z10",
        standards=["GB/T 3883.1-2014"],
        ccc_certificate_no=None,
        ccc_self_declaration_no=written,
    )
    v = await decide(listing)
    assert (v.decision, codes(v)) == ("allow", [])


async def test_a_labelled_self_declaration_number_one_character_off_is_not_found() -> None:
    """Stripping the label never loosens the exact comparison of what follows it."""
    listing = draft(
        category="0501",
        model="LT-Z10",
        standards=["GB/T 3883.1-2014"],
        ccc_certificate_no=None,
        ccc_self_declaration_no="自我声明编号：SD-ZJ-2025-00882",
    )
    assert codes(await decide(listing)) == ["CREDENTIAL_NOT_FOUND"]


async def test_a_labelled_credit_code_still_decides_the_party() -> None:
    """ "统一社会信用代码：…" is the code; with the party's code it decides a renamed maker."""
    coded = {**CERT, "manufacturer": {**MAKER, "credit_code": "91440300MA5FXKJ4X5"}}
    listing = draft(
        maker_name="深圳市朗拓智能科技有限公司",
        maker_credit_code="统一社会信用代码：91440300MA5FXKJ4X5",
    )
    v = await decide(listing, registry(coded))
    assert (v.decision, codes(v)) == ("allow", [])
