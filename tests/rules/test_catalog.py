"""The catalog resolves what sellers write as a category."""

import pytest

from listing_gate.rules.catalog import load_catalog

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("0914", "0914"),
        ("移动电源", "0914"),
        (" 充电宝 ", "0914"),
        ("Power Bank", "0914"),
        ("０９１４", "0914"),
        ("0907", "0807"),
        ("化肥", "L09"),
        ("S01", "S01"),
        ("0914 移动电源", "0914"),
    ],
)
def test_category_resolves_by_code_legacy_code_name_or_alias(written: str, code: str) -> None:
    """Codes, legacy codes, names and aliases all name the same entry after NFKC and trimming."""
    entry = CATALOG.resolve(written)
    assert entry is not None
    assert entry.code == code


@pytest.mark.parametrize("written", ["图书", "茶具", "09140", "数码配件", ""])
def test_category_outside_the_catalog_resolves_to_nothing(written: str) -> None:
    """Anything the catalog does not list is not a key product by category."""
    assert CATALOG.resolve(written) is None


def test_legacy_codes_are_known_product_codes() -> None:
    """A certificate under a legacy code of a category is a real product code."""
    assert "0907" in CATALOG.known_product_codes
    assert "0000" not in CATALOG.known_product_codes


def test_catalog_json_keeps_the_version_it_ships() -> None:
    """GET /v1/catalog serves the versioned data file as shipped."""
    body = CATALOG.as_json()
    assert body["version"] == CATALOG.version
    assert len(body["categories"]) == len(CATALOG.entries)
