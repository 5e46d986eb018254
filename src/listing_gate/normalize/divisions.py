"""The administrative-division table and region prefixes of names and addresses."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

__all__ = [
    "Division",
    "Region",
    "current_region",
    "current_town",
    "find_division",
    "parse_region_prefix",
    "possible_regions",
    "recorded_split",
    "region_of",
    "town_stem",
    "towns_without_district",
]

Level = Literal["province", "city", "county"]
_ORDER: dict[Level, int] = {"province": 0, "city": 1, "county": 2}

# Ethnic names inside autonomous-area names: "湘西土家族苗族自治州" is called 湘西.
_ETHNIC = re.compile(
    "(?:土家族|苗族|布依族|哈尼族|彝族|藏族|羌族|蒙古族|蒙古|傣族|景颇族|傈僳族|柯尔克孜|哈萨克|"
    "回族|侗族|壮族|瑶族|白族|纳西族|普米族|独龙族|怒族|拉祜族|佤族|布朗族|黎族|畲族|满族|"
    "达斡尔族|鄂温克族|鄂伦春族|锡伯族|撒拉族|土族|保安族|东乡族|积石山|仡佬族|水族|毛南族|"
    "仫佬族|各族|塔吉克|裕固族|维吾尔|朝鲜族|阿昌族|德昂族|基诺族|京族|门巴族|珞巴族|"
    "哈萨克族|塔吉克族|俄罗斯族|乌孜别克族|赫哲族|高山族)+$"
)
_SUFFIX: dict[Level, re.Pattern[str]] = {
    "province": re.compile("(?:省|市|自治区|特别行政区)$"),
    "city": re.compile("(?:市|地区|盟|自治州|新区)$"),
    "county": re.compile("(?:自治县|自治旗|林区|特区|新区|县|区|市|旗)$"),
}
_MIN_NAME = 2
# A bare place name that starts a road name is the road, not the place: 中山路, 南京东路.
_ROAD_AFTER = re.compile(r"[东西南北中]?[一二三四五六七八九十0-9]*(?:路|街|大道|道|巷|弄|里|桥)")
_TOWN_SUFFIX = re.compile(r"(?:街道办事处|街道|镇|乡)$")
# Beijing, Tianjin, Shanghai and Chongqing: the province is the city ("上海浦东").
_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division: its code, full name, short name, level and parent."""

    code: str
    name: str
    short: str
    level: Level
    parent: str | None


@dataclass(frozen=True, slots=True)
class Region:
    """Province, city and district (county level) as short names, any of them unknown."""

    province: str | None = None
    city: str | None = None
    district: str | None = None


def _short(name: str, level: Level) -> str:
    stem = _SUFFIX[level].sub("", name)
    if "自治" in name:
        # "内蒙古自治区" keeps 内蒙古: stripping 蒙古 would leave one character.
        bare = _ETHNIC.sub("", stem)
        stem = bare if len(bare) >= _MIN_NAME else stem
    return stem if len(stem) >= _MIN_NAME else name


@dataclass(frozen=True, slots=True)
class _Table:
    by_code: dict[str, Division]
    # name -> ((division, written_short), ...); full and short names share one dict so a
    # prefix needs one lookup per length.
    names: dict[str, tuple[tuple[Division, bool], ...]]
    # code -> the division and its parents, nearest first (and their codes)
    chains: dict[str, tuple[Division, ...]]
    chain_codes: dict[str, tuple[str, ...]]
    # first character -> lengths of the names starting with it, longest first
    lengths: dict[str, tuple[int, ...]]


def _read(name: str) -> Any:
    return json.loads(resources.files("listing_gate.data").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def _table() -> _Table:
    raw = _read("divisions.json")
    by_code: dict[str, Division] = {}
    for code, name in raw["provinces"]:
        by_code[code] = Division(code, name, _short(name, "province"), "province", None)
    for code, name, parent in raw["cities"]:
        by_code[code] = Division(code, name, _short(name, "city"), "city", parent)
    # Abolished divisions parse too (an old address names them); current_region says
    # where they are today. A child of an abolished city is listed after it.
    abolished = _read("division_changes.json")["abolished"]
    for code, name, parent in [*raw["counties"], *abolished]:
        # A county-level unit run by the province (济源市, 仙桃市) stands where a city would.
        level: Level = "county" if by_code[parent].level == "city" else "city"
        by_code[code] = Division(code, name, _short(name, level), level, parent)
    names: dict[str, list[tuple[Division, bool]]] = {}
    for division in by_code.values():
        names.setdefault(division.name, []).append((division, False))
        if division.short != division.name:
            names.setdefault(division.short, []).append((division, True))
    chains: dict[str, tuple[Division, ...]] = {}
    for division in by_code.values():
        chain = [division]
        while chain[-1].parent is not None:
            chain.append(by_code[chain[-1].parent])
        chains[division.code] = tuple(chain)
    return _Table(
        by_code=by_code,
        names={k: tuple(v) for k, v in names.items()},
        chains=chains,
        chain_codes={code: tuple(d.code for d in chain) for code, chain in chains.items()},
        lengths=_lengths_by_first_char(names),
    )


def _lengths_by_first_char(names: Iterable[str]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[0], set()).add(len(name))
    return {first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()}


def _ancestors(division: Division, table: _Table) -> tuple[Division, ...]:
    return table.chains[division.code]


def _short_allowed(division: Division, anchor: str | None) -> bool:
    # Names drop 省 and 市 freely ("广东深圳华强"), and county-level cities drop 市
    # ("义乌华鼎"). A bare district stem ("南山") is too often a trade name, unless it comes
    # right after its own city ("汕头澄海凯丰泽", "上海浦东": a municipality is its city).
    return (
        division.level != "county"
        or division.name.endswith("市")
        or anchor == division.parent
        or (anchor in _MUNICIPALITIES and division.parent == f"{anchor[:2]}0100")
    )


def _candidates(
    text: str, pos: int, found: list[Division], table: _Table
) -> tuple[list[Division], int]:
    """Return the divisions named at `pos` (the longest name that fits) and the name's length."""
    deepest = _ORDER[found[-1].level] if found else -1
    anchor = found[-1].code if found else None
    room = len(text) - pos
    for length in table.lengths.get(text[pos : pos + 1], ()):
        if length > room:
            continue
        entries = table.names.get(text[pos : pos + length])
        if not entries:
            continue
        fits = [
            d
            for d, written_short in entries
            if _ORDER[d.level] > deepest
            and (anchor is None or anchor in table.chain_codes[d.code])
            and not (
                written_short
                and (not _short_allowed(d, anchor) or _ROAD_AFTER.match(text, pos + length))
            )
        ]
        if len(fits) > 1:
            # "北京市" is the municipality and its one city: keep the outermost.
            codes = {d.code for d in fits}
            fits = [d for d in fits if codes.isdisjoint(table.chain_codes[d.code][1:])]
        if fits:
            return fits, length
    return [], 0


# Reached through the company and address parsers, for registry names and addresses
# above all (see parse_company); the region table is large, the prefixes few.
@lru_cache(maxsize=65536)
def parse_region_prefix(text: str) -> tuple[Region, int, tuple[str, ...]]:
    """Return the region at the start of `text`, how many characters it took, and each piece."""
    table = _table()
    found: list[Division] = []
    pieces: list[str] = []
    pos = 0
    while True:
        fits, length = _candidates(text, pos, found, table)
        if not fits:
            break
        ambiguous = fits
        pieces.append(text[pos : pos + length])
        pos += length
        if len(fits) > 1:
            # An ambiguous name ("海南" is a province and a prefecture of 青海): the next
            # name decides when it fits under one of them only ("海南儋州").
            fits = [d for d in fits if _candidates(text, pos, [*found, d], table)[0]]
        if len(fits) != 1:
            # Still ambiguous (鼓楼区 is in four cities): keep the name, not a parent.
            division = (fits or ambiguous)[0]
            return _region(found, division.short, division.level, table), pos, tuple(pieces)
        found.append(fits[0])
    return _region(found, None, None, table), pos, tuple(pieces)


def _region(found: list[Division], loose: str | None, level: Level | None, table: _Table) -> Region:
    by_level: dict[str, str] = {}
    if found:
        for division in _ancestors(found[-1], table):
            by_level.setdefault(division.level, division.short)
        if found[-1].level == "province" and found[-1].code in _MUNICIPALITIES:
            by_level.setdefault("city", found[-1].short)
    if loose is not None and level is not None:
        by_level[level] = loose
    return Region(by_level.get("province"), by_level.get("city"), by_level.get("county"))


def find_division(name: str, level: Level | None = None) -> tuple[Division, ...]:
    """Return the divisions called `name` (full or short name), optionally of one level."""
    entries = _table().names.get(name, ())
    return tuple(d for d, _ in entries if level is None or d.level == level)


# Bracketed place names in company names ("（深圳）") are few and recur in every registry.
@lru_cache(maxsize=4096)
def region_of(name: str) -> Region:
    """Return the region a bare division name stands for ("深圳" -> 广东/深圳), if unique.

    Unlike a prefix, a whole name may be a district's bare stem ("澄海" in
    "凯丰泽玩具（澄海）有限公司"): nothing else follows it that it could belong to.
    """
    region, consumed, _ = parse_region_prefix(name)
    if consumed == len(name):
        return region
    table = _table()
    divisions = {d.code: d for d, _ in table.names.get(name, ())}
    if len(divisions) != 1:
        return Region()
    return _region([*divisions.values()], None, None, table)


@lru_cache(maxsize=16384)
def town_stem(town: str) -> str:
    """Return a town name without 镇/乡/街道: a town turned into a 街道 keeps its name."""
    return _TOWN_SUFFIX.sub("", town) or town


_Move = tuple[frozenset[str] | None, Region]


@lru_cache(maxsize=1)
def _moves() -> dict[Region, tuple[_Move, ...]]:
    table = _table()
    moves: dict[Region, list[_Move]] = {}
    for move in _read("division_changes.json")["moves"]:
        source = _region([table.by_code[move["from"]]], None, None, table)
        target = _region([table.by_code[move["to"]]], None, None, table)
        towns = move.get("towns")
        stems = frozenset(town_stem(t) for t in towns) if towns else None
        moves.setdefault(source, []).append((stems, target))
    return {region: tuple(listed) for region, listed in moves.items()}


def current_region(region: Region, town: str | None) -> Region:
    """Return where a place written with ``region`` (and ``town``) belongs today.

    An address written before a merge or rename ("莱芜市莱城区", "余杭区塘栖镇") is the same
    place as one written after it ("济南市莱芜区", "临平区塘栖镇"): division_changes.json.
    """
    moves = _moves().get(region)
    if not moves:
        return region
    stem = town_stem(town) if town else None
    for towns, target in moves:
        if towns is None or (stem is not None and stem in towns):
            return target
    return region


def possible_regions(region: Region, town: str | None) -> tuple[Region, ...]:
    """Return where else a place may belong today when a move took only some towns.

    "余杭区" without its town may be in today's 余杭区 or, for the towns moved in 2021, in
    临平区; ``current_region`` gives the first, this the others. Empty when the town is
    known or no move took part of the division.
    """
    if town is not None:
        return ()
    moves = _moves().get(region, ())
    default = current_region(region, None)
    return tuple(dict.fromkeys(t for towns, t in moves if towns is not None and t != default))


@lru_cache(maxsize=1)
def _splits() -> frozenset[tuple[str | None, frozenset[str | None]]]:
    table = _table()
    splits: set[tuple[str | None, frozenset[str | None]]] = set()
    for move in _read("division_changes.json")["moves"]:
        if move.get("towns"):
            source = current_region(_region([table.by_code[move["from"]]], None, None, table), None)
            target = _region([table.by_code[move["to"]]], None, None, table)
            splits.add((target.city, frozenset((source.district, target.district))))
    return frozenset(splits)


def recorded_split(city: str, district: str, other: str) -> bool:
    """True when division_changes.json lists the towns one of two districts gave the other.

    Then a town it does not list stayed where it was (余杭区仓前街道 is not 临平区).
    """
    return (city, frozenset((district, other))) in _splits()


@lru_cache(maxsize=1)
def _town_merges() -> dict[tuple[Region, str], str]:
    table = _table()
    merges: dict[tuple[Region, str], str] = {}
    for merge in _read("division_changes.json")["town_merges"]:
        region = _region([table.by_code[merge["in"]]], None, None, table)
        for town in merge["from"]:
            merges[(region, town_stem(town))] = merge["to"]
    return merges


def current_town(region: Region, town: str | None) -> str | None:
    """Return the town a place of ``region`` written in ``town`` belongs to today.

    A town merged into another (中山 东升镇 -> 小榄镇 in 2021) is the same place as its
    successor: division_changes.json "town_merges". ``region`` is today's (current_region).
    """
    if town is None:
        return None
    return _town_merges().get((region, town_stem(town)), town)


@lru_cache(maxsize=1)
def _towns() -> dict[Region, tuple[str, ...]]:
    table = _table()
    towns = {
        _region([table.by_code[code]], None, None, table): set(city["towns"])
        for code, city in _read("towns.json")["cities"].items()
    }
    # A town merged away is still written bare in old addresses ("中山东升同茂大道").
    for region, stem in _town_merges():
        if region in towns:
            towns[region].add(stem)
    return {region: tuple(sorted(names, key=len, reverse=True)) for region, names in towns.items()}


def towns_without_district(region: Region) -> tuple[str, ...]:
    """Return the towns (longest first) of a city without districts (东莞), else ()."""
    if region.district is not None or region.city is None:
        return ()
    return _towns().get(Region(region.province, region.city, None), ())
