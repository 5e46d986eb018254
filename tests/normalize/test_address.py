"""Addresses split into region, town and a normalised detail."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.address import parse_address, town_stem


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "广东省佛山市禅城区张槎街道南庄大道３０７号１３１４室",
            ("广东", "佛山", "禅城", "张槎街道", "南庄大道307号1314室"),
        ),
        ("佛山市顺德区伦教街道容桂大道94号", ("广东", "佛山", "顺德", "伦教街道", "容桂大道94号")),
        (
            "广东省东莞市虎门镇连升路244號1806室",
            ("广东", "东莞", None, "虎门镇", "连升路244号1806室"),
        ),
        ("浙江省宁波市镇海区庄市大道62号", ("浙江", "宁波", "镇海", None, "庄市大道62号")),
        (
            "中国广东省深圳市南山区深南大道九九八八号A座十二层",
            ("广东", "深圳", "南山", None, "深南大道9988号A栋12楼"),
        ),
        ("上海市浦东新区张江镇科苑路88号", ("上海", "上海", "浦东", "张江镇", "科苑路88号")),
        (
            "廣東省深圳市寶安區福永街道福海大道350號",
            ("广东", "深圳", "宝安", "福永街道", "福海大道350号"),
        ),
        (
            "深圳市南山区南头街道办事处学苑大道14号",
            ("广东", "深圳", "南山", "南头街道", "学苑大道14号"),
        ),
        ("中山路12号", (None, None, None, None, "中山路12号")),
        ("新镇路88号", (None, None, None, None, "新镇路88号")),
        ("江苏省苏州市虎丘区金山路371号3F", ("江苏", "苏州", "虎丘", None, "金山路371号3楼")),
        ("湖北省仙桃市郑场镇工业园一百零五号", ("湖北", "仙桃", None, "郑场镇", "工业园105号")),
    ],
)
def test_address_splits_into_its_levels(text: str, parts: tuple[str | None, ...]) -> None:
    """Province inferred from the city, 號, full width, Chinese numerals, 座 and 层 normalised."""
    address = parse_address(text)
    assert (address.province, address.city, address.district, address.town, address.detail) == parts


def test_town_and_subdistrict_of_one_name_share_a_stem() -> None:
    """A town that became a 街道 keeps its name."""
    assert town_stem("北滘镇") == town_stem("北滘街道") == "北滘"


@given(
    st.sampled_from(
        ["广东省佛山市禅城区张槎街道南庄大道307号1314室", "佛山市顺德区北滘镇新城路142号"]
    ),
    st.sampled_from(["", " ", "\u3000"]),
)
def test_width_and_padding_do_not_change_the_parse(text: str, pad: str) -> None:
    """Full-width digits and surrounding whitespace give the same parts."""
    wide = text.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    plain, other = parse_address(text), parse_address(f"{pad}{wide}{pad}")
    assert (other.city, other.district, other.town, other.detail) == (
        plain.city,
        plain.district,
        plain.town,
        plain.detail,
    )


@given(st.text())
def test_parsing_never_fails(text: str) -> None:
    """Any text parses; unknown shapes end up in the detail."""
    assert parse_address(text).raw == text


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("广东省中山市东升镇同茂工业大道18号", ("广东", "中山", None, "小榄", "同茂工业大道18号")),
        ("中山东升同茂工业大道18号", ("广东", "中山", None, "小榄", "同茂工业大道18号")),
        ("杭州市萧山区坎山镇工业路1号", ("浙江", "杭州", "萧山", "瓜沥", "工业路1号")),
        (
            "浙江省宁波市鄞州区古林镇薛家南路228号",
            ("浙江", "宁波", "海曙", "古林", "薛家南路228号"),
        ),
        ("江苏省吴江市松陵镇中山北路1号", ("江苏", "苏州", "吴江", "松陵", "中山北路1号")),
    ],
)
def test_an_old_town_or_district_is_read_as_today(text: str, parts: tuple[str | None, ...]) -> None:
    """A town merged into another, or written under its old district, parses as today's."""
    address = parse_address(text)
    town = town_stem(address.town) if address.town else None
    assert (address.province, address.city, address.district, town, address.detail) == parts


@given(st.sampled_from(["东升镇", "东升", "小榄镇", "小榄街道"]), st.sampled_from(["", "广东省"]))
def test_a_merged_town_parses_to_its_successor_however_written(town: str, province: str) -> None:
    """Old and new names of one town, with or without 镇 or the province, give one town."""
    assert town_stem(parse_address(f"{province}中山市{town}同茂路1号").town or "") == "小榄"
