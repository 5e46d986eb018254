"""CCC certificate numbers and self-declaration numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from listing_gate.normalize.errors import InvalidNumber
from listing_gate.normalize.label import strip_label
from listing_gate.normalize.text import fold

__all__ = ["CertificateNo", "parse_certificate_no", "self_declaration_key"]

_DIGITS = 16
# A second run this long is another number, not a date ("有效期至2029-01-15" has 8 digits).
_ANOTHER_NUMBER = 12

# Runs of letters and digits with single spaces or hyphens between groups:
# "3C证书编号:2024 0116 0912 3456" yields "3C" and "2024 0116 0912 3456".
_TOKEN = re.compile(r"[0-9A-Z](?:[0-9A-Z]|[ \-](?=[0-9A-Z]))*")
# A label glued to the number ("NO2024...", "CCC2024...", "3C2024...").
_LEADING_LABEL = re.compile(r"^(?:3C|[A-Z]+)[ \-]?(?=[0-9])")
# Vehicle certificates carry a version in brackets right after the digits: "...0119(B0)".
_VERSION = re.compile(r"^(?P<number>.*?[0-9])\s*\(\s*(?P<suffix>[A-Z0-9]{1,4})\s*\)\s*$")
_SEPARATORS = re.compile(r"[ \-]")


@dataclass(frozen=True, slots=True)
class CertificateNo:
    """A well-formed CCC certificate number: `YYYY BB PPPP NNNNNN` plus a vehicle version."""

    digits: str
    suffix: str | None = None

    @property
    def year(self) -> int:
        """Return the year the certificate was first issued (not checked for plausibility)."""
        return int(self.digits[0:4])

    @property
    def body(self) -> str:
        """Return the two-digit certification body code (01 is CQC)."""
        return self.digits[4:6]

    @property
    def product_code(self) -> str:
        """Return the four-digit catalog product code the product was certified under."""
        return self.digits[6:10]

    @property
    def serial(self) -> str:
        """Return the six-digit serial."""
        return self.digits[10:16]

    @property
    def key(self) -> str:
        """Return the registry key: the 16 digits (the version suffix is not part of it)."""
        return self.digits


def _digit_count(token: str) -> int:
    return sum(map(str.isdigit, token))  # tokens are ASCII: see _TOKEN


def parse_certificate_no(text: str) -> CertificateNo:
    """Return the certificate number found in pasted text; raise InvalidNumber if none can be."""
    folded = fold(text).upper()
    if len(folded) == _DIGITS and folded.isascii() and folded.isdigit():
        return CertificateNo(digits=folded)  # the common case: just the number
    suffix: str | None = None
    version = _VERSION.match(folded)
    if version:
        folded, suffix = version["number"], version["suffix"]
    counted = [(n, t) for t in _TOKEN.findall(folded) if (n := _digit_count(t))]
    if not counted:
        raise InvalidNumber("no certificate number found", "ccc_no_number")
    if sum(1 for n, _ in counted if n >= _ANOTHER_NUMBER) > 1:
        raise InvalidNumber("more than one number given", "ccc_several_numbers")
    token = max(counted, key=lambda nt: nt[0])[1]
    token = _LEADING_LABEL.sub("", token)
    compact = _SEPARATORS.sub("", token)
    letters = sorted({c for c in compact if not c.isdigit()})
    if letters:
        shown = ", ".join(f"'{c}'" for c in letters)
        raise InvalidNumber(
            f"letter {shown} among the digits; a CCC certificate number is digits",
            "ccc_letters",
            letters=" ".join(letters),
        )
    if len(compact) != _DIGITS:
        raise InvalidNumber(
            f"{len(compact)} digits, a CCC certificate number has {_DIGITS}",
            "ccc_digit_count",
            count=str(len(compact)),
            expected=str(_DIGITS),
        )
    return CertificateNo(digits=compact, suffix=suffix)


def self_declaration_key(text: str) -> str:
    """Return the comparison key of a self-declaration number: NFKC, trimmed, label removed.

    A self-declaration has no public format, so what follows the pasted label is compared
    exactly (DOMAIN.md "Pasted labels").
    """
    return strip_label(text)
