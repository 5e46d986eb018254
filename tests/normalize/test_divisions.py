"""The division table behind region prefixes."""

import pytest

from listing_gate.normalize.divisions import Region, find_division, parse_region_prefix, region_of


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
