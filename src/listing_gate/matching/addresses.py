"""Whether the address a listing gives is the registry party's address, and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from listing_gate.matching.levels import level_conflict
from listing_gate.matching.memo import Memo
from listing_gate.matching.thresholds import MatchThresholds
from listing_gate.normalize.address import Address, parse_address, town_stem
from listing_gate.normalize.divisions import recorded_split

__all__ = ["AddressMatch", "AddressWhy", "match_address", "match_place"]

AddressVerdict = Literal["match", "uncertain", "mismatch"]
# Why a verdict was reached (texts.json "address_match" words each).
AddressWhy = Literal[
    "other_province",
    "other_city",
    "other_district",
    "other_town",
    "district_split",
    "district_renamed",
    "no_street_detail",
    "other_road",
    "other_number",
    "other_unit",
    "number_one_side",
    "other_detail",
    "same_place",
    "same_place_written_differently",
]
# Pays for pairs met again across decisions, as the name verdicts do (matching.names).
_VERDICTS: Memo[tuple[str, str, MatchThresholds], AddressMatch] = Memo(65536)
_OTHER_PLACE: dict[str, AddressWhy] = {
    "province": "other_province",
    "city": "other_city",
    "district": "other_district",
}

# Road + house number, then whatever follows (building, floor, room).
_STREET = re.compile(r"^(?P<road>.*?)(?P<number>\d+(?:-\d+)?)号(?P<rest>.*)$")
_ROAD_END = re.compile(r"(?:路|道|街|巷|弄|胡同|公路|大道|大街)$")
_DIGITS = re.compile(r"\d+")
_UNITS = (
    ("building", re.compile(r"([0-9A-Z]+)栋")),
    ("unit", re.compile(r"([0-9]+)单元")),
    ("floor", re.compile(r"([0-9]+)楼")),
    ("room", re.compile(r"([0-9]+)室")),
)
# "A栋1201": a bare number of three or more digits after a building or floor is the room.
_BARE_ROOM = re.compile(r"(?<=[栋楼])([0-9]{3,})$")


@dataclass(frozen=True, slots=True)
class AddressMatch:
    """The verdict on two addresses, with a 0-100 similarity for the explanation."""

    verdict: AddressVerdict
    score: float
    listing_value: str
    registry_value: str
    why: AddressWhy
    # The two places that differ, the listing's first, where ``why`` names another place.
    sides: tuple[str, str] | None = None


def _place_conflict(a: Address, b: Address) -> tuple[AddressWhy, tuple[str, str]] | None:
    conflict = level_conflict(a, b, ("province", "city", "district"))
    if conflict is not None:
        level, left, right = conflict
        return _OTHER_PLACE[level], (left, right)
    if a.town and b.town and not _same_town(a.town, b.town):
        return "other_town", (a.town, b.town)
    return None


def _maybe_moved(a: Address, b: Address) -> bool:
    levels = ("province", "city", "district")
    return any(level_conflict(r, b, levels) is None for r in a.elsewhere) or any(
        level_conflict(a, r, levels) is None for r in b.elsewhere
    )


def _same_place_other_district(
    a: Address, b: Address, why: AddressWhy, thresholds: MatchThresholds
) -> bool:
    # Both sides must name the city, the town and the street: another town or a street
    # that differs is another place, and a district named without its city proves nothing.
    # Where the table lists the towns one district gave the other, the rest stayed.
    return (
        why == "other_district"
        and a.city is not None
        and a.city == b.city
        and a.district is not None
        and b.district is not None
        and not recorded_split(a.city, a.district, b.district)
        and a.town is not None
        and b.town is not None
        and _same_town(a.town, b.town)
        and a.detail is not None
        and b.detail is not None
        and _compare_detail(a.detail, b.detail, thresholds)[0] == "match"
    )


def _same_town(a: str, b: str) -> bool:
    # 长安镇 and 长安街道 are one town renamed; 古镇镇 is written 古镇 ("中山古镇中兴大道").
    left, right = town_stem(a), town_stem(b)
    return right in (left, a) or left == b


def _same_road(left: str, right: str) -> bool:
    if left == right:
        return True
    # "南庄紫洞工业区季华路" and "季华路" name one road; the shorter must be a road name.
    short, long_ = sorted((left, right), key=len)
    return bool(short) and long_.endswith(short) and bool(_ROAD_END.search(short))


def _units(rest: str) -> dict[str, str]:
    found = {kind: m.group(1) for kind, pattern in _UNITS if (m := pattern.search(rest))}
    if "room" not in found and (bare := _BARE_ROOM.search(rest)):
        found["room"] = bare.group(1)
    return found


def _compatible_rest(left: str, right: str) -> bool:
    # After the same road and number: a building, floor or room written on one side only is
    # normal ("1806室" vs "18楼1806室"); two different ones are not.
    if left.startswith(right) or right.startswith(left):
        return True
    a, b = _units(left), _units(right)
    return all(a[kind] == b[kind] for kind in a.keys() & b.keys())


# Pays for registry values: a party's street detail is split again for every listing that
# names the party.
@lru_cache(maxsize=65536)
def _street(detail: str) -> re.Match[str] | None:
    return _STREET.match(detail)


# A ladder of early returns, one per way two details differ, reads better than nesting.
def _compare_detail(  # noqa: PLR0911
    a: str, b: str, thresholds: MatchThresholds
) -> tuple[AddressVerdict, AddressWhy]:
    sa, sb = _street(a), _street(b)
    if sa and sb:
        if not _same_road(sa["road"], sb["road"]):
            return "uncertain", "other_road"
        if sa["number"] != sb["number"]:
            return "uncertain", "other_number"
        if _compatible_rest(sa["rest"], sb["rest"]):
            return "match", "same_place"
        return "uncertain", "other_unit"
    if sa or sb:
        return "uncertain", "number_one_side"
    if _compatible_rest(a, b) and _DIGITS.findall(a) == _DIGITS.findall(b):
        return "match", "same_place"
    if (
        _DIGITS.findall(a) == _DIGITS.findall(b)
        and fuzz.ratio(a, b) >= thresholds.address_detail_min_score
    ):
        return "match", "same_place_written_differently"
    return "uncertain", "other_detail"


def match_address(listing: str, registry: str, *, thresholds: MatchThresholds) -> AddressMatch:
    """Return match, uncertain or mismatch for a listed address against a registry address."""
    return match_place(parse_address(listing), parse_address(registry), thresholds=thresholds)


def match_place(
    listing: Address, registry: Address, *, thresholds: MatchThresholds
) -> AddressMatch:
    """Return the verdict on two addresses as ``parse_address`` gives them (parsed once each)."""
    key = (listing.raw, registry.raw, thresholds)
    match = _VERDICTS.get(key)
    if match is None:
        match = _VERDICTS.put(key, _compare(listing, registry, thresholds))
    return match


def _compare(listing: Address, registry: Address, thresholds: MatchThresholds) -> AddressMatch:
    a, b = listing, registry
    score = round(fuzz.ratio(_local(a), _local(b)), 1) if a.detail and b.detail else 0.0

    def verdict(
        v: AddressVerdict, why: AddressWhy, sides: tuple[str, str] | None = None
    ) -> AddressMatch:
        return AddressMatch(v, score, a.raw, b.raw, why, sides)

    conflict = _place_conflict(a, b)
    if conflict and _maybe_moved(a, b):
        # One side names a district a merge took only some towns of, without its town:
        # the same place is possible, not provable.
        return verdict("uncertain", "district_split", conflict[1])
    if conflict and _same_place_other_district(a, b, conflict[0], thresholds):
        # No table holds every rename and merge: one town and one street under two
        # districts of one city is most likely one place under its old and new names.
        return verdict("uncertain", "district_renamed", conflict[1])
    if conflict:
        return verdict("mismatch", *conflict)
    if not a.detail or not b.detail:
        return verdict("uncertain", "no_street_detail")
    return verdict(*_compare_detail(a.detail, b.detail, thresholds))


def _local(address: Address) -> str:
    return f"{town_stem(address.town) if address.town else ''}{address.detail or ''}"
