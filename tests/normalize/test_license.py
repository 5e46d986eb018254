"""Production licence numbers in their written variants."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.errors import InvalidNumber
from listing_gate.normalize.license import PROVINCE_ABBREVIATIONS, parse_license_no


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("粤XK16-204-00397", "粤XK16-204-00397"),
        ("(粤)XK16-204-00397", "粤XK16-204-00397"),
        ("（浙）XK06-014-00410", "浙XK06-014-00410"),
        ("XK06-014-00001", "XK06-014-00001"),
        ("QS粤XK16-204-02450", "粤XK16-204-02450"),
        ("生产许可证编号：粤 XK19-001-03550", "粤XK19-001-03550"),
        ("生产许可证XK13-001-04141", "XK13-001-04141"),
        ("鲁ＸＫ１３－００１－０４１４１", "鲁XK13-001-04141"),
        ("闽xk18—002—02650", "闽XK18-002-02650"),
        ("贵XK13-001-00001", "黔XK13-001-00001"),  # second abbreviation of one province
    ],
)
def test_written_variants_give_one_key(text: str, key: str) -> None:
    """Brackets, labels, stray QS, width, case and dashes do not change the number."""
    assert parse_license_no(text).key == key


def test_province_is_part_of_the_identity() -> None:
    """苏XK06-014-00410 and 浙XK06-014-00410 are two licences."""
    assert parse_license_no("苏XK06-014-00410").key != parse_license_no("浙XK06-014-00410").key


def test_licence_exposes_its_groups() -> None:
    """Province, industry, product and serial are separate fields."""
    number = parse_license_no("(粤)XK16-204-00397")
    assert (number.province, number.industry, number.product, number.serial) == (
        "粤",
        "16",
        "204",
        "00397",
    )


@pytest.mark.parametrize(
    ("text", "reason_part", "code"),
    [
        ("浙XK21-004-1757", "serial part has 4 digits", "license_serial_digits"),
        ("浙XK21-004-017571", "serial part has 6 digits", "license_serial_digits"),
        ("浙XK2-004-01757", "industry part has 1 digits", "license_industry_digits"),
        ("浙XK21-04-01757", "product part has 2 digits", "license_product_digits"),
        ("中XK21-004-01757", "not a province", "license_province_unknown"),
        ("（京津）XK21-004-01757", "not a province", "license_prefix_not_province"),
        ("Q/ABC 001-2020", "no licence number", "license_no_number"),
    ],
)
def test_malformed_licence_is_invalid(text: str, reason_part: str, code: str) -> None:
    """A wrong digit count or an unknown province character cannot be a licence."""
    with pytest.raises(InvalidNumber) as caught:
        parse_license_no(text)
    assert reason_part in caught.value.reason
    assert caught.value.flaw.code == code


def test_a_wrong_digit_count_names_both_counts() -> None:
    """The flaw carries what was written and what a licence has, for the finding's message."""
    with pytest.raises(InvalidNumber) as caught:
        parse_license_no("浙XK21-004-1757")
    assert dict(caught.value.flaw.fields) == {"count": "4", "expected": "5"}


@given(
    st.sampled_from(sorted(PROVINCE_ABBREVIATIONS)),
    st.from_regex(r"[0-9]{2}-[0-9]{3}-[0-9]{5}", fullmatch=True),
    st.sampled_from(["{p}XK{n}", "({p})XK{n}", "（{p}）ＸＫ{n}", " QS{p} XK{n} "]),
)
def test_key_is_a_fixed_point(province: str, digits: str, template: str) -> None:
    """Every written form parses to the key, and the key parses to itself."""
    key = parse_license_no(template.format(p=province, n=digits)).key
    assert key == f"{province}XK{digits}"
    assert parse_license_no(key).key == key
