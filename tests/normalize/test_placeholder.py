"""Placeholder text is no value: "无", "见详情", "/" and the like, however they are typed."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.text import fold
from listing_gate.rules.policy import load_policy

PLACEHOLDERS = load_policy().rules.placeholders


def full_width(text: str) -> str:
    """The same text typed in full-width mode."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


@pytest.mark.parametrize(
    "text",
    [
        "无",
        "暂无",
        "/",
        "-",
        "—",
        "--",
        "N/A",
        "n/a",
        "null",
        "NULL",
        "见详情",
        "详见包装",
        "见图",
        "以实物为准",
        "暂无。",
        "（无）",
        "型号：无",
        "生产厂家: 详见包装",
        "详见产品包装盒",
        "请咨询客服",
        "国标",
        "GB",
        "无型号",
        "不适用",
        "N.A.",
        "请以实物为准",
        "详情见包装",
        "厂址详见包装",
        "型号无",
        "无警示",
        "暂无警示语",
        "暂无型号",
        "N / A",
        "暂 无",
        "保密",
        "",
        "   ",
    ],
)
def test_a_placeholder_holds_no_value(text: str) -> None:
    """Words, referrals elsewhere, punctuation and a labelled placeholder give no value."""
    assert PLACEHOLDERS.holds_no_value(text)


@pytest.mark.parametrize(
    "text",
    [
        "无人看管时请勿充电；请勿挤压、拆解或投入火中",
        "深圳市华强电子有限公司",
        "广东省深圳市南山区深南大道9988号",
        "PB-2000",
        "GB 4943.1-2022",
        "无锡宝岛车业科技有限公司",
        "Apple Inc.",
        "见福连锁管理有限公司",
        "型号：PB-2000",
        "2024011609123456",
        "标准件厂",
        "地址广东省深圳市南山区",
    ],
)
def test_a_real_value_is_not_a_placeholder(text: str) -> None:
    """Text that merely starts like a placeholder, or a labelled value, is a value."""
    assert not PLACEHOLDERS.holds_no_value(text)


_WORDS = st.sampled_from(["无", "暂无", "/", "N/A", "null", "见详情", "详见包装", "以实物为准"])


@given(_WORDS, st.sampled_from(["", " ", "\u3000", "\t"]), st.booleans())
def test_width_case_and_padding_do_not_turn_a_placeholder_into_a_value(
    word: str, pad: str, wide: bool
) -> None:
    """Full width, upper case and surrounding whitespace leave a placeholder a placeholder."""
    text = full_width(word) if wide else word
    assert PLACEHOLDERS.holds_no_value(f"{pad}{text.upper()}{pad}")


@given(st.from_regex(r"[A-Z]{1,4}-?[0-9]{2,6}[A-Z]{0,2}", fullmatch=True))
def test_a_model_number_is_never_a_placeholder(model: str) -> None:
    """Identifiers with digits are values, whatever their letters."""
    assert not PLACEHOLDERS.holds_no_value(model)


@given(st.text(max_size=30), st.sampled_from(["", " ", "\u3000"]))
def test_width_and_padding_never_change_the_verdict(text: str, pad: str) -> None:
    """Any text, typed full width or padded, is a placeholder exactly when it was before."""
    assert PLACEHOLDERS.holds_no_value(f"{pad}{full_width(text)}{pad}") == (
        PLACEHOLDERS.holds_no_value(text)
    )


_PIECES = st.sampled_from(
    [
        "无",
        "暂无",
        "见",
        "详见",
        "包装",
        "型号",
        "厂址",
        "警示",
        "请勿",
        "深圳",
        "PB",
        "N/A",
        "null",
        ":",
        "：",
        "/",
        "-",
        "（",
        "）",
        " ",
        "3",
        "2024",
        "GB",
        "以实物为准",
        "公司",
    ]
)


@given(st.lists(_PIECES, max_size=6).map("".join))
def test_early_answers_agree_with_the_full_pattern(text: str) -> None:
    """A value answered before folding gets the answer the full pattern would give."""
    folded = re.sub(r"^[\W_]+|[\W_]+$", "", fold(text).casefold().replace(" ", ""))
    assert PLACEHOLDERS.holds_no_value(text) == (PLACEHOLDERS.pattern.fullmatch(folded) is not None)


@pytest.mark.parametrize(
    "text",
    [
        "中国",
        "Made in China",
        "国产",
        "厂家直销",
        "均码",
        "默认",
        "通用型",
        "新款",
        "CE",
        "CCC",
        "暂缺",
        "未提供",
        "不祥",
        "TBD",
        "unknown",
        "XXX",
        "同上",
        "已认证",
    ],
)
def test_a_word_that_names_no_maker_model_or_standard_holds_no_value(text: str) -> None:
    """A country, a sales slogan, a size, a certification mark or 'TBD' is no disclosure."""
    assert PLACEHOLDERS.holds_no_value(text)


@pytest.mark.parametrize(
    "text",
    [
        "中国广东省深圳市南山区深南大道9988号",
        "中国制造网商贸有限公司",
        "CE-100",
        "XX-100",
        "国产电器厂",
        "均码T恤 PB-2000",
        "合格",
    ],
)
def test_a_value_beginning_with_such_a_word_is_still_a_value(text: str) -> None:
    """Only the whole value is a placeholder; a report's 合格 stays a result."""
    assert not PLACEHOLDERS.holds_no_value(text)
