"""The verifier end to end over invented registry records: one behaviour per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
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


def draft(**changes: Any) -> ListingDraft:
    """A power-bank listing that matches CERT in every field, with ``changes`` applied."""
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
        if key in credentials or key in (
            "ccc_self_declaration_no",
            "production_license_no",
            "test_report",
        ):
            credentials[key] = value
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


def verifier(backend: Any, **settings: Any) -> Verifier:
    """A verifier deciding on TODAY over ``backend``."""
    lookup = RegistryLookup(backend, settings=Settings(**settings), clock=lambda: TODAY)
    return Verifier.from_lookup(lookup, clock=lambda: TODAY)


def registry(
    *ccc: dict[str, Any],
    recalls: Sequence[dict[str, Any]] = (),
    spots: Sequence[dict[str, Any]] = (),
) -> MemoryRegistry:
    """A memory registry holding the given records plus the standards the listing cites."""
    backend = MemoryRegistry(lambda: TODAY)
    backend.add("ccc", [CccRecord.model_validate(c) for c in ccc])
    backend.add("license", [])
    backend.add("recall", [RecallRecord.model_validate(r) for r in recalls])
    backend.add("spot_check", [SpotCheckRecord.model_validate(s) for s in spots])
    backend.add(
        "standard",
        [
            StandardRecord(number="GB 4943.1-2022", status="current"),
            StandardRecord(number="GB 31241-2022", status="current"),
            StandardRecord(
                number="GB 4943.1-2011", status="superseded", replaced_by="GB 4943.1-2022"
            ),
        ],
    )
    return backend


def codes(v: Verification) -> list[str]:
    """The reason codes of a verification, in order."""
    return [r.code for r in v.reasons]


async def test_a_listing_matching_a_valid_certificate_is_allowed() -> None:
    """Every field agrees with a valid certificate: allow, with the certificate as evidence."""
    v = await verifier(registry(CERT)).verify(draft())
    assert (v.decision, codes(v)) == ("allow", [])
    assert v.category is not None
    assert v.category.regime == "ccc"
    assert [e.record_id for e in v.evidence if e.registry == "ccc"] == [CERT["certificate_no"]]


async def test_model_one_digit_off_is_not_covered() -> None:
    """LT-2001 is another product than LT-2000: edit distance never decides a model."""
    v = await verifier(registry(CERT)).verify(draft(model="LT-2001"))
    assert v.decision == "block"
    assert codes(v) == ["MODEL_NOT_COVERED"]


async def test_series_pattern_covers_its_members_only() -> None:
    """LT-30XX covers LT-3012, not LT-3112."""
    assert (await verifier(registry(CERT)).verify(draft(model="LT-3012"))).decision == "allow"
    assert "MODEL_NOT_COVERED" in codes(
        await verifier(registry(CERT)).verify(draft(model="LT-3112"))
    )


async def test_a_certificate_past_its_expiry_date_is_expired_whatever_its_status() -> None:
    """expires_on is the last valid day; a record still marked valid after it is expired."""
    old = {**CERT, "expires_on": "2026-12-14"}
    v = await verifier(registry(old)).verify(draft())
    assert codes(v) == ["CREDENTIAL_EXPIRED"]


async def test_the_last_valid_day_is_still_valid() -> None:
    """On the expiry date itself the certificate is valid."""
    v = await verifier(registry({**CERT, "expires_on": "2026-12-15"})).verify(draft())
    assert v.decision == "allow"


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("suspended", "CREDENTIAL_SUSPENDED"),
        ("revoked", "CREDENTIAL_REVOKED"),
        ("cancelled", "CREDENTIAL_CANCELLED"),
    ],
)
async def test_registry_status_blocks(status: str, code: str) -> None:
    """A certificate the registry marks suspended, revoked or cancelled blocks."""
    v = await verifier(registry({**CERT, "status": status})).verify(draft())
    assert v.decision == "block"
    assert code in codes(v)


async def test_an_unknown_well_formed_number_is_not_found() -> None:
    """A number of the right shape that the registry lacks blocks as not found."""
    v = await verifier(registry(CERT)).verify(draft(ccc_certificate_no="2024010914123457"))
    assert codes(v) == ["CREDENTIAL_NOT_FOUND"]


@pytest.mark.parametrize(
    "number", ["202401091412345", "1890010914123456", "2031010914123456", "2024010000123456"]
)
async def test_a_number_that_cannot_exist_is_invalid(number: str) -> None:
    """15 digits, an impossible year, a product code no catalog ever had: invalid, not looked up."""
    v = await verifier(registry(CERT)).verify(draft(ccc_certificate_no=number))
    assert codes(v) == ["CREDENTIAL_NUMBER_INVALID"]
    assert [e for e in v.evidence if e.registry == "ccc"] == []


async def test_the_factory_or_holder_may_be_named_as_manufacturer() -> None:
    """OEM production: the certificate's holder or factory is a legitimate name on the label."""
    factory = CERT["factory"]
    v = await verifier(registry(CERT)).verify(draft(manufacturer=dict(factory)))
    assert v.decision == "allow"


async def test_an_unrelated_company_is_a_manufacturer_mismatch() -> None:
    """Someone else's certificate (冒用) blocks."""
    v = await verifier(registry(CERT)).verify(
        draft(
            manufacturer={
                "name": "宁波市华祥电器有限公司",
                "address": "浙江省宁波市鄞州区天童南路1号",
            }
        )
    )
    assert v.decision == "block"
    assert "MANUFACTURER_MISMATCH" in codes(v)


async def test_a_power_bank_certificate_does_not_cover_a_battery_listing() -> None:
    """A certificate for 0914 on a 0915 listing is for another product type."""
    v = await verifier(registry(CERT)).verify(draft(category="0915", standards=["GB 31241-2022"]))
    assert "CREDENTIAL_CATEGORY_MISMATCH" in codes(v)


async def test_an_active_recall_of_this_maker_and_model_blocks() -> None:
    """A recall naming the manufacturer and covering the model blocks the listing."""
    recall = {
        "recall_id": "R-1",
        "status": "active",
        "manufacturer": {"name": MAKER["name"]},
        "models": ["LT-2000"],
    }
    v = await verifier(registry(CERT, recalls=[recall])).verify(draft())
    assert codes(v) == ["RECALLED"]
    assert any(e.record_id == "R-1" for e in v.evidence)


async def test_a_closed_recall_or_another_makers_recall_does_not_block() -> None:
    """Closed recalls and recalls of the same model by another company are not this listing's."""
    closed = {
        "recall_id": "R-1",
        "status": "closed",
        "manufacturer": {"name": MAKER["name"]},
        "models": ["LT-2000"],
    }
    other = {
        "recall_id": "R-2",
        "status": "active",
        "manufacturer": {"name": "广州市华祥电子有限公司"},
        "models": ["LT-2000"],
    }
    v = await verifier(registry(CERT, recalls=[closed, other])).verify(draft())
    assert v.decision == "allow"


async def test_a_failed_spot_check_sends_the_listing_to_review() -> None:
    """A batch failing a spot check is evidence for review, not proof against every unit."""
    spot = {
        "notice_id": "N-1",
        "manufacturer": {"name": MAKER["name"]},
        "models": ["lt-2000"],
        "result": "fail",
        "failed_items": ["过充电保护"],
    }
    v = await verifier(registry(CERT, spots=[spot])).verify(draft())
    assert (v.decision, codes(v)) == ("review", ["SPOT_CHECK_FAILED"])


async def test_a_superseded_mandatory_standard_goes_to_review() -> None:
    """GB 4943.1-2011 was replaced by GB 4943.1-2022."""
    v = await verifier(registry(CERT)).verify(draft(standards=["GB 4943.1-2011", "GB 31241-2022"]))
    assert (v.decision, codes(v)) == ("review", ["STANDARD_SUPERSEDED"])


async def test_standards_that_fit_neither_certificate_nor_category_go_to_review() -> None:
    """Only a recommended standard listed: the certified ones are missing."""
    v = await verifier(registry(CERT)).verify(draft(standards=["GB/T 35590-2017"]))
    assert (v.decision, codes(v)) == ("review", ["STANDARD_MISMATCH"])


@pytest.mark.parametrize("field", ["model", "standards", "warnings"])
async def test_a_blank_required_field_is_a_disclosure_finding_not_an_error(field: str) -> None:
    """What the law requires but the draft lacks is a finding (block), never a 422."""
    v = await verifier(registry(CERT)).verify(
        draft(**{field: [] if field == "standards" else "  "})
    )
    assert v.decision == "block"
    assert any(r.code == "DISCLOSURE_MISSING" and r.field == f"product.{field}" for r in v.reasons)


async def test_no_credential_at_all_is_missing() -> None:
    """A CCC product without a certificate number is blocked."""
    v = await verifier(registry(CERT)).verify(draft(ccc_certificate_no=None))
    assert codes(v) == ["CREDENTIAL_MISSING"]


async def test_a_product_outside_the_catalog_is_allowed_as_not_key() -> None:
    """Books are not key industrial products."""
    v = await verifier(registry(CERT)).verify(
        ListingDraft.model_validate(
            {
                "listing_id": "b",
                "seller": {"id": "s"},
                "product": {"name": "《算法导论》第三版", "category": "图书"},
            }
        )
    )
    assert (v.decision, codes(v), v.key_product, v.category) == (
        "allow",
        ["NOT_KEY_PRODUCT"],
        False,
        None,
    )


async def test_a_catalog_product_under_another_category_is_suspected() -> None:
    """Choosing a non-catalog category does not take a power bank past the gate."""
    v = await verifier(registry(CERT)).verify(
        ListingDraft.model_validate(
            {
                "listing_id": "b",
                "seller": {"id": "s"},
                "product": {"name": "超薄充电宝 20000mAh", "category": "数码配件"},
            }
        )
    )
    assert (v.decision, codes(v)) == ("review", ["CATEGORY_SUSPECTED"])


class _Down:
    """A backend whose every call fails, as a registry outage does."""

    name = "down"

    async def _fail(self, *_: Any, **__: Any) -> Any:
        raise ConnectionError("registry unreachable")

    get_ccc = get_license = find_recalls = find_spot_checks = get_standards = _fail

    async def status(self) -> list[Any]:
        raise ConnectionError("registry unreachable")

    async def changed_since(self, *_: Any) -> AsyncIterator[Any]:
        raise ConnectionError("registry unreachable")
        yield


async def test_a_registry_that_is_down_gives_review_never_allow() -> None:
    """Nothing is allowed on data that was not checked."""
    v = await verifier(_Down()).verify(draft())
    assert v.decision == "review"
    assert set(codes(v)) == {"REGISTRY_UNAVAILABLE"}


async def test_a_decision_on_cached_answers_never_suspends() -> None:
    """Once the lookups are cached, deciding a listing runs to the end without a loop turn."""
    check = verifier(registry(CERT))
    first = await check.verify(draft())
    assert first.evidence  # the lookups ran and are cached now
    decision = check.verify(draft())
    with pytest.raises(StopIteration) as done:
        decision.send(None)
    assert done.value.value.reasons == first.reasons


async def test_a_production_licence_listing_checks_company_and_category() -> None:
    """A licence for another product category blocks; the right one allows."""
    licence = {
        "license_no": "粤XK06-014-00397",
        "status": "valid",
        "company": {
            "name": "佛山市恒通电缆有限公司",
            "address": "广东省佛山市南海区狮山镇兴业路8号",
        },
        "production_addresses": ["广东省佛山市南海区狮山镇科技东路22号"],
        "products": ["L06"],
        "issued_on": "2024-01-10",
        "expires_on": "2029-01-09",
    }
    backend = registry(CERT)
    backend.add("license", [LicenseRecord.model_validate(licence)])
    listing = ListingDraft.model_validate(
        {
            "listing_id": "c",
            "seller": {"id": "s"},
            "product": {
                "name": "铜芯电力电缆",
                "category": "电线电缆",
                "model": "YJV 0.6/1kV 4×25",
                "manufacturer": {
                    "name": "佛山市恒通电缆有限公司",
                    "address": "广东省佛山市南海区狮山镇科技东路22号",
                },
                "standards": ["GB/T 12706.1-2020"],
            },
            "credentials": {"production_license_no": "（粤）XK06-014-00397"},
        }
    )
    assert (await verifier(backend).verify(listing)).decision == "allow"
    other = listing.model_copy(
        update={"product": listing.product.model_copy(update={"category": "L12"})}
    )
    assert "CREDENTIAL_CATEGORY_MISMATCH" in codes(await verifier(backend).verify(other))


async def test_a_self_declaration_number_in_the_certificate_field_is_looked_up_exactly() -> None:
    """Self-declaration numbers have no public format: never CREDENTIAL_NUMBER_INVALID."""
    declaration = {
        **CERT,
        "certificate_no": "SD-ZJ-2025-00881",
        "kind": "self_declaration",
        "product_code": "0501",
        "product_name": "电钻",
        "standards": [],
    }
    listing = draft(
        category="0501", ccc_certificate_no="SD-ZJ-2025-00881", standards=["GB/T 3883.1-2014"]
    )
    v = await verifier(registry(declaration)).verify(listing)
    assert "CREDENTIAL_NUMBER_INVALID" not in codes(v)
    assert v.decision == "allow"
    missing = draft(
        category="0501", ccc_certificate_no="SD-ZJ-2025-00882", standards=["GB/T 3883.1-2014"]
    )
    assert codes(await verifier(registry(declaration)).verify(missing)) == ["CREDENTIAL_NOT_FOUND"]
