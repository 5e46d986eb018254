"""Chinese national standard numbers (GB, GB/T, GB/Z)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from listing_gate.normalize.text import fold

__all__ = ["StandardNo", "parse_standard", "parse_standards"]

Prefix = Literal["GB", "GB/T", "GB/Z"]

# "GB4943.1-2022", "GB/T 9254.1", "GBT 9254.1", "GB-T 9254.1", "GB／T" (NFKC makes it '/'),
# "GB∕T" (division slash survives NFKC), "GB 4943.1:2022" (ISO style). (?<![A-Z]) instead
# of \b because a CJK character right before "GB" is a word character too ("标准GB4943.1").
_STANDARD = re.compile(
    r"(?<![A-Z])GB\s*(?:[/\\\u2215\u2044-]\s*)?(?P<kind>[TZ](?![A-Z]))?\s*"
    r"(?P<number>\d{1,6})(?:\s*\.\s*(?P<part>\d{1,4}(?:\.\d{1,4})*))?"
    r"(?:\s*[-:]\s*(?P<year>\d{4}|\d{2})|\s+(?P<spaced_year>(?:19|20)\d{2}))?(?!\d)"
)
# Two-digit years were printed on standards up to the late 1990s ("GB 4706.1-98"); sellers
# still write 2005 as "05". Below this pivot the century is 20xx.
_CENTURY_PIVOT = 50


@dataclass(frozen=True, slots=True)
class StandardNo:
    """A national standard number: prefix, number, part and year."""

    prefix: Prefix
    number: str
    part: str | None
    year: str | None
    # The yearless notation, e.g. 'GB 4943.1' (computed once: rules compare it often).
    base_key: str = field(init=False, repr=False, compare=False)
    # The canonical notation, e.g. 'GB 4943.1-2022' (no year: 'GB 4943.1').
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        part = f".{self.part}" if self.part else ""
        base_key = f"{self.prefix} {self.number}{part}"
        object.__setattr__(self, "base_key", base_key)
        object.__setattr__(self, "key", f"{base_key}-{self.year}" if self.year else base_key)

    @property
    def mandatory(self) -> bool:
        """Return True for a mandatory standard (plain GB)."""
        return self.prefix == "GB"


def _year(raw: str | None) -> str | None:
    if raw is None or len(raw) == 4:
        return raw
    century = 2000 if int(raw) < _CENTURY_PIVOT else 1900
    return str(century + int(raw))


def _from_match(match: re.Match[str]) -> StandardNo:
    kind = match["kind"]
    prefix: Prefix = "GB/T" if kind == "T" else "GB/Z" if kind == "Z" else "GB"
    return StandardNo(
        prefix=prefix,
        number=match["number"].lstrip("0") or "0",
        part=match["part"],
        year=_year(match["year"] or match["spaced_year"]),
    )


# Pays for registry and catalogue values: a certificate's standards and a category's
# mandatory ones are met again by every listing that shows that certificate or category.
# A listing's own standards are parsed once per decision (rules.draft).
@lru_cache(maxsize=8192)
def parse_standard(text: str) -> StandardNo | None:
    """Return the first GB standard number in `text`, or None when there is none."""
    match = _STANDARD.search(fold(text).upper())
    return None if match is None else _from_match(match)


# Listings name the same few standards over and over; one field may hold several.
@lru_cache(maxsize=8192)
def parse_standards(text: str) -> tuple[StandardNo, ...]:
    """Return every GB standard number in `text`, in order ("GB 4943.1-2022、GB 31241-2022")."""
    return tuple(_from_match(m) for m in _STANDARD.finditer(fold(text).upper()))
