"""Company names split into region, core, legal form and branch."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.company import parse_company


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("深圳市华强电子有限公司", ("广东", "深圳", None, "华强电子", "有限公司")),
        ("广东省深圳市华强电子有限公司", ("广东", "深圳", None, "华强电子", "有限公司")),
        ("华强电子（深圳）有限公司", ("广东", "深圳", None, "华强电子", "有限公司")),
        ("华强电子(深圳)有限公司", ("广东", "深圳", None, "华强电子", "有限公司")),
        ("深圳华强电子有限公司", ("广东", "深圳", None, "华强电子", "有限公司")),
        ("廣東省深圳市華強電子有限公司", ("广东", "深圳", None, "华强电子", "有限公司")),
        (
            "汕头市澄海区凯丰泽玩具实业有限公司",
            ("广东", "汕头", "澄海", "凯丰泽玩具实业", "有限公司"),
        ),
        ("义乌华鼎工贸有限公司", ("浙江", "金华", "义乌", "华鼎工贸", "有限公司")),
        ("北京小米电子产品有限公司", ("北京", "北京", None, "小米电子产品", "有限公司")),
        ("宁波市金鹏迅玩具有限责任公司", ("浙江", "宁波", None, "金鹏迅玩具", "有限责任公司")),
        ("厦门金龙汽车股份有限公司", ("福建", "厦门", None, "金龙汽车", "股份有限公司")),
        ("延边朝鲜族自治州长白山食品有限公司", ("吉林", "延边", None, "长白山食品", "有限公司")),
        ("华强玩具厂", (None, None, None, "华强玩具", "厂")),
        ("华强集团有限公司", (None, None, None, "华强集团", "有限公司")),
    ],
)
def test_name_splits_into_region_core_and_form(name: str, parts: tuple[str | None, ...]) -> None:
    """Region prefixes (with or without 市), bracketed regions and traditional characters."""
    parsed = parse_company(name)
    assert (parsed.province, parsed.city, parsed.district, parsed.core, parsed.form) == parts


def test_shop_name_wrapping_the_entity_gives_the_entity() -> None:
    """A shop name with the legal entity in brackets stands for the entity."""
    parsed = parse_company("公牛家装官方旗舰店（武汉市美雀商贸有限公司）")
    assert (parsed.city, parsed.core, parsed.form) == ("武汉", "美雀商贸", "有限公司")


def test_branch_stays_part_of_the_key() -> None:
    """A branch (分公司) is its own registration: its key differs from the head office's."""
    branch = parse_company("深圳市华强电子有限公司东莞分公司")
    head = parse_company("深圳市华强电子有限公司")
    assert branch.branch == "东莞分公司"
    assert branch.key != head.key


def test_branch_of_a_company_whose_name_holds_a_factory_word() -> None:
    """The head office is everything up to the last form before the branch."""
    parsed = parse_company("宁波市华强玩具厂有限公司北仑分公司")
    assert (parsed.core, parsed.form, parsed.branch) == ("华强玩具厂", "有限公司", "北仑分公司")


def test_index_cores_cover_a_trade_name_that_is_a_place() -> None:
    """A notice naming 深圳市金华电器 is found from a listing naming 金华电器, and back."""
    assert "金华电器" in parse_company("金华电器有限公司").index_cores
    assert parse_company("深圳市金华电器有限公司").index_cores == ("金华电器",)


def test_country_in_brackets_is_part_of_the_name() -> None:
    """(中国) marks another entity than the bare name, so it is not stripped as a region."""
    assert parse_company("西门子(中国)有限公司").key != parse_company("西门子有限公司").key


def test_road_named_after_a_city_is_not_a_region() -> None:
    """A trade name may begin with a city's name; the core keeps it recoverable."""
    parsed = parse_company("金华电器有限公司")
    assert parsed.core_with_prefix == "金华电器"


def test_whole_name_being_a_place_keeps_it_as_core() -> None:
    """A name that is only a region and a form keeps the region as its core."""
    assert parse_company("深圳市有限公司").core == "深圳市"


def test_latin_name_keeps_words_apart() -> None:
    """English names lose punctuation and case, not the spaces between words."""
    parsed = parse_company("Anker Innovations Co., Ltd.")
    assert (parsed.core, parsed.form) == ("ANKER INNOVATIONS", "CO LTD")
    assert parsed.key == parse_company("ANKER INNOVATIONS CO.,LTD").key


_NAMES = st.sampled_from(
    ["深圳市华强电子有限公司", "华强电子（深圳）有限公司", "汕头市澄海区凯丰泽玩具实业有限公司"]
)


@given(_NAMES, st.sampled_from(["", " ", "\u3000", "\t"]))
def test_width_and_padding_do_not_change_the_parse(name: str, pad: str) -> None:
    """Half-width brackets and surrounding whitespace give the same parts."""
    parsed = parse_company(name)
    other = parse_company(f"{pad}{name.replace('（', '(').replace('）', ')')}{pad}")
    assert (other.key, other.region) == (parsed.key, parsed.region)


_NAME_TEXT = st.text(alphabet=st.sampled_from("深圳市华强电子有限责任公司东莞澄海区()（）分 AB1"))


@given(_NAME_TEXT, st.sampled_from(["", " ", "\u3000", "\t"]))
def test_any_name_parses_the_same_in_either_width(text: str, pad: str) -> None:
    """Parsing never fails, and bracket width and padding never change the parts."""
    half = text.replace("（", "(").replace("）", ")")
    wide = text.replace("(", "（").replace(")", "）")
    parsed = parse_company(half)
    for other in (parse_company(wide), parse_company(f"{pad}{half}{pad}")):
        assert (other.key, other.region, other.branch) == (parsed.key, parsed.region, parsed.branch)


@pytest.mark.parametrize(
    ("name", "core", "form"),
    [
        ("Dyson Technology Ltd.", "DYSON TECHNOLOGY", "CO LTD"),
        ("Dyson Technology Limited", "DYSON TECHNOLOGY", "CO LTD"),
        ("SAMSUNG ELECTRONICS COMPANY LIMITED", "SAMSUNG ELECTRONICS", "CO LTD"),
        ("SEB S.A.", "SEB", "SA"),
        ("Lego System A/S", "LEGO SYSTEM", "AS"),
        ("Apple Inc.", "APPLE", "INC"),
        ("Panasonic Corporation", "PANASONIC", "CORP"),
        ("Robert Bosch GmbH & Co. KG", "ROBERT BOSCH", "GMBH CO KG"),
        ("株式会社村田製作所", "村田制作所", "株式会社"),
        ("Apple Inc. (USA)", "APPLE", "INC"),  # a note after the form is no part of the name
        ("Samsung Electronics (China) Co., Ltd.", "SAMSUNG ELECTRONICS CHINA", "CO LTD"),
        ("Limited", "LIMITED", None),  # a form alone is no name: it stays the core
    ],
)
def test_a_foreign_legal_form_is_read_in_any_spelling(
    name: str, core: str, form: str | None
) -> None:
    """Latin forms are normalised to one spelling; 株式会社 may begin or end a name."""
    parsed = parse_company(name)
    assert (parsed.core, parsed.form) == (core, form)


@pytest.mark.parametrize(
    ("name", "core", "form"),
    [
        # Accents and letters of other European alphabets fall away; the name stays Latin.
        ("Nestlé S.A.", "NESTLE", "SA"),
        ("Société BIC S.A.", "SOCIETE BIC", "SA"),
        ("BSH Hausgeräte GmbH", "BSH HAUSGERATE", "GMBH"),
        ("Britax Römer Kindersicherheit GmbH", "BRITAX ROMER KINDERSICHERHEIT", "GMBH"),
        ("Arçelik A.Ş.", "ARCELIK", "AS"),
        ("Ørsted A/S", "ORSTED", "AS"),
        ("Škoda Auto a.s.", "SKODA AUTO", "AS"),
        # Legal forms of the countries China imports consumer goods from.
        ("Beko Sp. z o.o.", "BEKO", "SP Z O O"),
        ("Pensonic Sdn. Bhd.", "PENSONIC", "SDN BHD"),
        ("Bajaj Electricals Pvt. Ltd.", "BAJAJ ELECTRICALS", "PTE LTD"),
        ("Havells India Private Limited", "HAVELLS INDIA", "PTE LTD"),
        ("Mabe S.A. de C.V.", "MABE", "SA DE CV"),
        ("Whirlpool do Brasil Ltda.", "WHIRLPOOL DO BRASIL", "LTDA"),
        ("Teka Industrial S.L.", "TEKA INDUSTRIAL", "SL"),
        ("Orbegozo S.L.U.", "ORBEGOZO", "SL"),
        ("Husqvarna AB (publ)", "HUSQVARNA", "AB"),
        ("Husqvarna Aktiebolag", "HUSQVARNA", "AB"),
        ("Kärcher SE & Co. KG", "KARCHER", "SE CO KG"),
        ("Henkel AG & Co. KGaA", "HENKEL", "AG CO KGAA"),
        ("Cybex GmbH & Co. KGaA", "CYBEX", "GMBH CO KGAA"),
        ("Stiga S.p.A.", "STIGA", "SPA"),
        ("Philips Consumer Lifestyle Besloten Vennootschap", "PHILIPS CONSUMER LIFESTYLE", "BV"),
        ("Godrej Appliances Limited Liability Company", "GODREJ APPLIANCES", "LLC"),
        ("Iris Ohyama Kabushiki Kaisha", "IRIS OHYAMA", "KK"),
        ("华强电子股份公司", "华强电子", "股份公司"),
        ("三星电子(Samsung)有限公司", "三星电子(SAMSUNG)", "有限公司"),  # CJK: not a Latin name
    ],
)
def test_a_foreign_name_with_accents_or_a_rarer_form_is_read(
    name: str, core: str, form: str | None
) -> None:
    """European letters lose their accents; the legal forms of many countries are known."""
    parsed = parse_company(name)
    assert (parsed.core, parsed.form) == (core, form)


_ACCENTED = st.sampled_from(["é", "è", "ê", "à", "ç", "ñ", "ó", "ô", "í", "ú", "ý", "š", "ž"])
_WORDS = st.lists(st.sampled_from(["Alpha", "Omega", "Delta", "Nord"]), min_size=1, max_size=3)


@given(_WORDS, _ACCENTED, st.sampled_from(["S.A.", "GmbH", "Sp. z o.o.", "Ltda.", "A/S"]))
def test_an_accent_never_changes_a_latin_name(words: list[str], accented: str, form: str) -> None:
    """A name with an accented letter parses as its plain spelling, legal form included."""
    plain = unicodedata.normalize("NFKD", accented)[0]
    name = " ".join([*words, f"Tr{accented}s"])
    parsed = parse_company(f"{name} {form}")
    other = parse_company(f"{name.replace(accented, plain)} {form}")
    assert (parsed.core, parsed.form) == (other.core, other.form)
    assert parsed.form is not None
