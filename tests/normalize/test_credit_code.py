"""Unified social credit codes and their check character."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.credit_code import normalize_credit_code, valid_credit_code

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _with_check(body: str) -> str:
    total = sum(_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    return body + _ALPHABET[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    "code",
    [
        "91330100MAAE02RW7D",
        " 91440300ma6uqgl475 ",
        "９１３２０５００ＭＡＪＲＱＡＦ６Ｘ４",
        _with_check("12100000400010315"),
    ],
)
def test_code_with_correct_check_character_is_valid(code: str) -> None:
    """Codes with the right check character pass, in any width, case or padding."""
    assert valid_credit_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "91330100MAAE02RW7E",
        "91330100MAAE02RW7",
        "91330100MAAE02RW7DD",
        "91330100MAAE02RWID",
        "",
        None,
    ],
)
def test_wrong_check_length_or_alphabet_is_invalid(code: str | None) -> None:
    """A changed check character, a wrong length or a letter outside the alphabet fails."""
    assert not valid_credit_code(code)


def test_blank_code_normalises_to_none() -> None:
    """Blank means absent."""
    assert normalize_credit_code("  ") is None
    assert normalize_credit_code(None) is None


@given(st.text(alphabet=_ALPHABET, min_size=17, max_size=17), st.integers(0, 16), st.data())
def test_any_single_character_change_is_caught(
    body: str, position: int, data: st.DataObject
) -> None:
    """The check character catches every single substitution."""
    code = _with_check(body)
    assert valid_credit_code(code)
    replacement = data.draw(st.sampled_from([c for c in _ALPHABET if c != code[position]]))
    assert not valid_credit_code(code[:position] + replacement + code[position + 1 :])


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    """Normalising a normalised code changes nothing."""
    once = normalize_credit_code(text)
    assert normalize_credit_code(once) == once
