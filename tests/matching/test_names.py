"""Manufacturer names: the same company, a weak match, or another legal entity."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.matching.names import match_name
from listing_gate.matching.thresholds import MatchThresholds
from listing_gate.rules.policy import load_policy

_SHIPPED = MatchThresholds.from_mapping(load_policy().section("matching"))
_CODE_A = "91440300MA6UQGL475"
_CODE_B = "91330100MAAE02RW7D"


@pytest.mark.parametrize(
    ("listing", "registry"),
    [
        ("深圳市华强电子有限公司", "华强电子（深圳）有限公司"),
        ("鸿辉光电子（东莞）有限公司", "东莞市鸿辉光电子有限公司"),
        ("信鹏新能源(苏州)有限公司", "苏州市信鹏新能源有限公司"),
        ("佛山伟能实业有限公司", "佛山市伟能实业有限公司"),
        ("广东省深圳市华强电子有限公司", "深圳市华强电子有限公司"),
        ("深圳市華強電子有限公司", "深圳市华强电子有限公司"),
        ("公牛家装官方旗舰店（武汉市美雀商贸有限公司）", "武汉市美雀商贸有限公司"),
        ("华强电子有限公司", "深圳市华强电子有限公司"),  # no region on one side
        ("汕头市凯丰泽玩具实业有限公司", "汕头市澄海区凯丰泽玩具实业有限公司"),
        ("金华电器有限公司", "深圳市金华电器有限公司"),  # a trade name that is a city's name
        ("  深圳市华强电子有限公司 ", "深圳市华强电子有限公司"),
        ("凯丰泽玩具（澄海）有限公司", "汕头市澄海区凯丰泽玩具有限公司"),
        ("美雀商贸有限公司（公牛家装官方旗舰店）", "武汉市美雀商贸有限公司"),
        ("华强（集团）有限公司", "深圳市华强集团有限公司"),
        ("汕头澄海凯丰泽玩具实业有限公司", "汕头市澄海区凯丰泽玩具实业有限公司"),
        ("南山电子有限公司", "深圳市南山电子有限公司"),
    ],
)
def test_legal_variants_of_one_company_match(listing: str, registry: str) -> None:
    """Region prefix or brackets, 市 dropped, traditional characters, shop wrapper."""
    assert match_name(listing, registry, thresholds=_SHIPPED).verdict == "match"


@pytest.mark.parametrize(
    ("listing", "registry", "why", "sides"),
    [
        (
            "宁波市金鹏迅玩具有限公司",
            "宁波市金鹏迅玩具有限责任公司",
            "legal_form_differs",
            ("有限公司", "有限责任公司"),
        ),
        (
            "苏州市锦能家用电器有限责任公司",
            "苏州市锦能家用电器有限公司",
            "legal_form_differs",
            ("有限责任公司", "有限公司"),
        ),
        (
            "杭州市启明照明股份有限公司",
            "杭州市启明照明有限公司",
            "legal_form_differs",
            ("股份有限公司", "有限公司"),
        ),
        ("深圳市华强电子", "深圳市华强电子有限公司", "legal_form_missing", None),
        ("深圳市华强电子有限公司龙岗分公司", "深圳市华强电子有限公司", "branch_differs", None),
    ],
)
def test_same_core_with_another_form_is_weak(
    listing: str, registry: str, why: str, sides: tuple[str, str] | None
) -> None:
    """有限公司 vs 有限责任公司 is a distinct registered string: weak evidence, not proof."""
    result = match_name(listing, registry, thresholds=_SHIPPED)
    assert result.verdict == "weak"
    assert (result.why, result.sides) == (why, sides)


@pytest.mark.parametrize(
    ("listing", "registry", "why"),
    [
        ("深圳市华祥电子有限公司", "深圳市华强电子有限公司", "trade_name_differs"),
        ("深圳市华强电器有限公司", "深圳市华强电子有限公司", "trade_name_differs"),
        ("深圳市华强电子科技有限公司", "深圳市华强电子有限公司", "trade_name_differs"),
        ("东莞市华强电子有限公司", "深圳市华强电子有限公司", "other_city"),
        ("温州市晟鹏捷智能科技有限公司", "深圳市晟鹏捷智能科技有限公司", "other_city"),
        ("华强电子（东莞）有限公司", "深圳市华强电子有限公司", "other_city"),
        (
            "汕头市龙湖区凯丰泽玩具实业有限公司",
            "汕头市澄海区凯丰泽玩具实业有限公司",
            "other_district",
        ),
        ("广州市泰达拓科技有限公司", "东莞市永盛拓数码科技有限公司", "trade_name_differs"),
        ("东莞市南山电子有限公司", "深圳市南山电子有限公司", "other_city"),
        ("深圳市南山电子有限公司", "东莞市南山电子有限公司", "other_city"),
        ("东莞金华电器有限公司", "深圳金华电器有限公司", "other_city"),
        ("深圳市华强电子有限公司南山分公司", "深圳市华强电子有限公司龙岗分公司", "other_branch"),
        ("", "深圳市华强电子有限公司", "no_company_name"),
    ],
)
def test_another_legal_entity_is_a_mismatch(listing: str, registry: str, why: str) -> None:
    """One character of the trade name, another industry word or another city: another company."""
    result = match_name(listing, registry, thresholds=_SHIPPED)
    assert result.verdict == "mismatch"
    assert result.why == why


def test_high_fuzzy_score_does_not_hide_another_trade_name() -> None:
    """华强 vs 华祥 scores high and is still a mismatch."""
    result = match_name("深圳市华祥电子有限公司", "深圳市华强电子有限公司", thresholds=_SHIPPED)
    assert result.score >= 80
    assert result.verdict == "mismatch"


def test_equal_credit_codes_decide_over_the_names() -> None:
    """Valid, equal codes on both sides: the same entity whatever the names say."""
    result = match_name(
        "华强数码旗舰店",
        "深圳市华强电子有限公司",
        listing_credit_code=_CODE_A,
        registry_credit_code=_CODE_A,
        thresholds=_SHIPPED,
    )
    assert result.verdict == "match"


def test_different_credit_codes_decide_over_identical_names() -> None:
    """Valid, different codes: two entities, even with identical names."""
    result = match_name(
        "深圳市华强电子有限公司",
        "深圳市华强电子有限公司",
        listing_credit_code=_CODE_A,
        registry_credit_code=_CODE_B,
        thresholds=_SHIPPED,
    )
    assert (result.verdict, result.why) == ("mismatch", "credit_codes_differ")


def test_invalid_or_one_sided_credit_code_falls_back_to_names() -> None:
    """A code failing its check, or present on one side only, decides nothing."""
    broken = _CODE_A[:-1] + "0"
    names = ("深圳市华强电子有限公司", "华强电子（深圳）有限公司")
    assert (
        match_name(
            *names, listing_credit_code=broken, registry_credit_code=_CODE_B, thresholds=_SHIPPED
        ).verdict
        == "match"
    )
    assert match_name(*names, listing_credit_code=_CODE_A, thresholds=_SHIPPED).verdict == "match"


def test_policy_can_make_a_form_difference_a_mismatch() -> None:
    """The verdict for 有限公司 vs 有限责任公司 comes from the policy."""
    strict = dataclasses.replace(_SHIPPED, legal_form_differs="mismatch")
    result = match_name(
        "宁波市金鹏迅玩具有限公司", "宁波市金鹏迅玩具有限责任公司", thresholds=strict
    )
    assert result.verdict == "mismatch"


_NAME = st.sampled_from(
    [
        "深圳市华强电子有限公司",
        "华强电子（深圳）有限公司",
        "汕头市澄海区凯丰泽玩具实业有限公司",
        "宁波市金鹏迅玩具有限责任公司",
        "Anker Innovations Co., Ltd.",
    ]
)


@given(st.text())
def test_identical_inputs_match_with_full_score(name: str) -> None:
    """Any non-empty name matches itself; scores stay within 0-100."""
    result = match_name(name, name, thresholds=_SHIPPED)
    assert 0 <= result.score <= 100
    assert result.verdict == ("match" if result.score == 100 else "mismatch")


@given(_NAME, _NAME)
def test_scores_stay_in_range_and_verdicts_are_symmetric(a: str, b: str) -> None:
    """The verdict does not depend on which side is the listing."""
    left, right = match_name(a, b, thresholds=_SHIPPED), match_name(b, a, thresholds=_SHIPPED)
    assert 0 <= left.score <= 100
    assert left.verdict == right.verdict


@given(_NAME, st.sampled_from(["", " ", "\u3000"]))
def test_width_and_padding_do_not_change_the_verdict(name: str, pad: str) -> None:
    """Full-width brackets, half-width ones and padding are the same name."""
    other = f"{pad}{name.replace('（', '(').replace('）', ')')}{pad}"
    assert match_name(other, name, thresholds=_SHIPPED).verdict == "match"


@pytest.mark.parametrize(
    ("listing", "registry"),
    [
        ("APPLE INC", "Apple Inc."),
        ("Dyson Technology Ltd.", "Dyson Technology Limited"),
        ("SAMSUNG ELECTRONICS COMPANY LIMITED", "Samsung Electronics Co., Ltd."),
        ("ROBERT BOSCH POWER TOOLS GMBH", "Robert Bosch Power Tools GmbH"),
        ("Seb SA", "SEB S.A."),
        ("Lego System A/S", "LEGO System A/S"),
        ("Panasonic Corporation", "PANASONIC CORP."),
        ("Robert Bosch GmbH & Co. KG", "ROBERT BOSCH GMBH AND CO. KG"),
        ("株式会社村田製作所", "村田制作所株式会社"),
    ],
)
def test_a_foreign_name_matches_whatever_its_case_punctuation_and_form_spelling(
    listing: str, registry: str
) -> None:
    """Latin names compare without case or punctuation, with their legal form normalised."""
    result = match_name(listing, registry, thresholds=_SHIPPED)
    assert result.verdict == "match"


@pytest.mark.parametrize(
    ("listing", "registry", "verdict"),
    [
        ("Dysen Technology Ltd", "Dyson Technology Limited", "mismatch"),  # one letter of the name
        ("Samsung SDI Co., Ltd.", "Samsung Electronics Co., Ltd.", "mismatch"),  # a sister company
        ("Apple Corp", "Apple Inc.", "weak"),  # another legal form
        ("苹果公司", "Apple Inc.", "mismatch"),  # a Chinese rendering: at best uncertain
        ("戴森技术有限公司", "Dyson Technology Limited", "mismatch"),
    ],
)
def test_another_foreign_name_form_or_a_rendering_is_no_match(
    listing: str, registry: str, verdict: str
) -> None:
    """A letter of the name or another company is another entity; a rendering never matches."""
    assert match_name(listing, registry, thresholds=_SHIPPED).verdict == verdict


_WORD = st.from_regex(r"[A-Z][a-z]{2,8}", fullmatch=True)
_LIMITED = st.sampled_from(["Ltd.", "LTD", "Limited", "Co., Ltd.", "CO.,LTD", "Company Limited"])


@given(st.lists(_WORD, min_size=1, max_size=3), _LIMITED, _LIMITED, st.booleans())
def test_every_spelling_of_a_limited_company_is_one_form(
    words: list[str], one: str, other: str, upper: bool
) -> None:
    """Case and the spelling of "Limited" never make two names of one company differ."""
    core = " ".join(words)
    listing = f"{core} {one}".upper() if upper else f"{core} {one}"
    assert match_name(listing, f"{core} {other}", thresholds=_SHIPPED).verdict == "match"


@given(st.lists(_WORD, min_size=1, max_size=3), st.lists(_WORD, min_size=1, max_size=3), _LIMITED)
def test_two_foreign_trade_names_never_match(one: list[str], other: list[str], form: str) -> None:
    """Normalising forms and case never turns one trade name into another."""
    if [w.upper() for w in one] != [w.upper() for w in other]:
        result = match_name(
            f"{' '.join(one)} {form}", f"{' '.join(other)} {form}", thresholds=_SHIPPED
        )
        assert result.verdict == "mismatch"


@pytest.mark.parametrize(
    ("listing", "registry", "verdict", "why"),
    [
        ("Nestlé S.A.", "NESTLE SA", "match", "same_company"),
        ("BSH Hausgeräte GmbH", "BSH HAUSGERATE GMBH", "match", "same_company"),
        (
            "Bajaj Electricals Pvt. Ltd.",
            "Bajaj Electricals Private Limited",
            "match",
            "same_company",
        ),
        ("Husqvarna AB (publ)", "HUSQVARNA AB", "match", "same_company"),
        (
            "Beko Sp. z o.o.",
            "BEKO SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA",
            "match",
            "same_company",
        ),
        # ä written ae is likely one company, not provably (Bauer and Baur are two).
        ("BSH Hausgeräte GmbH", "BSH Hausgeraete GmbH", "weak", "spelling_differs"),
        ("Britax Roemer GmbH", "Britax Römer GmbH", "weak", "spelling_differs"),
        # A look-alike trade name stays another company, accents or not.
        ("JURA Elektrogeräte AG", "Jura Elektroapparate AG", "mismatch", "trade_name_differs"),
        ("Société BIC S.A.", "Société BIG S.A.", "mismatch", "trade_name_differs"),
    ],
)
def test_foreign_names_are_compared_without_accents(
    listing: str, registry: str, verdict: str, why: str
) -> None:
    """Accents fall away, ä written ae is a weak match, another trade name is another company."""
    result = match_name(listing, registry, thresholds=_SHIPPED)
    assert (result.verdict, result.why) == (verdict, why)


@given(
    st.sampled_from(["Hausgeräte", "Römer", "Küchen", "Wäsche"]), st.sampled_from(["GmbH", "AG"])
)
def test_an_umlaut_written_out_is_never_another_company(word: str, form: str) -> None:
    """ä, ae and a are one letter for matching: never a mismatch, never a plain match for ae."""
    written = word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    result = match_name(f"Nord {word} {form}", f"Nord {written} {form}", thresholds=_SHIPPED)
    assert result.verdict == "weak"
