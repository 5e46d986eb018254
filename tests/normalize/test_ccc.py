"""CCC certificate numbers as sellers paste them, and self-declaration numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.ccc import parse_certificate_no, self_declaration_key
from listing_gate.normalize.errors import InvalidNumber


@pytest.mark.parametrize(
    "pasted",
    [
        "2024011609123456",
        "3C证书编号：2024011609123456",
        "CCC证书号: 2024011609123456",
        "2024 0116 0912 3456",
        "２０２４０１１６０９１２３４５６",
        "证书编号 2024-0116-0912-3456",
        "NO.2024011609123456",
        "3C2024011609123456",
        " 2024011609123456 有效期至2029-01-15",
    ],
)
def test_pasted_certificate_number_is_found(pasted: str) -> None:
    """Labels, colons, spaces between groups and full width are noise around the number."""
    assert parse_certificate_no(pasted).key == "2024011609123456"


def test_certificate_number_exposes_its_fields() -> None:
    """Year, body, product code and serial are the fixed slices the rules judge."""
    number = parse_certificate_no("2023220914192878")
    assert (number.year, number.body, number.product_code, number.serial) == (
        2023,
        "22",
        "0914",
        "192878",
    )


def test_vehicle_version_suffix_is_kept_apart_from_the_key() -> None:
    """A vehicle certificate's version in brackets is the suffix, not part of the 16 digits."""
    number = parse_certificate_no("2022221101000119（B0）")
    assert (number.key, number.suffix) == ("2022221101000119", "B0")


@pytest.mark.parametrize(
    ("text", "reason_part", "code", "fields"),
    [
        ("202601094369395", "15 digits", "ccc_digit_count", {"count": "15", "expected": "16"}),
        ("20240116091234567", "17 digits", "ccc_digit_count", {"count": "17", "expected": "16"}),
        ("2024O11606463026", "letter 'O'", "ccc_letters", {"letters": "O"}),
        ("2024011609l23456", "letter 'L'", "ccc_letters", {"letters": "L"}),
        ("证书编号：见图片", "no certificate number", "ccc_no_number", {}),
        ("", "no certificate number", "ccc_no_number", {}),
        ("2024011609123456 / 2024011609123457", "more than one", "ccc_several_numbers", {}),
    ],
)
def test_number_that_cannot_exist_is_invalid(
    text: str, reason_part: str, code: str, fields: dict[str, str]
) -> None:
    """Wrong digit counts, letters among digits, no number: rejected with a reason and a code."""
    with pytest.raises(InvalidNumber) as caught:
        parse_certificate_no(text)
    assert reason_part in caught.value.reason
    assert (caught.value.flaw.code, dict(caught.value.flaw.fields)) == (code, fields)


def test_year_and_product_code_are_not_judged_here() -> None:
    """Year 1890 and product code 0000 are well-formed; the rules judge plausibility."""
    number = parse_certificate_no("1890160000136167")
    assert (number.year, number.product_code) == (1890, "0000")


@given(st.from_regex(r"[0-9]{16}", fullmatch=True))
def test_any_sixteen_digits_round_trip(digits: str) -> None:
    """The key of a bare 16-digit number is the number, also pasted in groups of four."""
    grouped = " ".join(digits[i : i + 4] for i in range(0, 16, 4))
    assert parse_certificate_no(digits).key == digits
    assert parse_certificate_no(f" 3C证书编号：{grouped} ").key == digits
    wide = digits.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    assert parse_certificate_no(f"\u3000{wide} ").key == digits


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (" 2025970302021160 ", "2025970302021160"),
        ("自我声明编号：2025970302021160", "2025970302021160"),
        ("ＳＤ－２０２５－０１", "SD-2025-01"),
        ("SD 2025 01", "SD 2025 01"),  # no public format: inner spaces stay
    ],
)
def test_self_declaration_key_is_exact_after_folding(text: str, key: str) -> None:
    """Self-declarations compare exactly after NFKC and trimming; only a labelled prefix goes."""
    assert self_declaration_key(text) == key


@given(st.text())
def test_self_declaration_key_is_idempotent(text: str) -> None:
    """Keying a key changes nothing."""
    assert self_declaration_key(self_declaration_key(text)) == self_declaration_key(text)
