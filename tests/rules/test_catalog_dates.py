"""A decision applies the catalogue in force on its decision date (catalog 2026.12-2).

Every kind of date the catalogue carries is pinned on both sides: a category entering the
catalogue (``effective_from``), a move from self-declaration to certification, a move from
mandatory standard to CCC (``previous_regime`` / ``regime_changed_on``), and the day
boundary itself, which is China's (UTC+8), not UTC's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from listing_gate.domain import CccRecord, ListingDraft, StandardRecord, Verification
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.memory import MemoryRegistry
from listing_gate.rules.catalog import load_catalog
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

pytestmark = pytest.mark.anyio

CATALOG = load_catalog()
MAKER = {"name": "温州市正泰捷电器有限公司", "address": "浙江省温州市乐清市柳市镇长江路88号"}
SELF_DECLARATION: dict[str, Any] = {
    "certificate_no": "2023970302000123",
    "kind": "self_declaration",
    "status": "valid",
    "product_code": "0302",
    "product_name": "小型断路器",
    "models": ["DZ47-63 C16"],
    "standards": ["GB/T 10963.1-2020"],
    "manufacturer": MAKER,
    "issued_on": "2023-05-01",
    "expires_on": "2028-04-30",
}
FUSE_DECLARATION: dict[str, Any] = {
    **SELF_DECLARATION,
    "certificate_no": "2024970205000456",
    "product_code": "0205",
    "product_name": "熔断体",
    "models": ["RT18-32 10A"],
    "standards": ["GB/T 13539.1-2015"],
}
# A genuine certificate for a product type the catalogue lists under a provisional code:
# its CNCA product code (here 2520) is one the catalogue does not know.
GAS_STOVE_CERT: dict[str, Any] = {
    "certificate_no": "2025012520001234",
    "kind": "certificate",
    "status": "valid",
    "product_code": "2520",
    "product_name": "商用燃气燃烧器具",
    "models": ["JZT-100"],
    "standards": ["GB 35848-2024"],
    "manufacturer": MAKER,
    "issued_on": "2025-08-01",
    "expires_on": "2030-07-31",
}
POWER_BANK_CERT: dict[str, Any] = {
    **GAS_STOVE_CERT,
    "certificate_no": "2025010914005678",
    "product_code": "0914",
    "product_name": "移动电源",
}


def at(day: str, hour: int = 4) -> datetime:
    """A decision moment on ``day`` (04:00 UTC is 12:00 in China: the same day)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


async def decide(moment: datetime, draft: dict[str, Any]) -> Verification:
    """Decides ``draft`` at ``moment`` over a registry of this module's records."""
    backend = MemoryRegistry(lambda: moment)
    backend.add(
        "ccc",
        [
            CccRecord.model_validate(r)
            for r in (SELF_DECLARATION, FUSE_DECLARATION, GAS_STOVE_CERT, POWER_BANK_CERT)
        ],
    )
    for kind in ("license", "recall", "spot_check"):
        backend.add(kind, [])
    backend.add("standard", [StandardRecord(number="GB 35848-2024", status="current")])
    lookup = RegistryLookup(backend, settings=Settings(), clock=lambda: moment)
    verifier = Verifier.from_lookup(lookup, clock=lambda: moment)
    return await verifier.verify(ListingDraft.model_validate(draft))


def listing(category: str, model: str, standard: str, **credentials: Any) -> dict[str, Any]:
    """A listing with every disclosure filled in and the given credentials."""
    return {
        "listing_id": "sku-dated",
        "seller": {"id": "shop-1"},
        "product": {
            "name": "商品",
            "category": category,
            "model": model,
            "manufacturer": dict(MAKER),
            "standards": [standard],
            "warnings": "请按说明书安装使用",
        },
        "credentials": credentials,
    }


def codes(v: Verification) -> set[str]:
    """The reason codes of a verification."""
    return {r.code for r in v.reasons}


BREAKER = listing(
    "0302", "DZ47-63 C16", "GB/T 10963.1-2020", ccc_self_declaration_no="2023970302000123"
)
FUSE = listing(
    "0205", "RT18-32 10A", "GB/T 13539.1-2015", ccc_self_declaration_no="2024970205000456"
)
GAS_STOVE = listing("P2401", "JZT-100", "GB 35848-2024", ccc_certificate_no="2025012520001234")
EBIKE_BATTERY = listing(
    "S06",
    "48V20Ah",
    "GB 43854-2024",
    test_report={
        "report_no": "R-1",
        "standard": "GB 43854-2024",
        "result": "合格",
        "product_name": "电动自行车用锂离子蓄电池",
        "product_model": "48V20Ah",
    },
)


def test_an_entry_is_absent_before_its_effective_date_and_present_from_it() -> None:
    """商用燃气燃烧器具 joins the catalogue on 2025-07-01 and not a day earlier."""
    assert CATALOG.on(date(2025, 6, 30)).resolve("P2401") is None
    entry = CATALOG.on(date(2025, 7, 1)).resolve("商用燃气灶")
    assert entry is not None
    assert (entry.code, entry.regime) == ("P2401", "ccc")


def test_before_a_regime_change_the_previous_regime_is_in_force() -> None:
    """熔断体 is self-declared through 2026-12-31 and certified from 2027-01-01."""
    before = CATALOG.on(date(2026, 12, 31)).resolve("0205")
    after = CATALOG.on(date(2027, 1, 1)).resolve("0205")
    assert before is not None
    assert after is not None
    assert (before.regime, before.previous_regime) == ("ccc_self_declaration", None)
    assert (after.regime, after.previous_regime) == ("ccc", "ccc_self_declaration")


def test_a_legacy_code_resolves_to_the_entry_that_took_it_over() -> None:
    """S06 (e-bike lithium batteries) is 1121 now; before 2025-11-01 a mandatory standard."""
    before = CATALOG.on(date(2025, 10, 31)).resolve("S06")
    after = CATALOG.on(date(2025, 11, 1)).resolve("S06")
    assert before is not None
    assert after is not None
    assert (before.code, before.regime) == ("1121", "mandatory_standard")
    assert (after.code, after.regime) == ("1121", "ccc")


async def test_self_declaration_suffices_until_the_day_certification_starts() -> None:
    """低压元器件: a valid self-declaration is allowed on 2024-10-31."""
    v = await decide(at("2024-10-31"), BREAKER)
    assert (v.decision, codes(v)) == ("allow", set())
    assert v.category is not None
    assert v.category.regime == "ccc_self_declaration"


async def test_self_declaration_after_the_change_is_a_regime_change_for_review() -> None:
    """From 2024-11-01 the old credential goes to a person (old stock may still be sold)."""
    v = await decide(at("2024-11-01"), BREAKER)
    assert (v.decision, codes(v)) == ("review", {"CREDENTIAL_REGIME_CHANGED"})
    assert v.category is not None
    assert v.category.regime == "ccc"


async def test_self_declaration_number_in_the_certificate_field_is_a_regime_change_too() -> None:
    """The field it is written in does not turn the old credential into a mismatch."""
    draft = listing(
        "0302", "DZ47-63 C16", "GB/T 10963.1-2020", ccc_certificate_no="2023970302000123"
    )
    v = await decide(at("2026-12-15"), draft)
    assert (v.decision, codes(v)) == ("review", {"CREDENTIAL_REGIME_CHANGED"})


async def test_the_old_credential_is_still_checked_after_a_regime_change() -> None:
    """A self-declaration the registry does not hold blocks, regime change or not."""
    draft = listing(
        "0302", "DZ47-63 C16", "GB/T 10963.1-2020", ccc_self_declaration_no="2023970302999999"
    )
    v = await decide(at("2026-12-15"), draft)
    assert v.decision == "block"
    assert "CREDENTIAL_NOT_FOUND" in codes(v)


async def test_transitions_of_2027_do_not_touch_a_december_2026_decision() -> None:
    """熔断体 self-declared: allowed on 2026-12-31, review on 2027-01-01."""
    december = await decide(at("2026-12-31"), FUSE)
    january = await decide(at("2027-01-01"), FUSE)
    assert (december.decision, codes(december)) == ("allow", set())
    assert (january.decision, codes(january)) == ("review", {"CREDENTIAL_REGIME_CHANGED"})


async def test_the_decision_day_is_chinas_calendar_day() -> None:
    """2026-12-31T16:00Z is already 2027-01-01 in China; 15:59Z is still 2026."""
    late = await decide(datetime(2026, 12, 31, 15, 59, tzinfo=UTC), FUSE)
    midnight = await decide(datetime(2026, 12, 31, 16, 0, tzinfo=UTC), FUSE)
    assert late.decision == "allow"
    assert midnight.decision == "review"


async def test_a_test_report_suffices_while_the_category_is_mandatory_standard() -> None:
    """E-bike lithium batteries on 2025-10-31: a complete passing report is allowed."""
    v = await decide(at("2025-10-31"), EBIKE_BATTERY)
    assert (v.decision, codes(v)) == ("allow", set())
    assert v.category is not None
    assert v.category.regime == "mandatory_standard"


async def test_a_test_report_after_the_move_to_ccc_is_a_regime_change() -> None:
    """From 2025-11-01 the battery needs CCC: the report alone goes to review, not allow."""
    v = await decide(at("2025-11-01"), EBIKE_BATTERY)
    assert (v.decision, codes(v)) == ("review", {"CREDENTIAL_REGIME_CHANGED"})


async def test_a_failed_report_still_blocks_after_the_move_to_ccc() -> None:
    """The old credential is checked as the old regime checked it."""
    draft = {
        **EBIKE_BATTERY,
        "credentials": {
            "test_report": {**EBIKE_BATTERY["credentials"]["test_report"], "result": "不合格"}
        },
    }
    v = await decide(at("2026-12-15"), draft)
    assert v.decision == "block"
    assert {"CREDENTIAL_REGIME_CHANGED", "TEST_REPORT_FAILED"} <= codes(v)


async def test_a_category_not_yet_in_force_is_no_key_product() -> None:
    """商用燃气燃烧器具 on 2025-06-30: outside the catalogue of that day."""
    v = await decide(at("2025-06-30"), GAS_STOVE)
    assert v.key_product is False
    assert codes(v) <= {"NOT_KEY_PRODUCT", "CATEGORY_SUSPECTED"}


async def test_provisional_category_certificate_with_unknown_code_goes_to_review() -> None:
    """A CNCA code the catalogue does not know on a P24xx category: a person confirms the fit."""
    v = await decide(at("2026-12-15"), GAS_STOVE)
    assert (v.decision, codes(v)) == ("review", {"CREDENTIAL_CATEGORY_UNCERTAIN"})
    assert "CREDENTIAL_NUMBER_INVALID" not in codes(v)


async def test_provisional_category_certificate_for_a_known_other_type_is_a_mismatch() -> None:
    """A power-bank certificate (0914) on a gas-stove listing is another product type."""
    draft = listing("P2401", "JZT-100", "GB 35848-2024", ccc_certificate_no="2025010914005678")
    v = await decide(at("2026-12-15"), draft)
    assert v.decision == "block"
    assert "CREDENTIAL_CATEGORY_MISMATCH" in codes(v)


async def test_unknown_product_code_on_a_catalogued_category_stays_invalid() -> None:
    """Only a provisional category opens the door to a code the catalogue does not know."""
    draft = listing("0914", "JZT-100", "GB 4943.1-2022", ccc_certificate_no="2025012520001234")
    v = await decide(at("2026-12-15"), draft)
    assert "CREDENTIAL_NUMBER_INVALID" in codes(v)


def test_the_served_catalogue_on_a_day_shows_the_regime_then_in_force() -> None:
    """GET /v1/catalog?on=… serves this document: 0302 self-declared in 2024-10, not since."""
    before = {c["code"]: c for c in CATALOG.on(date(2024, 10, 31)).as_json()["categories"]}
    after = {c["code"]: c for c in CATALOG.on(date(2024, 11, 1)).as_json()["categories"]}
    assert before["0302"]["regime"] == "ccc_self_declaration"
    assert before["0302"]["next_regime"] == "ccc"
    assert after["0302"]["regime"] == "ccc"
    assert "P2401" not in before
    assert "P2401" in {c["code"] for c in CATALOG.on(date(2025, 7, 1)).as_json()["categories"]}
