"""Addresses: the same place, the same area with another detail, or elsewhere."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.matching.addresses import match_address
from listing_gate.matching.thresholds import MatchThresholds
from listing_gate.rules.policy import load_policy

_SHIPPED = MatchThresholds.from_mapping(load_policy().section("matching"))


@pytest.mark.parametrize(
    ("listing", "registry"),
    [
        (
            "广东省佛山市禅城区张槎街道南庄大道３０７号１３１４室",
            "广东省佛山市禅城区张槎街道南庄大道307号1314室",
        ),
        ("佛山市顺德区伦教街道容桂大道94号", "广东省佛山市顺德区伦教街道容桂大道94号"),
        ("广东省东莞市虎门镇连升路244號1806室", "广东省东莞市虎门镇连升路244号1806室"),
        ("广东深圳南山区深南大道9988号", "广东省深圳市南山区深南大道9988号"),
        ("深圳市南山区深南大道九九八八号", "广东省深圳市南山区深南大道9988号"),
        ("深圳市南山区深南大道9988号", "广东省深圳市南山区粤海街道深南大道9988号A栋3楼"),
        ("福建省厦门市湖里区殿前街道悦华路63号", "福建省厦门市湖里区殿前街道悦华路63号"),
        ("佛山市顺德区北滘街道新城路142号", "广东省佛山市顺德区北滘镇新城路142号"),
        (
            "广东省佛山市禅城区南庄镇季华路141号6楼",
            "广东省佛山市禅城区南庄镇南庄紫洞工业区季华路141号",
        ),
        ("廣東省東莞市塘廈鎮平山工業區12棟", "广东省东莞市塘厦镇平山工业区12栋"),
        ("深圳市南山区深南大道9988号A座12层", "广东省深圳市南山区深南大道9988号A栋12楼"),
        ("广东省深圳市南山区深南大道9988", "广东省深圳市南山区深南大道9988号"),
        ("东莞市虎门镇连升路244号18楼1806室", "广东省东莞市虎门镇连升路244号1806室"),
        ("东莞市虎门镇连升路244号A栋1806", "广东省东莞市虎门镇连升路244号A栋1806室"),
        ("东莞市虎门镇连升路244号华强大厦1806室", "广东省东莞市虎门镇连升路244号1806室"),
        ("东莞市虎门镇连升路244#第3栋", "广东省东莞市虎门镇连升路244号3栋"),
    ],
)
def test_normal_variation_of_one_address_matches(listing: str, registry: str) -> None:
    """Province or 市 dropped, 號, full width, numerals, 座/层, a room on one side only."""
    assert match_address(listing, registry, thresholds=_SHIPPED).verdict == "match"


@pytest.mark.parametrize(
    ("listing", "registry", "why", "sides"),
    [
        (
            "浙江省宁波市鄞州区邱隘镇五乡西路99号",
            "浙江省杭州市萧山区衙前镇瓜港路88号",
            "other_city",
            ("宁波", "杭州"),
        ),
        (
            "广东省汕头市澄海区凤翔街道广益路114号",
            "浙江省宁波市镇海区庄市街道北环东路3386号",
            "other_province",
            ("广东", "浙江"),
        ),
        (
            "广东省广州市黄埔区云埔街道开创大道131号",
            "广东省广州市花都区花山镇狮岭大道204号",
            "other_district",
            ("黄埔", "花都"),
        ),
        (
            "广东省中山市南头镇南头大道170号E栋12楼",
            "广东省中山市黄圃镇兴圃大道114号A栋16楼",
            "other_town",
            ("南头镇", "黄圃镇"),
        ),
        (
            "佛山市南海区狮山镇广佛路143号",
            "广东省佛山市顺德区北滘镇广佛路143号",
            "other_district",
            ("南海", "顺德"),
        ),
        (
            "东莞市长安镇乌沙江贝路7381号",
            "广东省东莞市虎门镇乌沙江贝路7381号",
            "other_town",
            ("长安镇", "虎门镇"),
        ),
    ],
)
def test_another_city_district_or_town_is_a_mismatch(
    listing: str, registry: str, why: str, sides: tuple[str, str]
) -> None:
    """Elsewhere is a mismatch even when the street detail is the same."""
    result = match_address(listing, registry, thresholds=_SHIPPED)
    assert result.verdict == "mismatch"
    assert (result.why, result.sides) == (why, sides)


@pytest.mark.parametrize(
    ("listing", "registry", "why"),
    [
        (
            "广东省汕头市澄海区广益街道凤翔路216号",
            "广东省汕头市澄海区广益街道广益路270号",
            "other_road",
        ),
        ("广东省深圳市南山区深南大道998号", "广东省深圳市南山区深南大道9988号", "other_number"),
        (
            "广东省深圳市南山区深南大道9988号B栋",
            "广东省深圳市南山区深南大道9988号A栋",
            "other_unit",
        ),
        ("东莞市虎门镇连升路244号1806室", "广东省东莞市虎门镇连升路244号1807室", "other_unit"),
        ("广东省深圳市南山区", "广东省深圳市南山区深南大道9988号", "no_street_detail"),
        ("广东省东莞市大朗镇巷头工业区19栋", "广东省东莞市大朗镇松佛路393号", "number_one_side"),
        ("广东省东莞市大朗镇巷头工业区19栋", "广东省东莞市大朗镇巷头工业区18栋", "other_detail"),
    ],
)
def test_same_area_other_detail_is_uncertain(listing: str, registry: str, why: str) -> None:
    """Same district or town but another road, number, building or no detail: review."""
    result = match_address(listing, registry, thresholds=_SHIPPED)
    assert result.verdict == "uncertain"
    assert result.why == why


def test_missing_level_on_one_side_is_not_a_mismatch() -> None:
    """An address without its district is compared on the levels both sides name."""
    assert match_address(
        "广东省佛山市北滘镇新城路142号", "广东省佛山市顺德区北滘镇新城路142号", thresholds=_SHIPPED
    ).verdict == ("match")


_ADDRESS = st.sampled_from(
    [
        "广东省佛山市禅城区张槎街道南庄大道307号1314室",
        "广东省东莞市虎门镇连升路244号1806室",
        "浙江省宁波市镇海区庄市大道62号",
        "广东省汕头市澄海区澄华街道广益玩具工业区26栋",
    ]
)


@given(st.text())
def test_identical_inputs_never_mismatch(text: str) -> None:
    """An address is never elsewhere than itself; scores stay within 0-100."""
    result = match_address(text, text, thresholds=_SHIPPED)
    assert 0 <= result.score <= 100
    assert result.verdict != "mismatch"


@given(_ADDRESS, _ADDRESS)
def test_verdicts_are_symmetric(a: str, b: str) -> None:
    """The verdict does not depend on which side is the listing."""
    assert (
        match_address(a, b, thresholds=_SHIPPED).verdict
        == match_address(b, a, thresholds=_SHIPPED).verdict
    )


@given(_ADDRESS, st.sampled_from(["", " ", "\u3000"]))
def test_width_and_padding_do_not_change_the_verdict(address: str, pad: str) -> None:
    """Full-width digits and padding are the same address."""
    wide = address.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    assert match_address(f"{pad}{wide}{pad}", address, thresholds=_SHIPPED).verdict == "match"


@pytest.mark.parametrize(
    ("listing", "registry"),
    [
        # A district renamed or merged is the same place (division_changes.json).
        ("浙江省杭州市余杭区塘栖镇宏磊路58号", "浙江省杭州市临平区塘栖镇宏磊路58号"),
        ("浙江省杭州市临平区乔司街道永玄路88号", "杭州市余杭区乔司街道永玄路88号"),
        ("山东省莱芜市莱城区凤城街道鲁中东大街66号", "山东省济南市莱芜区凤城街道鲁中东大街66号"),
        ("山东省莱芜市钢城区艾山街道钢都大街8号", "山东省济南市钢城区艾山街道钢都大街8号"),
        ("杭州市江干区下沙街道福城路1号", "浙江省杭州市钱塘区下沙街道福城路1号"),
        ("上海市闸北区共和新路1号", "上海市静安区共和新路1号"),
        ("北京市宣武区广安门南街68号", "北京市西城区广安门南街68号"),
        ("江苏省苏州市平江区干将东路1号", "江苏省苏州市姑苏区干将东路1号"),
        # A city without districts: the town, written bare or with 镇, is the level below.
        ("东莞长安振安中路368号", "广东省东莞市长安镇振安中路368号"),
        ("海南儋州那大镇西联工业区2号", "海南省儋州市那大镇西联工业区2号"),
        ("中山市古镇中兴大道南88号", "广东省中山市古镇镇中兴大道南88号"),
        ("东莞市万江区新和路1号", "广东省东莞市万江街道新和路1号"),
    ],
)
def test_renamed_districts_and_bare_towns_are_the_same_place(listing: str, registry: str) -> None:
    """Old and new names of one district, and a town written without 镇, match."""
    assert match_address(listing, registry, thresholds=_SHIPPED).verdict == "match"
    assert match_address(registry, listing, thresholds=_SHIPPED).verdict == "match"


@pytest.mark.parametrize(
    ("listing", "registry", "why"),
    [
        # Only the towns that moved in 2021 went to 临平区; 仓前 stayed in 余杭区.
        (
            "浙江省杭州市临平区仓前街道文一西路1500号",
            "浙江省杭州市余杭区仓前街道文一西路1500号",
            "other_district",
        ),
        (
            "浙江省杭州市临平区东湖街道文一西路1500号",
            "浙江省杭州市余杭区仓前街道文一西路1500号",
            "other_district",
        ),
        (
            "山东省济南市钢城区颜庄街道鲁中东大街66号",
            "山东省莱芜市莱城区凤城街道鲁中东大街66号",
            "other_district",
        ),
        # Another town of a city without districts is another place, with or without 镇.
        ("东莞虎门振安中路368号", "广东省东莞市长安镇振安中路368号", "other_town"),
        ("广东省东莞市大岭山镇富民中路33号", "广东省东莞市大朗镇富民中路33号", "other_town"),
        ("广东省中山市小榄镇中兴大道南88号", "广东省中山市古镇镇中兴大道南88号", "other_town"),
        ("海南省儋州市白马井镇滨海大道168号", "海南省儋州市那大镇中兴大街168号", "other_town"),
        ("甘肃省嘉峪关市峪泉镇工业区6号", "甘肃省嘉峪关市新城镇工业区6号", "other_town"),
    ],
)
def test_another_district_after_a_merge_or_another_town_is_elsewhere(
    listing: str, registry: str, why: str
) -> None:
    """A merge moves only what it names; a town of a city without districts is a place."""
    result = match_address(listing, registry, thresholds=_SHIPPED)
    assert (result.verdict, result.why) == ("mismatch", why)


@pytest.mark.parametrize(
    ("listing", "registry"),
    [
        ("浙江省杭州市余杭区塘栖工业园区宏磊路58号", "浙江省杭州市临平区塘栖镇宏磊路58号"),
        ("浙江省杭州市临平区宏磊路58号", "浙江省杭州市余杭区宏磊路58号"),
    ],
)
def test_a_split_district_without_its_town_is_uncertain(listing: str, registry: str) -> None:
    """余杭区 without a town may be in 临平区 since 2021: possible, not provable."""
    result = match_address(listing, registry, thresholds=_SHIPPED)
    assert (result.verdict, result.why) == ("uncertain", "district_split")
