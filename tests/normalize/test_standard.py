"""GB standard numbers in the notations sellers use."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.standard import parse_standard, parse_standards


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("GB 4943.1-2022", "GB 4943.1-2022"),
        ("GB4943.1-2022", "GB 4943.1-2022"),
        ("GB 4943.1—2022", "GB 4943.1-2022"),
        ("GB 4943.1–2022", "GB 4943.1-2022"),
        ("ＧＢ　４９４３．１－２０２２", "GB 4943.1-2022"),
        ("gb 4943.1-2022", "GB 4943.1-2022"),
        ("GB 4943.1 2022", "GB 4943.1-2022"),
        ("符合标准GB31241-2022的要求", "GB 31241-2022"),
        ("GB 6675-2003", "GB 6675-2003"),
        ("GB 7000.204-2008", "GB 7000.204-2008"),
        ("GB 4706.1-98", "GB 4706.1-1998"),
        ("GB 4706.1-05", "GB 4706.1-2005"),
        ("GB 4943.1", "GB 4943.1"),
    ],
)
def test_mandatory_notations_give_one_key(text: str, key: str) -> None:
    """Spacing, dashes, width, case and two-digit years do not change the standard."""
    standard = parse_standard(text)
    assert standard is not None
    assert standard.key == key
    assert standard.mandatory


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("GB/T 9254.1-2021", "GB/T 9254.1-2021"),
        ("GBT 9254.1", "GB/T 9254.1"),
        ("GB／T 4706.1-2024", "GB/T 4706.1-2024"),
        ("GB-T 9254.1", "GB/T 9254.1"),
        ("gb/z 17625.3-2000", "GB/Z 17625.3-2000"),
    ],
)
def test_recommended_and_guidance_prefixes_are_kept(text: str, key: str) -> None:
    """GB/T and GB/Z are other documents than GB, however they are written."""
    standard = parse_standard(text)
    assert standard is not None
    assert standard.key == key
    assert not standard.mandatory


def test_same_number_moving_to_recommended_is_another_key() -> None:
    """GB 4706.1-2005 and GB/T 4706.1-2024 share a number but not a key or a base."""
    old, new = parse_standard("GB 4706.1-2005"), parse_standard("GB/T 4706.1-2024")
    assert old is not None
    assert new is not None
    assert old.key != new.key
    assert old.base_key != new.base_key
    assert old.base_key == "GB 4706.1"


@pytest.mark.parametrize("text", ["Q/ABC 001-2020", "IEC 60335-1", "EN 62368", "", "GBA 12"])
def test_non_gb_text_is_none(text: str) -> None:
    """Enterprise, international and foreign standards are not GB standards."""
    assert parse_standard(text) is None


def test_several_standards_in_one_field_are_all_found() -> None:
    """A field listing several standards yields each of them in order."""
    found = parse_standards("GB 4943.1-2022、GB/T 9254.1-2021;GB31241-2022")
    assert [s.key for s in found] == ["GB 4943.1-2022", "GB/T 9254.1-2021", "GB 31241-2022"]


@given(
    st.sampled_from(["GB", "GB/T", "GB/Z"]),
    st.integers(1, 99999),
    st.none() | st.integers(1, 300),
    st.none() | st.integers(1950, 2049),
)
def test_key_parses_to_itself(prefix: str, number: int, part: int | None, year: int | None) -> None:
    """A canonical key is a fixed point, also in full width with an em dash."""
    text = f"{prefix} {number}" + (f".{part}" if part else "") + (f"-{year}" if year else "")
    standard = parse_standard(text)
    assert standard is not None
    assert standard.key == text
    wide = text.replace("-", "—").translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert parse_standard(f"\u3000{wide} ") == standard
