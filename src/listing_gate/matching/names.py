"""Whether the manufacturer a listing names is the registry party, and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from listing_gate.matching.levels import level_conflict
from listing_gate.matching.memo import Memo
from listing_gate.matching.thresholds import MatchThresholds
from listing_gate.normalize.company import CompanyName, parse_company
from listing_gate.normalize.credit_code import normalize_credit_code, valid_credit_code
from listing_gate.normalize.divisions import Region

__all__ = ["NameMatch", "NameWhy", "match_company", "match_name"]

NameVerdict = Literal["match", "weak", "mismatch"]
# Why a verdict was reached, strongest evidence first (texts.json "name_match" words each).
NameWhy = Literal[
    "credit_codes_equal",
    "credit_codes_differ",
    "no_company_name",
    "trade_name_differs",
    "spelling_differs",
    "other_province",
    "other_city",
    "other_district",
    "other_branch",
    "branch_differs",
    "legal_form_differs",
    "legal_form_missing",
    "same_company",
    "identical",
]
_VerdictKey = tuple[str, str, str | None, str | None, MatchThresholds]
# Pays for pairs met again across decisions: every listing of a certified product names its
# maker against the same parties, and re-verification decides the same drafts again. A
# parse is a function of its text, so the texts key the verdict.
_VERDICTS: Memo[_VerdictKey, NameMatch] = Memo(65536)
# The vowels German writes with an E instead of an umlaut: HAUSGERAETE, ROEMER, KUEHNE.
_UMLAUT_SPELLING = re.compile(r"(?<=[A-Z])([AOU])E")
_OTHER_REGION: dict[str, NameWhy] = {
    "province": "other_province",
    "city": "other_city",
    "district": "other_district",
}


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The verdict on two company names, with a 0-100 similarity for the explanation."""

    verdict: NameVerdict
    score: float
    listing_value: str
    registry_value: str
    why: NameWhy
    # The two parts that differ, the listing's first ("有限公司", "有限责任公司"), where
    # ``why`` names a difference of values.
    sides: tuple[str, str] | None = None


def _region_conflict(a: CompanyName, b: CompanyName) -> tuple[NameWhy, tuple[str, str]] | None:
    conflict = level_conflict(a, b, ("city", "district", "province"))
    if conflict is None:
        return None
    level, left, right = conflict
    return _OTHER_REGION[level], (left, right)


def _align_cores(a: CompanyName, b: CompanyName) -> tuple[CompanyName, CompanyName] | None:
    """Return the two names with comparable cores, or None when the cores differ."""
    if a.core == b.core:
        return a, b
    # "金华电器有限公司" may be the company 金华电器 without a region, not 电器 in 金华.
    if a.core_with_prefix == b.core:
        return _without_region(a, a.core_with_prefix), b
    if b.core_with_prefix == a.core:
        return a, _without_region(b, b.core_with_prefix)
    return None


def _without_region(name: CompanyName, core: str) -> CompanyName:
    # The bare prefix is part of the trade name; the levels before it still hold.
    region = name.region_with_prefix or Region()
    return CompanyName(
        name.raw, region.province, region.city, region.district, core, name.form, name.branch
    )


def _one_spelling(a: str, b: str) -> bool:
    # German umlauts are written ä or ae in Latin names; the parse drops the accent (ä -> A).
    return (
        a.isascii()
        and b.isascii()
        and _UMLAUT_SPELLING.sub(r"\1", a) == _UMLAUT_SPELLING.sub(r"\1", b)
    )


def _by_code(listing_code: str | None, registry_code: str | None) -> NameWhy | None:
    if not (valid_credit_code(listing_code) and valid_credit_code(registry_code)):
        return None
    if normalize_credit_code(listing_code) == normalize_credit_code(registry_code):
        return "credit_codes_equal"
    return "credit_codes_differ"


def match_name(
    listing_name: str,
    registry_name: str,
    *,
    listing_credit_code: str | None = None,
    registry_credit_code: str | None = None,
    thresholds: MatchThresholds,
) -> NameMatch:
    """Return match, weak or mismatch for a listed manufacturer against a registry party."""
    return match_company(
        parse_company(listing_name),
        parse_company(registry_name),
        listing_credit_code=listing_credit_code,
        registry_credit_code=registry_credit_code,
        thresholds=thresholds,
    )


def match_company(
    listing: CompanyName,
    registry: CompanyName,
    *,
    listing_credit_code: str | None = None,
    registry_credit_code: str | None = None,
    thresholds: MatchThresholds,
) -> NameMatch:
    """Return the verdict on two names as ``parse_company`` gives them (parsed once each)."""
    key = (listing.raw, registry.raw, listing_credit_code, registry_credit_code, thresholds)
    match = _VERDICTS.get(key)
    if match is None:
        match = _VERDICTS.put(
            key, _compare(listing, registry, listing_credit_code, registry_credit_code, thresholds)
        )
    return match


# The verdict is a ladder of early returns, strongest evidence first.
def _compare(  # noqa: PLR0911
    listing: CompanyName,
    registry: CompanyName,
    listing_credit_code: str | None,
    registry_credit_code: str | None,
    thresholds: MatchThresholds,
) -> NameMatch:
    a, b = listing, registry
    score = round(fuzz.ratio(a.key, b.key), 1) if a.key and b.key else 0.0

    def verdict(v: NameVerdict, why: NameWhy, sides: tuple[str, str] | None = None) -> NameMatch:
        return NameMatch(v, score, listing.raw, registry.raw, why, sides)

    coded = _by_code(listing_credit_code, registry_credit_code)
    if coded is not None:
        return verdict("match" if coded == "credit_codes_equal" else "mismatch", coded)
    if not a.core or not b.core:
        return verdict("mismatch", "no_company_name")
    aligned = _align_cores(a, b)
    if aligned is None and _one_spelling(a.core, b.core):
        # "Hausgeräte" typed as HAUSGERAETE or HAUSGERATE: likely one company, not provably
        # (Bauer and Baur are two).
        return verdict("weak", "spelling_differs", (a.core, b.core))
    if aligned is None:
        return verdict("mismatch", "trade_name_differs", (a.core, b.core))
    a, b = aligned
    score = round(fuzz.ratio(a.key, b.key), 1)
    conflict = _region_conflict(a, b)
    if conflict:
        return verdict("mismatch", *conflict)
    if a.branch != b.branch:
        if a.branch and b.branch:
            return verdict("mismatch", "other_branch", (a.branch, b.branch))
        return verdict(thresholds.branch_differs, "branch_differs")
    if a.form != b.form:
        if a.form and b.form:
            return verdict(thresholds.legal_form_differs, "legal_form_differs", (a.form, b.form))
        return verdict(thresholds.legal_form_missing, "legal_form_missing")
    return verdict("match", "same_company" if a.raw != b.raw else "identical")
