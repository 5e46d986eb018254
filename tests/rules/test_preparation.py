"""What a decision asks of the registries is worked out before and between lookups, purely."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from listing_gate.domain import CccRecord, Found, ListingDraft, NotFound, Unavailable
from listing_gate.rules import RuleContext, follow_up, prepare
from listing_gate.rules.catalog import load_catalog
from listing_gate.rules.policy import load_policy

CTX = RuleContext.build(load_catalog(), load_policy())
DAY = date(2026, 12, 15)
NOW = datetime(2026, 12, 15, 8, tzinfo=UTC)
CERT = CccRecord.model_validate(
    {
        "certificate_no": "2024010914123456",
        "kind": "certificate",
        "status": "valid",
        "product_code": "0914",
        "models": ["LT-2000"],
        "holder": {"name": "杭州市朗拓品牌管理有限公司"},
        "manufacturer": {"name": "深圳市朗拓电子有限公司"},
        "factory": {"name": "金华电器有限公司"},
    }
)


def listing(category: str = "0914", **product: Any) -> ListingDraft:
    """A power-bank draft showing CERT's number, with ``product`` fields."""
    return ListingDraft.model_validate(
        {
            "listing_id": "sku-1",
            "seller": {"id": "shop-1"},
            "product": {
                "name": "移动电源",
                "category": category,
                "model": "LT-2000",
                "manufacturer": {"name": "深圳市朗拓电子有限公司"},
                "standards": ["GB 4943.1-2022", "GB/T 35590-2017", "GB 31241-2022"],
                **product,
            },
            "credentials": {"ccc_certificate_no": " 3C: 2024 0109 1412 3456 "},
        }
    )


def test_a_catalog_listing_asks_for_its_credential_model_maker_and_standards() -> None:
    """The certificate by its 16 digits, the model key, the maker's core, dated GB keys."""
    prepared = prepare(listing(), CTX, DAY)
    assert prepared.category is not None
    assert prepared.plan is not None
    assert (prepared.plan.registry, prepared.plan.key) == ("ccc", "2024010914123456")
    assert prepared.model_key == "LT2000"
    assert prepared.manufacturer_cores == ("朗拓电子",)
    assert prepared.standard_keys == ("GB 4943.1-2022", "GB 31241-2022")


def test_a_listing_outside_the_catalog_asks_for_nothing() -> None:
    """No category, no lookups: no plan and no key at all."""
    prepared = prepare(listing(category="图书"), CTX, DAY)
    assert (prepared.category, prepared.plan, prepared.model_key) == (None, None, None)
    assert (prepared.manufacturer_cores, prepared.standard_keys) == ((), ())


def test_the_category_is_the_one_in_force_on_the_decision_day() -> None:
    """A category that entered the catalogue later is outside it before that day."""
    later = [e for e in CTX.catalog.entries if e.effective_from is not None]
    assert later  # the shipped catalogue dates at least one entry, or this proves nothing
    entry = later[0]
    assert entry.effective_from is not None
    before = prepare(
        listing(category=entry.code), CTX, date.fromordinal(entry.effective_from.toordinal() - 1)
    )
    on = prepare(listing(category=entry.code), CTX, entry.effective_from)
    assert before.category is None
    assert on.category is not None


def test_notices_are_searched_by_the_listing_and_every_credential_party() -> None:
    """The maker's core and each party's cores (金华电器 may be a trade name) are asked."""
    found = follow_up(prepare(listing(), CTX, DAY), Found(CERT, "mirror", NOW))
    assert [p.role for p in found.parties] == ["manufacturer", "holder", "factory"]
    assert found.notices is not None
    assert found.notices.model_key == "LT2000"
    assert found.notices.manufacturer_cores == ("朗拓电子", "朗拓品牌管理", "电器", "金华电器")


@pytest.mark.parametrize(
    "answer", [None, NotFound("mirror", NOW), Unavailable("ccc", "timeout")], ids=repr
)
def test_without_a_found_credential_notices_are_searched_by_the_listing_alone(
    answer: NotFound | Unavailable | None,
) -> None:
    """Not asked, not found or not reachable: the listing's own manufacturer and model."""
    found = follow_up(prepare(listing(), CTX, DAY), answer)
    assert found.parties == ()
    assert found.notices is not None
    assert found.notices.manufacturer_cores == ("朗拓电子",)


def test_a_listing_without_a_model_searches_no_notices() -> None:
    """Recalls and spot checks name models: without one there is nothing to search by."""
    found = follow_up(prepare(listing(model=" "), CTX, DAY), Found(CERT, "mirror", NOW))
    assert found.notices is None
    assert len(found.parties) == 3
