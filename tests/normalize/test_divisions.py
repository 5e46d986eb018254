"""The division table behind region prefixes."""

import json
from importlib import resources

import pytest

from listing_gate.normalize.divisions import (
    Region,
    current_region,
    find_division,
    parse_region_prefix,
    region_of,
)


@pytest.mark.parametrize(
    ("text", "region", "consumed"),
    [
        ("广东省深圳市南山区深南大道", Region("广东", "深圳", "南山"), 9),
        ("北京市朝阳区", Region("北京", "北京", "朝阳"), 6),
        ("重庆市渝中区", Region("重庆", "重庆", "渝中"), 6),
        ("吉林市船营区", Region("吉林", "吉林", "船营"), 6),
        ("湖北省仙桃市", Region("湖北", "仙桃", None), 6),
        ("内蒙古包头", Region("内蒙古", "包头", None), 5),
        ("广西南宁市", Region("广西", "南宁", None), 5),
        ("鼓楼区", Region(None, None, "鼓楼"), 3),
        ("福建省福州市鼓楼区", Region("福建", "福州", "鼓楼"), 9),
        ("中山路12号", Region(), 0),
        ("南京东路8号", Region(), 0),
        ("澄海凯丰泽", Region(), 0),
    ],
)
def test_region_prefix(text: str, region: Region, consumed: int) -> None:
    """Full and short names by level; municipalities; no bare district stem or road name."""
    assert parse_region_prefix(text)[:2] == (region, consumed)


def test_short_names_resolve_to_their_parents() -> None:
    """A city's short name tells its province."""
    assert region_of("深圳") == Region("广东", "深圳", None)
    assert region_of("东莞") == Region("广东", "东莞", None)
    assert region_of("不是地名") == Region()


def test_table_knows_every_level() -> None:
    """Provinces, prefecture cities and districts are all in the shipped table."""
    assert find_division("广东省", "province")
    assert find_division("东莞市", "city")
    assert find_division("澄海区", "county")


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("海南儋州那大镇", Region("海南", "儋州", None)),  # 海南 is also a prefecture of 青海
        ("海南共和县", Region("青海", "海南", "共和")),
        ("山东莱芜市莱城区", Region("山东", "莱芜", "莱城")),  # abolished in 2019, still parsed
    ],
)
def test_an_ambiguous_or_abolished_name_is_read_by_what_follows(text: str, region: Region) -> None:
    """The next name decides an ambiguous one; an abolished division still parses."""
    assert parse_region_prefix(text)[0] == region


@pytest.mark.parametrize(
    ("written", "town", "today"),
    [
        (Region("山东", "莱芜", "莱城"), None, Region("山东", "济南", "莱芜")),
        (Region("山东", "莱芜", None), None, Region("山东", "济南", None)),
        (Region("浙江", "杭州", "余杭"), "塘栖镇", Region("浙江", "杭州", "临平")),
        (Region("浙江", "杭州", "余杭"), "仓前街道", Region("浙江", "杭州", "余杭")),
        (Region("浙江", "杭州", "江干"), "下沙街道", Region("浙江", "杭州", "钱塘")),
        (Region("浙江", "杭州", "江干"), "凯旋街道", Region("浙江", "杭州", "上城")),
        (Region("浙江", "杭州", "临平"), "塘栖镇", Region("浙江", "杭州", "临平")),
    ],
)
def test_a_merged_or_renamed_division_is_read_as_today(
    written: Region, town: str | None, today: Region
) -> None:
    """division_changes.json moves a division, or only the towns it names, to its successor."""
    assert current_region(written, town) == today


def test_every_change_names_divisions_the_table_knows() -> None:
    """Each move's source and target resolve, so no change is silently ignored."""
    changes = json.loads(
        resources.files("listing_gate.data").joinpath("division_changes.json").read_text("utf-8")
    )
    for move in changes["moves"]:
        assert find_division(_name(move["from"], changes)), move
        assert move["source"], move


def _name(code: str, changes: dict[str, list[list[str]]]) -> str:
    abolished = {c: name for c, name, _ in changes["abolished"]}
    if code in abolished:
        return abolished[code]
    table = json.loads(
        resources.files("listing_gate.data").joinpath("divisions.json").read_text("utf-8")
    )
    return {c[0]: c[1] for c in (*table["cities"], *table["counties"])}[code]


def test_a_division_no_change_names_is_its_own_today() -> None:
    """Only the divisions division_changes.json moves are read as another; all others stay."""
    changes = json.loads(
        resources.files("listing_gate.data").joinpath("division_changes.json").read_text("utf-8")
    )
    moved = {move["from"] for move in changes["moves"]}
    table = json.loads(
        resources.files("listing_gate.data").joinpath("divisions.json").read_text("utf-8")
    )
    for code, name, _parent in table["counties"]:
        if code in moved:
            continue
        for division in find_division(name):
            if division.code == code:
                region = parse_region_prefix(division.name)[0]
                assert current_region(region, None) == region, name
                assert current_region(region, "某某镇") == region, name


def test_abolished_codes_never_shadow_current_ones() -> None:
    """An abolished division keeps a key of its own, even where its successor took its code."""
    changes = json.loads(
        resources.files("listing_gate.data").joinpath("division_changes.json").read_text("utf-8")
    )
    table = json.loads(
        resources.files("listing_gate.data").joinpath("divisions.json").read_text("utf-8")
    )
    current = {c[0] for c in (*table["provinces"], *table["cities"], *table["counties"])}
    abolished = [code for code, _name, _parent in changes["abolished"]]
    assert len(abolished) == len(set(abolished))
    assert current.isdisjoint(abolished)


def test_every_town_merge_names_a_division_the_table_knows() -> None:
    """Each merge's division resolves and each names its source, so none is silently ignored."""
    changes = json.loads(
        resources.files("listing_gate.data").joinpath("division_changes.json").read_text("utf-8")
    )
    for merge in changes["town_merges"]:
        assert find_division(_name(merge["in"], changes)), merge
        assert merge["from"], merge
        assert merge["to"] not in merge["from"], merge
        assert merge["source"], merge


@pytest.mark.parametrize(
    ("written", "town", "today"),
    [
        (Region("广东", "深圳", "宝安"), "民治街道", Region("广东", "深圳", "龙华")),
        (Region("广东", "深圳", "宝安"), "公明街道", Region("广东", "深圳", "光明")),
        (Region("广东", "深圳", "宝安"), "西乡街道", Region("广东", "深圳", "宝安")),
        (Region("浙江", "宁波", "鄞州"), "古林镇", Region("浙江", "宁波", "海曙")),
        (Region("浙江", "宁波", "鄞州"), "首南街道", Region("浙江", "宁波", "鄞州")),
        (Region("浙江", "宁波", "江东"), None, Region("浙江", "宁波", "鄞州")),
        (Region("天津", "天津", "塘沽"), None, Region("天津", "天津", "滨海")),
        (Region("山东", "青岛", "胶南"), None, Region("山东", "青岛", "黄岛")),
        (Region("浙江", "绍兴", "绍兴"), "孙端镇", Region("浙江", "绍兴", "越城")),
        (Region("浙江", "绍兴", "绍兴"), "柯桥街道", Region("浙江", "绍兴", "柯桥")),
        (Region("四川", "资阳", "简阳"), None, Region("四川", "成都", "简阳")),
    ],
)
def test_changes_since_2009_are_read_as_today(
    written: Region, town: str | None, today: Region
) -> None:
    """Renames, mergers and town moves of the big cities since about 2010 (the table's sources)."""
    assert current_region(written, town) == today


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("浙江省富阳市", Region("浙江", "杭州", "富阳")),
        ("江苏省吴江市", Region("江苏", "苏州", "吴江")),
        ("天津市塘沽区", Region("天津", "天津", "塘沽")),
        ("重庆市双桥区", Region("重庆", "重庆", "双桥")),
        ("河北省承德市双桥区", Region("河北", "承德", "双桥")),
        ("安徽省巢湖市居巢区", Region("安徽", "巢湖", "居巢")),
    ],
)
def test_an_abolished_name_still_parses(text: str, region: Region) -> None:
    """Old county-level cities, counties and districts parse, beside today's namesakes."""
    found, consumed, _pieces = parse_region_prefix(text)
    assert (found, consumed) == (region, len(text))


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("上海浦东", Region("上海", "上海", "浦东")),
        ("北京海淀", Region("北京", "北京", "海淀")),
        ("天津塘沽", Region("天津", "天津", "塘沽")),
        ("重庆渝北", Region("重庆", "重庆", "渝北")),
        ("重庆市江北区", Region("重庆", "重庆", "江北")),
        ("宁波江北", Region("浙江", "宁波", "江北")),
    ],
)
def test_a_municipality_district_may_follow_it_bare(text: str, region: Region) -> None:
    """A municipality is its own city: '上海浦东' names the district as '深圳南山' does."""
    found, consumed, _pieces = parse_region_prefix(text)
    assert (found, consumed) == (region, len(text))
