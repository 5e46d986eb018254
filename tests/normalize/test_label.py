"""A label pasted before an identifier goes; what follows it is kept exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.ccc import self_declaration_key
from listing_gate.normalize.credit_code import normalize_credit_code, valid_credit_code
from listing_gate.normalize.label import strip_label


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("证书编号：2024011609123456", "2024011609123456"),
        ("自我声明编号:2024970501810456", "2024970501810456"),
        ("CCC：2024010703810789", "2024010703810789"),
        ("No.2023160807810321", "2023160807810321"),
        ("NO 2023160807810321", "2023160807810321"),
        ("认证编号: 2024011606810555", "2024011606810555"),
        ("自我声明编号SD-ZJ-2025-00881", "SD-ZJ-2025-00881"),
        ("3C自我声明编号：SD-ZJ-2025-00881", "SD-ZJ-2025-00881"),
        ("No.SD-ZJ-2025-00881", "SD-ZJ-2025-00881"),
        ("SD-ZJ-2025-00881", "SD-ZJ-2025-00881"),
        ("ＳＤ－２０２５－０１", "SD-2025-01"),
        ("SD 2025 01", "SD 2025 01"),
    ],
)
def test_the_label_goes_and_the_identifier_stays(written: str, number: str) -> None:
    """Letters, CJK and a colon before the number go; the number itself is untouched."""
    assert strip_label(written) == number


def test_text_that_is_only_a_label_is_kept() -> None:
    """Nothing after the label: there is no number to strip it from."""
    assert strip_label("证书编号：") == "证书编号:"


def test_a_labelled_self_declaration_is_keyed_as_the_bare_number() -> None:
    """Self-declarations compare exactly after NFKC, trimming and the pasted label."""
    assert self_declaration_key("自我声明编号：SD-ZJ-2025-00881") == "SD-ZJ-2025-00881"
    assert self_declaration_key("自我声明编号：SD-ZJ-2025-00882") != "SD-ZJ-2025-00881"


def test_a_labelled_credit_code_is_the_code() -> None:
    """ "统一社会信用代码：…" is validated as the 18 characters after the label."""
    assert normalize_credit_code("统一社会信用代码：91330100MAAE02RW7D") == "91330100MAAE02RW7D"
    assert valid_credit_code("统一社会信用代码: 91330100MAAE02RW7D")


_LABELS = st.sampled_from(
    ["证书编号：", "自我声明编号:", "CCC：", "No.", "编号 ", "认证编号: ", ""]
)
_NUMBERS = st.from_regex(r"[0-9A-Z]{1,4}-?[0-9]{4,16}", fullmatch=True)


@given(_LABELS, _NUMBERS)
def test_any_label_before_any_number_leaves_the_number(label: str, number: str) -> None:
    """Whatever the label, the identifier after it comes out as written."""
    assert strip_label(f"{label}{number}") == number


@given(st.text())
def test_stripping_is_idempotent(text: str) -> None:
    """Stripping a stripped text changes nothing."""
    assert strip_label(strip_label(text)) == strip_label(text)


@given(_NUMBERS, _NUMBERS)
def test_two_different_numbers_never_strip_to_the_same(one: str, other: str) -> None:
    """A label is never taken from the number: different numbers stay different."""
    if one != other:
        assert strip_label(f"证书编号：{one}") != strip_label(f"证书编号：{other}")
