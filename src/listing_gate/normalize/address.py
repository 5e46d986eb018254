"""Postal addresses: region, town and a normalised street detail."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from listing_gate.normalize.divisions import (
    Region,
    current_region,
    current_town,
    parse_region_prefix,
    possible_regions,
    town_stem,
    towns_without_district,
)
from listing_gate.normalize.text import fold, to_simplified

__all__ = ["Address", "parse_address", "town_stem"]

_COUNTRY = re.compile(r"^(?:中华人民共和国|中国)")
# A town-level unit right after the region: 镇, 乡 or 街道 (not 新镇路, which is a road;
# 古镇镇 is the town 古镇).
_TOWN = re.compile(
    r"(?P<town>[\u4e00-\u9fff]{1,8}?(?:街道办事处|街道|镇|乡))(?![路街道巷弄桥镇]|大道|大街)"
)
# What may follow a bare town name of a city without districts ("东莞长安", "东莞万江区").
_BARE_TOWN_SUFFIX = re.compile(r"(?:街道办事处|街道|办事处|镇|区)?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# Chinese numerals only where they count something (号, 栋, 楼 ...): "十里河路" stays.
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+(?=号|栋|幢|座|楼|层|室|单元|弄|巷|期)")
# One pass over the unit words: 幢/座/号楼 are buildings (栋), 层/F floors (楼), 房 rooms (室);
# "88#" is 88号 (and "3#厂房" is 3号厂房); "第3栋" is 3栋; punctuation and brackets go.
_UNIT_WORDS = {"幢": "栋", "座": "栋", "号楼": "栋", "层": "楼", "F": "楼", "房": "室", "#": "号"}
_UNIT = re.compile(r"(?<=[0-9A-Z])(?:幢|座|号楼)|(?<=[0-9])(?:层|F|房|#)|第(?=[0-9])|[\s,.;:()]+")
# A house number straight after the road, without 号 ("深南大道9988"): the 号 is implied.
_BARE_NUMBER = re.compile(r"(?<=[路道街巷弄])([0-9]+(?:-[0-9]+)?)(?![0-9号-])")


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed address; any part may be unknown (None)."""

    raw: str
    province: str | None
    city: str | None
    district: str | None
    town: str | None
    detail: str | None
    # Where else the place may be today: a district a merge took only some towns of,
    # written without its town ("杭州市余杭区…" may now be in 临平区).
    elsewhere: tuple[Region, ...] = ()


def _cn_int(numeral: str) -> int:
    if not any(c in _CN_UNITS for c in numeral):
        # Digit by digit: 一〇五 is 105.
        return int("".join(str(_CN_DIGITS[c]) for c in numeral))
    total, digit = 0, 0
    for char in numeral:
        if char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            digit = _CN_DIGITS[char]
    return total + digit


def _detail(text: str) -> str | None:
    text = _CN_NUMBER.sub(lambda m: str(_cn_int(m.group(0))), text)
    text = _UNIT.sub(lambda m: _UNIT_WORDS.get(m.group(0), ""), text)
    text = _BARE_NUMBER.sub(r"\1号", text)
    return text or None


def _bare_town(rest: str, towns: tuple[str, ...]) -> tuple[str, str] | None:
    for town in towns:
        if rest.startswith(town):
            suffix = _BARE_TOWN_SUFFIX.match(rest, len(town))
            end = suffix.end() if suffix else len(town)
            return town, rest[end:]
    return None


# Pays for registry values: a credential party's address is compared with every listing
# that shows the credential. A listing's own address is parsed once per decision.
@lru_cache(maxsize=65536)
def parse_address(text: str) -> Address:
    """Return the parts of an address; parsing never fails (an unknown shape is all detail).

    The region is today's: an address written before a district merge or rename names
    its successor (normalize.divisions.current_region).
    """
    canonical = _COUNTRY.sub("", "".join(to_simplified(fold(text)).upper().split()))
    region, consumed, _ = parse_region_prefix(canonical)
    rest = canonical[consumed:]
    town: str | None = None
    match = _TOWN.match(rest)
    if match:
        town = match["town"].removesuffix("办事处")
        rest = rest[match.end() :]
    elif bare := _bare_town(rest, towns_without_district(region)):
        # In a city without districts the town is the next level, written bare or not.
        town, rest = bare
    elsewhere = possible_regions(region, town)
    region = current_region(region, town)
    town = current_town(region, town)
    return Address(
        raw=text,
        province=region.province,
        city=region.city,
        district=region.district,
        town=town,
        detail=_detail(rest),
        elsewhere=elsewhere,
    )
