"""The text rule every accepted string obeys: no control characters but tab and line breaks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from listing_gate.domain import Seller, find_control

_LAYOUT = "\t\n\r"


def _is_control(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F) and char not in _LAYOUT


@given(st.text())
def test_a_control_character_is_found_exactly_when_there_is_one(text: str) -> None:
    """find_control names the first C0/C1 control or DEL, and passes everything else."""
    controls = [c for c in text if _is_control(c)]
    expected = f"U+{ord(controls[0]):04X}" if controls else None
    assert find_control(text) == expected


@given(st.text(), st.sampled_from(_LAYOUT))
def test_layout_counts_as_control_where_none_is_allowed(text: str, layout: str) -> None:
    """An Idempotency-Key takes no tab or line break either."""
    assert find_control(text + layout, layout_allowed=False) is not None


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85", "\x9f"])
def test_a_draft_field_with_a_control_character_fails_with_its_own_code(char: str) -> None:
    """The 422's errors carry code control_character and the character's code point."""
    with pytest.raises(ValidationError) as caught:
        Seller(id=f"shop{char}19")
    (error,) = caught.value.errors()
    assert error["type"] == "control_character"
    assert error["loc"] == ("id",)
    assert f"U+{ord(char):04X}" in error["msg"]
