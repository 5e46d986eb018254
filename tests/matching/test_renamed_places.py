"""Places renamed or merged since a record was issued: the table, and the rule beyond it."""

import json
from functools import cache
from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.matching.addresses import match_address
from listing_gate.matching.thresholds import MatchThresholds
from listing_gate.rules.policy import load_policy

_SHIPPED = MatchThresholds.from_mapping(load_policy().section("matching"))
# A town no change in the table names: what a whole-division move carries along.
_OTHER_TOWN = "东风街道"


def _data(name: str) -> Any:
    return json.loads(resources.files("listing_gate.data").joinpath(name).read_text("utf-8"))


@cache
def _names() -> dict[str, tuple[str, str | None]]:
    """Code -> (name, parent code), current and abolished divisions alike."""
    table = _data("divisions.json")
    names: dict[str, tuple[str, str | None]] = {code: (n, None) for code, n in table["provinces"]}
    for code, name, parent in (*table["cities"], *table["counties"]):
        names[code] = (name, parent)
    for code, name, parent in _data("division_changes.json")["abolished"]:
        names[code] = (name, parent)
    return names


def _written(code: str) -> str:
    """The division as a full address prefix: 广东省深圳市宝安区."""
    parts: list[str] = []
    current: str | None = code
    while current is not None:
        name, current = _names()[current]
        if not parts or parts[0] != name:  # 北京市 is the province and its one city
            parts.insert(0, name)
    return "".join(parts)


def _moves() -> list[tuple[str, str, str]]:
    """(old prefix, new prefix, town) for every move of division_changes.json."""
    changes = _data("division_changes.json")
    moves = [
        (_written(m["from"]), _written(m["to"]), town)
        for m in changes["moves"]
        for town in m.get("towns") or [_OTHER_TOWN]
    ]
    for merge in changes["town_merges"]:
        place = _written(merge["in"])
        moves.extend((place, place, f"{town}>{merge['to']}") for town in merge["from"])
    return moves


def _towns(town: str) -> tuple[str, str]:
    old, _, new = town.partition(">")
    return old, new or old


@given(
    st.sampled_from(_moves()),
    st.sampled_from(["建设路", "工业大道南", "民康路"]),
    st.integers(1, 999),
)
def test_every_change_in_the_table_is_the_same_place(
    move: tuple[str, str, str], road: str, number: int
) -> None:
    """An address written before a rename, merge or town move matches the one after it."""
    old, new, town = move
    old_town, new_town = _towns(town)
    before = f"{old}{old_town}{road}{number}号"
    after = f"{new}{new_town}{road}{number}号"
    assert match_address(before, after, thresholds=_SHIPPED).verdict == "match", (before, after)
    assert match_address(after, before, thresholds=_SHIPPED).verdict == "match", (after, before)


@pytest.mark.parametrize(
    ("listing", "registry"),
    [
        # 深圳 2016: 民治 went from 宝安 to 龙华; 2018: 公明 from 宝安 to 光明.
        ("广东省深圳市宝安区民治街道民康路113号", "广东省深圳市龙华区民治街道民康路113号"),
        ("深圳市宝安区公明街道松白路1号", "广东省深圳市光明区公明街道松白路1号"),
        # 宁波 2016: 古林镇 from 鄞州 to 海曙, and 江东区 abolished into 鄞州.
        ("浙江省宁波市鄞州区古林镇薛家南路228号", "浙江省宁波市海曙区古林镇薛家南路228号"),
        ("宁波市江东区百丈街道中山东路1号", "浙江省宁波市鄞州区百丈街道中山东路1号"),
        # County-level cities and counties turned districts, written with or without 市.
        ("浙江省富阳市银湖街道金鼎路1号", "浙江省杭州市富阳区银湖街道金鼎路1号"),
        ("江苏省吴江市松陵镇中山北路1号", "江苏省苏州市吴江区松陵街道中山北路1号"),
        ("广州市增城市新塘镇港口大道1号", "广东省广州市增城区新塘镇港口大道1号"),
        ("上海市崇明县城桥镇八一路1号", "上海市崇明区城桥镇八一路1号"),
        ("天津市塘沽区新港街道新港二号路1号", "天津市滨海新区新港街道新港二号路1号"),
        ("山东省胶南市珠海街道海滨路1号", "山东省青岛市黄岛区珠海街道海滨路1号"),
        ("四川省资阳市简阳市射洪坝街道1号", "四川省成都市简阳市射洪坝街道1号"),
        ("安徽省巢湖市居巢区半汤街道1号", "安徽省合肥市巢湖市半汤街道1号"),
        # 中山 2021: 东升镇 merged into 小榄镇, written with or without 镇.
        ("广东省中山市东升镇同茂工业大道18号", "广东省中山市小榄镇同茂工业大道18号"),
        ("中山东升同茂工业大道18号", "广东省中山市小榄镇同茂工业大道18号"),
    ],
)
def test_well_known_renames_are_the_same_place(listing: str, registry: str) -> None:
    """Addresses as sellers and old records write them, before and after the change."""
    assert match_address(listing, registry, thresholds=_SHIPPED).verdict == "match"


@pytest.mark.parametrize(
    ("listing", "registry"),
    [
        # No change in the table relates these districts, yet town and street agree.
        ("广东省深圳市南山区西乡街道宝源路88号", "广东省深圳市宝安区西乡街道宝源路88号"),
        ("杭州市西湖区转塘街道之江路1号", "浙江省杭州市上城区转塘街道之江路1号"),
        ("佛山市南海区北滘镇新城路142号", "广东省佛山市顺德区北滘镇新城路142号"),
    ],
)
def test_one_town_and_street_under_two_districts_is_uncertain(listing: str, registry: str) -> None:
    """Plausibly one place under an old and a new district name: review, not block or allow."""
    result = match_address(listing, registry, thresholds=_SHIPPED)
    assert (result.verdict, result.why) == ("uncertain", "district_renamed")


@pytest.mark.parametrize(
    ("listing", "registry", "why"),
    [
        # Another town: 福永 stayed in 宝安, 民治 went to 龙华.
        (
            "深圳市宝安区福永街道民康路113号",
            "广东省深圳市龙华区民治街道民康路113号",
            "other_district",
        ),
        ("佛山市南海区狮山镇广佛路143号", "广东省佛山市顺德区北滘镇广佛路143号", "other_district"),
        # The same town but another street.
        (
            "广东省深圳市南山区西乡街道宝源路88号",
            "广东省深圳市宝安区西乡街道宝安大道88号",
            "other_district",
        ),
        # No town on one side, or no city to say the two districts are of one city.
        ("广东省深圳市南山区宝源路88号", "广东省深圳市宝安区西乡街道宝源路88号", "other_district"),
        ("南山区西乡街道宝源路88号", "广东省深圳市宝安区西乡街道宝源路88号", "other_district"),
        # The table lists the towns 鄞州 gave 海曙 and 宝安 gave 龙华: the others stayed.
        (
            "宁波市海曙区首南街道天童南路588号",
            "浙江省宁波市鄞州区首南街道天童南路588号",
            "other_district",
        ),
        (
            "深圳市龙华区西乡街道宝源路88号",
            "广东省深圳市宝安区西乡街道宝源路88号",
            "other_district",
        ),
        # Another city is never a rename.
        (
            "浙江省宁波市鄞州区邱隘镇五乡西路99号",
            "浙江省杭州市萧山区邱隘镇五乡西路99号",
            "other_city",
        ),
        # A town of a city without districts: 东升 merged into 小榄, 古镇 did not.
        ("广东省中山市古镇镇同茂工业大道18号", "广东省中山市小榄镇同茂工业大道18号", "other_town"),
    ],
)
def test_another_town_street_or_city_stays_a_mismatch(
    listing: str, registry: str, why: str
) -> None:
    """The rule beyond the table never turns a real other place into a review."""
    result = match_address(listing, registry, thresholds=_SHIPPED)
    assert (result.verdict, result.why) == ("mismatch", why)


@cache
def _districts() -> list[tuple[str, str, str, bool]]:
    """(city prefix, district, district, whether the table lists towns one gave the other).

    Every ordered pair of current districts of a few big cities.
    """
    table = _data("divisions.json")
    cities = {"440300", "440100", "330100", "330200", "510100", "320500", "320200"}
    by_city: dict[str, list[tuple[str, str]]] = {}
    for code, name, parent in table["counties"]:
        if parent in cities and name.endswith("区"):
            by_city.setdefault(parent, []).append((code, name))
    moves = _data("division_changes.json")["moves"]
    # An abolished district that gave towns away is its successor today (江干 -> 上城).
    whole = {m["from"]: m["to"] for m in moves if not m.get("towns")}
    split = {frozenset((whole.get(m["from"], m["from"]), m["to"])) for m in moves if m.get("towns")}
    return [
        (_written(city), a, b, frozenset((code_a, code_b)) in split)
        for city, names in by_city.items()
        for code_a, a in names
        for code_b, b in names
        if a != b
    ]


@given(st.sampled_from(_districts()), st.sampled_from(["宝源路", "文三路"]), st.integers(1, 99))
def test_two_districts_of_one_city_depend_on_town_and_street(
    pair: tuple[str, str, str, bool], road: str, number: int
) -> None:
    """One town and street: uncertain unless the table lists what moved; another town: elsewhere."""
    city, a, b, recorded = pair
    same = match_address(
        f"{city}{a}{_OTHER_TOWN}{road}{number}号",
        f"{city}{b}{_OTHER_TOWN}{road}{number}号",
        thresholds=_SHIPPED,
    )
    assert same.verdict == ("mismatch" if recorded else "uncertain")
    other = match_address(
        f"{city}{a}{_OTHER_TOWN}{road}{number}号",
        f"{city}{b}红旗镇{road}{number}号",
        thresholds=_SHIPPED,
    )
    assert other.verdict == "mismatch"


@pytest.mark.parametrize(
    ("listing", "registry", "verdict"),
    [
        ("上海浦东张江镇科苑路88号", "上海市浦东新区张江镇科苑路88号", "match"),
        ("上海浦东科苑路88号", "上海市闵行区科苑路88号", "mismatch"),
        ("重庆渝北龙溪街道新溉大道1号", "重庆市渝北区龙溪街道新溉大道1号", "match"),
        ("重庆市江北区观音桥街道建新北路1号", "重庆市渝中区解放碑街道民族路1号", "mismatch"),
    ],
)
def test_a_municipality_district_written_bare_is_compared(
    listing: str, registry: str, verdict: str
) -> None:
    """'上海浦东' is the district 浦东新区: the same place, or another district than 闵行区."""
    assert match_address(listing, registry, thresholds=_SHIPPED).verdict == verdict
