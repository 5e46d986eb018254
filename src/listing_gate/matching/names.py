"""Whether the manufacturer a listing names is the registry party, and why."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from listing_gate.matching.levels import level_conflict
from listing_gate.matching.thresholds import DEFAULT, MatchThresholds
from listing_gate.normalize.company import CompanyName, parse_company
from listing_gate.normalize.credit_code import normalize_credit_code, valid_credit_code
from listing_gate.normalize.divisions import Region

__all__ = ["NameMatch", "match_name"]

NameVerdict = Literal["match", "weak", "mismatch"]


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The verdict on two company names, with a 0-100 similarity for the explanation."""

    verdict: NameVerdict
    score: float
    listing_value: str
    registry_value: str
    why: str


def _region_conflict(a: CompanyName, b: CompanyName) -> str | None:
    conflict = level_conflict(a, b, ("city", "district", "province"))
    if conflict is None:
        return None
    level, left, right = conflict
    return f"same trade name, other {level} ({left} vs {right})"


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


def _by_code(listing_code: str | None, registry_code: str | None) -> tuple[NameVerdict, str] | None:
    if not (valid_credit_code(listing_code) and valid_credit_code(registry_code)):
        return None
    if normalize_credit_code(listing_code) == normalize_credit_code(registry_code):
        return "match", "credit codes equal"
    return "mismatch", "credit codes differ"


def match_name(
    listing_name: str,
    registry_name: str,
    *,
    listing_credit_code: str | None = None,
    registry_credit_code: str | None = None,
    thresholds: MatchThresholds = DEFAULT,
) -> NameMatch:
    """Return match, weak or mismatch for a listed manufacturer against a registry party."""
    # One listing meets the same parties again (three per certificate, and on every
    # re-verification): the verdict is a pure function of its arguments.
    return _match_name(
        listing_name, registry_name, listing_credit_code, registry_credit_code, thresholds
    )


# The verdict is a ladder of early returns, strongest evidence first.
@lru_cache(maxsize=65536)
def _match_name(  # noqa: PLR0911
    listing_name: str,
    registry_name: str,
    listing_credit_code: str | None,
    registry_credit_code: str | None,
    thresholds: MatchThresholds,
) -> NameMatch:
    a, b = parse_company(listing_name), parse_company(registry_name)
    score = round(fuzz.ratio(a.key, b.key), 1) if a.key and b.key else 0.0

    def verdict(v: NameVerdict, why: str) -> NameMatch:
        return NameMatch(v, score, listing_name, registry_name, why)

    coded = _by_code(listing_credit_code, registry_credit_code)
    if coded is not None:
        return verdict(*coded)
    if not a.core or not b.core:
        return verdict("mismatch", "no company name")
    aligned = _align_cores(a, b)
    if aligned is None:
        return verdict("mismatch", f"trade name or industry differs ({a.core} vs {b.core})")
    a, b = aligned
    score = round(fuzz.ratio(a.key, b.key), 1)
    conflict = _region_conflict(a, b)
    if conflict:
        return verdict("mismatch", conflict)
    if a.branch != b.branch:
        if a.branch and b.branch:
            return verdict("mismatch", f"other branch ({a.branch} vs {b.branch})")
        return verdict(thresholds.branch_differs, "branch vs head office")
    if a.form != b.form:
        if a.form and b.form:
            return verdict(thresholds.legal_form_differs, f"same company, {a.form} vs {b.form}")
        return verdict(thresholds.legal_form_missing, "same company, legal form missing")
    return verdict("match", "same company" if a.raw != b.raw else "identical")
