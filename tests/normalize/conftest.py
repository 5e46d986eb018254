"""Warm the lazily built tables once, so no Hypothesis example pays for loading them."""

import pytest

from listing_gate.normalize.company import parse_company
from listing_gate.normalize.text import to_simplified


@pytest.fixture(scope="session", autouse=True)
def _warm_tables() -> None:
    """Loads the t2s converter and the division table before the first test."""
    to_simplified("華強")
    parse_company("广东省深圳市华强电子有限公司")
