"""fold: the Unicode folding every normaliser starts from."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.text import fold, to_simplified


def full_width(text: str) -> str:
    """The same text typed with a Chinese IME in full-width mode."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("GB 4943.1—2022", "GB 4943.1-2022"),  # em dash
        ("GB 4943.1–2022", "GB 4943.1-2022"),  # en dash
        ("GB 4943.1‐2022", "GB 4943.1-2022"),  # U+2010 hyphen
        ("GB 4943.1−2022", "GB 4943.1-2022"),  # minus sign
        ("ＧＢ　４９４３．１－２０２２", "GB 4943.1-2022"),
        ("  KFR-35GW\t/ N8 \n", "KFR-35GW / N8"),
        ("PB\u200b-2000", "PB-2000"),  # zero-width space from a web page
        ("3C证书编号：2024", "3C证书编号:2024"),
    ],
)
def test_fold_unifies_dashes_widths_and_spaces(raw: str, folded: str) -> None:
    """Dashes NFKC leaves alone, full width and whitespace runs all fold."""
    assert fold(raw) == folded


def test_traditional_characters_become_simplified() -> None:
    """Company names and addresses written in traditional characters compare as simplified."""
    assert to_simplified("華強電子（深圳）有限公司") == "华强电子（深圳）有限公司"
    assert to_simplified("連升路244號") == "连升路244号"


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    """Folding folded text changes nothing."""
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_fold_ignores_width_and_surrounding_space(text: str) -> None:
    """Full width and padding do not change the folded text."""
    assert fold(full_width(text)) == fold(text)
    assert fold(f" \u3000{text}\t ") == fold(text)
