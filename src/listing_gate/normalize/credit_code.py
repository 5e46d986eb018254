"""Unified social credit codes (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

from listing_gate.normalize.label import strip_label
from listing_gate.normalize.text import fold

__all__ = ["normalize_credit_code", "valid_credit_code"]

# GB 32100-2015 uses digits and 21 capitals: I, O, S, V and Z are left out.
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
# Weight of position i is 3**i mod 31 (the standard's table).
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_LENGTH = 18


def normalize_credit_code(code: str | None) -> str | None:
    """Return the code folded, upper case, without spaces or a pasted label; None when blank."""
    if code is None:
        return None
    folded = code
    # Dropping a space can let NFKC compose what it could not before ("U ̈"), or join the
    # letters of a label: repeat until stable, so the result is a fixed point. Real codes
    # are ASCII and take one round (two with a label: "统一社会信用代码：9144…").
    for _ in range(4):
        again = fold(strip_label(folded)).upper().replace(" ", "").replace("-", "")
        if again == folded:
            break
        folded = again
    return folded or None


def valid_credit_code(code: str | None) -> bool:
    """Return True when `code` is 18 characters of the right alphabet with a correct check."""
    normal = normalize_credit_code(code)
    if normal is None or len(normal) != _LENGTH or any(c not in _VALUE for c in normal):
        return False
    total = sum(_VALUE[c] * w for c, w in zip(normal[:17], _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31] == normal[17]
