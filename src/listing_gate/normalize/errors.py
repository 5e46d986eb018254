"""Errors raised by the identifier parsers, and the flaw each one names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from listing_gate.errors import ListingGateError

__all__ = ["Flaw", "FlawCode", "InvalidNumber"]

# What makes a credential number impossible. The data files word each code in Chinese
# (texts.json "invalid_number"); the year and product-code flaws are the rules' findings.
FlawCode = Literal[
    "ccc_no_number",
    "ccc_several_numbers",
    "ccc_letters",
    "ccc_digit_count",
    "ccc_year_impossible",
    "ccc_product_code_unknown",
    "license_no_number",
    "license_industry_digits",
    "license_product_digits",
    "license_serial_digits",
    "license_malformed",
    "license_province_unknown",
    "license_prefix_not_province",
]


@dataclass(frozen=True, slots=True)
class Flaw:
    """Why a number cannot exist: a code and the values its message template names."""

    code: FlawCode
    fields: Mapping[str, str] = field(default_factory=dict)


class InvalidNumber(ListingGateError, ValueError):  # noqa: N818  (the name others code against)
    """A credential number that cannot be a real one of its kind.

    ``flaw`` is what a finding's message says (in Chinese, from the data files); ``reason``
    says it in English for logs and import errors, e.g. "15 digits, a CCC certificate
    number has 16".
    """

    def __init__(self, reason: str, code: FlawCode, **fields: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.flaw = Flaw(code, fields)
