"""Model keys and what a certificate's model list (with series notation) covers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.normalize.model import (
    index_keys,
    listed_model,
    model_key,
    parse_models,
    split_models,
)


def full_width(text: str) -> str:
    """The same text typed in full-width mode."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


@pytest.mark.parametrize(
    ("written", "certified"),
    [
        ("ＫＦＲ－３５ＧＷ／Ｎ８", "KFR-35GW/N8"),
        ("kfr 35gw/n8", "KFR-35GW/N8"),
        ("kfr-35gw/n8", "KFR-35GW/N8"),
        ("  HX-8892 ", "HX-8892"),
        ("ｓｗｆ１８ｓ００", "SWF18S00"),
        ("BV 4mm2", "BV 4mm²"),
        ("BV 2.5平方", "BV 2.5mm²"),
        ("BV 2.5平方毫米", "BV 2.5mm²"),
        ("DZ47-32C16", "DZ47-32 C16"),
        ("1220*2440*15mm E0级", "1220×2440×15mm E0级"),
        ("1220x2440x15mm E0级", "1220×2440×15mm E0级"),
        ("型号：PB-2000", "PB-2000"),
        ("XQB80-187A（白色）", "XQB80-187A"),
        ("PB-2000 黑色", "PB-2000"),
        ("KFR-35GW型", "KFR-35GW"),
        ("Model 3", "MODEL 3"),
    ],
)
def test_written_variants_share_the_key(written: str, certified: str) -> None:
    """Width, case, separators, ² and × spellings do not make another model."""
    assert model_key(written) == model_key(certified)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("PB-2000", "PB-2001"),
        ("HX-8892", "HA-8892"),
        ("KFR-35GW/N8", "KFR-35GW/N3"),
        ("BVR 2.5mm²", "BVR 25mm²"),
        ("195/55R15 94V", "195/55R15 94H"),
        ("A1647", "A1647S"),
        ("KFR-35GW/N8-130", "KFR-35GW"),
        ("51%(15-15-15)", "51%(15-15-5)"),
    ],
)
def test_one_character_off_is_another_model(one: str, other: str) -> None:
    """A digit, a letter, a dot or a suffix makes another product."""
    assert model_key(one) != model_key(other)


@pytest.mark.parametrize(
    ("entries", "model", "entry"),
    [
        (["PB-20XX"], "PB-2069", "PB-20XX"),
        (["HD-12XX"], "hd-1200", "HD-12XX"),
        (["PN-10xx"], "PN-1099", "PN-10xx"),
        (["KFR-35GW/N8-XXX"], "KFR-35GW/N8-130", "KFR-35GW/N8-XXX"),
        (["MP-3008*"], "MP-3008", "MP-3008*"),
        (["MP-3008*"], "MP-3008S", "MP-3008*"),
        (["MP-3008*"], "MP-3008 Pro", "MP-3008*"),
        (["MP-3008＊"], "MP-3008A", "MP-3008＊"),
        (["A1647/A1642/A1652"], "A1642", "A1647/A1642/A1652"),
        (["M1609/M1605/M1675"], "m1675", "M1609/M1605/M1675"),
        (["KFR-35GW/KFR-26GW"], "KFR-26GW", "KFR-35GW/KFR-26GW"),
        (["HX-7832、HX-7892系列"], "HX-7892", "HX-7832、HX-7892系列"),
        (["XX-100、XX-200系列"], "XX-200", "XX-100、XX-200系列"),
        (["QM-31, QM-32；QM-33"], "QM-33", "QM-31, QM-32；QM-33"),
        (["XQB80-187A XQB80-187B"], "XQB80-187B", "XQB80-187A XQB80-187B"),
        (["DZ47-32 C16"], "DZ47-32C16", "DZ47-32 C16"),
        (["VV22 0.6/1kV 4×25"], "VV22 0.6/1kV 4*25", "VV22 0.6/1kV 4×25"),
        (["KFR-35GW/N8-130"], "KFR-35GW/N8-130", "KFR-35GW/N8-130"),
        (["TT150×120-24XK"], "TT150X120-24XK", "TT150×120-24XK"),
        (["HX-8892"], "HX-8892", "HX-8892"),
        (["XD-4000"], "XD-4000", "XD-4000"),
        (["195/55R15 94V"], "195/55R15 94V", "195/55R15 94V"),
        (["YJ-□□"], "YJ-A8", "YJ-□□"),
    ],
)
def test_series_notation_covers_its_members(entries: list[str], model: str, entry: str) -> None:
    """X runs, a trailing star, slash lists of whole models and 、 lists cover their members."""
    assert parse_models(entries).covers(model) == entry


@pytest.mark.parametrize(
    ("entries", "model"),
    [
        (["PB-2000", "PB-2000S"], "PB-2001"),
        (["PB-20XX"], "PB-20AB"),  # an X stands for a digit only
        (["PB-20XX"], "PB-206"),  # and exactly one
        (["PB-20XX"], "PB-20691"),
        (["MP-3008*"], "MP-30081"),  # a star does not extend the digit run
        (["MP-3008*"], "MP-300"),
        (["KFR-35GW/N8-130"], "KFR-35GW"),  # a slash inside one model
        (["KFR-35GW/N8-130"], "N8-130"),
        (["195/55R15 94V"], "195"),
        (["DZ47-32 C16"], "DZ47-32"),
        (["VV22 0.6/1kV 4×25"], "VV22"),
        (["Mate 60 Pro"], "Mate 60"),
        (["TT150×120-24XK"], "TT150×120-2400"),  # XK belongs to the name
        (["TT150×120-24XK"], "TT150×120-24"),
        (["HX-8892"], "HA-8892"),  # the X of HX is a letter
        (["XD-4000"], "1D-4000"),
        (["ZX7-200T1"], "Z17-200T1"),
        (["HX-7832、HX-7892系列"], "HX-7893"),
        (["HX-7832、HX-7892系列"], "HX-7892A"),
        (["A1647/A1642/A1652"], "A1643"),
        (["*"], "PB-2000"),  # a bare wildcard names nothing
        (["A*"], "A1647"),
        (["XX"], "12"),
        (["24610RK51C", "24610RK55C", "24610RK01C"], "24610RK57C"),
        (["9803", "9806"], "9807"),
    ],
)
def test_model_outside_the_list_is_not_covered(entries: list[str], model: str) -> None:
    """A model one character off, or only part of a listed model, is not covered."""
    assert parse_models(entries).covers(model) is None


@pytest.mark.parametrize(
    ("certified", "listed"), [("Redmi 10X", "Redmi 105"), ("PB-200X", "PB-2001")]
)
def test_a_single_trailing_x_is_part_of_the_name_not_a_digit(certified: str, listed: str) -> None:
    """One X ends real model names; only a run of two or more is series notation."""
    coverage = parse_models((certified,))
    assert coverage.covers(model_key(listed)) is None
    assert coverage.covers(model_key(certified)) == certified


def test_listing_naming_several_models_needs_each_covered() -> None:
    """ "A1647/A1642" is covered when both are; one uncovered member makes it uncovered."""
    coverage = parse_models(["A1647/A1642/A1652"])
    assert coverage.covers("A1647/A1642") is not None
    assert coverage.covers("A1647、A1652") is not None
    assert coverage.covers("A1647/A1643") is None


def test_blank_model_is_never_covered() -> None:
    """An empty model field is a disclosure problem, not a covered model."""
    assert parse_models(["PB-2000", "PB-20XX"]).covers("  ") is None


def test_index_keys_are_exact_models_after_splitting() -> None:
    """Slash and 、 lists index each member; a series indexes only its literal text."""
    assert index_keys(["A1647/A1642/A1652", "PB-20XX", "kfr-35gw/n8-130"]) == [
        "A1642",
        "A1647",
        "A1652",
        "KFR35GW/N8130",
        "PB20XX",
    ]


def test_listing_field_with_several_models_splits_like_a_certificate() -> None:
    """A listing that names two models in one field names each of them."""
    assert split_models("A1647/A1642S") == ["A1647", "A1642S"]
    assert split_models("KFR-35GW/N8-130") == ["KFR-35GW/N8-130"]
    assert split_models("HX-100、HX-200系列") == ["HX-100", "HX-200"]


_MODEL_TEXT = st.text(
    alphabet=st.sampled_from("ABCDKPRSWXZabkx0123456789-_/ .*×²()、"), max_size=20
)


@given(st.text())
def test_model_key_is_idempotent(text: str) -> None:
    """Keying a key changes nothing."""
    assert model_key(model_key(text)) == model_key(text)


@given(_MODEL_TEXT)
def test_model_key_ignores_width_case_and_padding(text: str) -> None:
    """Full width, lower case and surrounding whitespace do not change the key."""
    key = model_key(text)
    assert model_key(full_width(text)) == key
    assert model_key(text.lower()) == key
    assert model_key(f" \t{text}\u3000") == key


@given(_MODEL_TEXT.map(lambda t: t.replace("、", "")).filter(lambda t: t.strip("-_ /.()*") != ""))
def test_a_listed_model_covers_itself(text: str) -> None:
    """A model is covered by a list that names exactly it, series notation or not."""
    assert parse_models([text]).covers(text) is not None


@given(st.from_regex(r"[A-Z]{1,3}-[0-9]{4}", fullmatch=True), st.integers(0, 3), st.data())
def test_changing_one_digit_is_never_covered(
    model: str, position: int, data: st.DataObject
) -> None:
    """Whatever the model, a one-digit change falls outside an exact list."""
    index = model.index("-") + 1 + position
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != model[index]]))
    other = model[:index] + digit + model[index + 1 :]
    assert parse_models([model]).covers(other) is None


@given(_MODEL_TEXT)
def test_a_listed_model_is_keyed_like_any_model(text: str) -> None:
    """The listing's key is the model key, and each listed piece is a key already."""
    listed = listed_model(text)
    assert listed.key == model_key(text)
    assert all(model_key(piece) == piece for piece in listed.piece_keys)
    assert listed.piece_keys == () or len(listed.piece_keys) >= 2


@given(_MODEL_TEXT)
def test_a_listed_model_ignores_width_and_padding(text: str) -> None:
    """Full width and surrounding whitespace give the same keyed model, pieces included."""
    assert listed_model(f" {full_width(text)}\u3000") == listed_model(text)


def test_a_field_naming_several_models_keeps_each_key() -> None:
    """ "A1647/A1642" is two models; "KFR-35GW/N8-130" is one."""
    assert listed_model("a1647/A1642").piece_keys == ("A1647", "A1642")
    assert listed_model("KFR-35GW/N8-130").piece_keys == ()


@pytest.mark.parametrize(
    ("written", "model"),
    [
        ("PY-2201 樱花粉", "PY-2201"),
        ("A1647 白色", "A1647"),
        ("XR-1 礼盒装", "XR-1"),
        ("KFR-35GW/KY35-N1\u3000冷暖版", "KFR-35GW/KY35-N1"),
        ("PB-2000 黑色 礼盒装", "PB-2000"),
        ("PY-2201 樱花粉/天空蓝", "PY-2201"),
        ("PY-2201 白色、黑色", "PY-2201"),
        ("TDX-228 1000W", "TDX-228 1000W"),
    ],
)
def test_a_trailing_cjk_word_after_a_space_is_no_model_text(written: str, model: str) -> None:
    """Colour, capacity or edition words after a space are descriptors: the key is the model's."""
    assert model_key(written) == model_key(model)


@pytest.mark.parametrize(
    ("written", "model"),
    [
        ("PY-2201樱花粉", "PY-2201"),
        ("PB-2000黑色", "PB-2000"),
        ("A1647+数据线", "A1647"),
        ("PY-2201Pro 白色", "PY-2201"),
        ("1220×2440×15mm E0级", "1220×2440×15mm"),
    ],
)
def test_glued_words_bundles_and_mixed_words_stay_model_text(written: str, model: str) -> None:
    """Only a CJK-only word after a space is a descriptor; anything else is compared."""
    assert model_key(written) != model_key(model)


def test_a_field_of_cjk_words_only_keeps_them() -> None:
    """With no model before them, CJK words are the field's text, not descriptors."""
    assert model_key("樱花粉 礼盒装") == "樱花粉礼盒装"


@pytest.mark.parametrize(
    ("entries", "model"),
    [
        (["BV 450/750V 1.5~6mm²"], "BV 450/750V 2.5mm²"),
        (["BV 450/750V 1.5～6mm²"], "BV 450/750V 6mm2"),
        (["BV 450/750V 1.5〜6mm²"], "bv 450/750v 1.5mm²"),
        (["BV 450/750V 1.5mm²~6mm²"], "BV 450/750V 4mm²"),
        (["RVV 300/500V 2×0.75~2×1.5mm²"], "RVV 300/500V 2×1mm²"),
        (["MC-XD8010~MC-XD8090"], "MC-XD8050"),
        (["MC-XD8010~MC-XD8090"], "MC-XD8090"),
        (["MC-XD8010至MC-XD8090"], "MC-XD8050"),
        (["DR-8801~DR-8806、DR-9901"], "DR-8804"),
        (["KS-0010~0090"], "KS-0045"),
    ],
)
def test_a_numeric_range_covers_its_inside(entries: list[str], model: str) -> None:
    """The same text around a number inside the bounds (inclusive) is covered."""
    assert parse_models(entries).covers(model) == entries[0]


@pytest.mark.parametrize(
    ("entries", "model"),
    [
        (["BV 450/750V 1.5~6mm²"], "BV 450/750V 10mm²"),
        (["BV 450/750V 1.5~6mm²"], "BV 450/750V 1mm²"),
        (["BV 450/750V 1.5~6mm²"], "BVR 450/750V 2.5mm²"),
        (["BV 450/750V 1.5~6mm²"], "BV 450/750V 2.5"),
        (["BV 450/750V 1.5~6mm²"], "BV 450/750V 02.5mm²"),
        (["RVV 300/500V 2×0.75~2×1.5mm²"], "RVV 300/500V 3×1mm²"),
        (["MC-XD8010~MC-XD8090"], "MC-XD8095"),
        (["MC-XD8010~MC-XD8090"], "MC-XD80500"),
        (["MC-XD8010~MC-XD8090"], "MC-XE8050"),
        (["KS-0010~0090"], "KS-45"),
        (["XD-9~XD-3"], "XD-5"),
    ],
)
def test_a_value_outside_a_range_or_other_text_around_it_is_not_covered(
    entries: list[str], model: str
) -> None:
    """Outside the bounds, another text around the number, or no range at all: not covered."""
    assert parse_models(entries).covers(model) is None


@pytest.mark.parametrize(
    ("entries", "model", "family"),
    [
        (["MC-TD60系列"], "MC-TD6036", "MC-TD60系列"),
        (["XL-K20系列"], "XL-K2016U", "XL-K20系列"),
        (["HX-7832、HX-7892系列"], "HX-7892A", "HX-7832、HX-7892系列"),
        (["MC-TD60 SERIES"], "mc-td60b", "MC-TD60 SERIES"),
    ],
)
def test_a_model_extending_a_family_prefix_is_in_the_family_only(
    entries: list[str], model: str, family: str
) -> None:
    """A family's prefix extended is a plausible member: not covered, but in the family."""
    coverage = parse_models(entries)
    assert coverage.covers(model) is None
    assert coverage.family_of(listed_model(model)) == family


@pytest.mark.parametrize(
    ("entries", "model"),
    [
        (["MC-TD60系列"], "MC-TD70"),
        (["MC-TD60系列"], "MC-TD6"),
        (["MC-TD60"], "MC-TD6036"),  # no 系列: an exact model, not a family
        (["PB系列"], "PB-2000"),  # a prefix this short would reach across a brand
        (["HX-7832、HX-7892等"], "HX-7892A"),  # 等 lists models, it names no family
    ],
)
def test_a_model_outside_a_family_or_of_no_family_is_in_none(
    entries: list[str], model: str
) -> None:
    """Only a model extending a prefix written as a family (系列, SERIES) is in it."""
    assert parse_models(entries).family_of(listed_model(model)) is None


_ASCII_MODEL = st.from_regex(r"[A-Z]{1,3}-?[0-9]{2,5}[A-Z]?", fullmatch=True)
_DESCRIPTOR = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=4
)


@given(_ASCII_MODEL, _DESCRIPTOR)
def test_a_descriptor_never_changes_the_model(model: str, word: str) -> None:
    """The model with a descriptor after a space keys as the bare model."""
    assert model_key(f"{model} {word}") == model_key(model)


@given(_ASCII_MODEL, _ASCII_MODEL, _DESCRIPTOR, _DESCRIPTOR)
def test_descriptors_never_turn_one_model_into_another(
    one: str, other: str, word: str, other_word: str
) -> None:
    """Two different models stay different whatever descriptors follow them."""
    if model_key(one) != model_key(other):
        assert model_key(f"{one} {word}") != model_key(f"{other} {other_word}")


@given(
    st.integers(1, 9998),
    st.integers(1, 9999),
    st.integers(0, 20000),
    st.sampled_from(["", "MM2", "W"]),
)
def test_a_range_covers_exactly_the_numbers_between_its_bounds(
    low: int, high: int, value: int, unit: str
) -> None:
    """An integer range covers a value if and only if it lies within the bounds."""
    coverage = parse_models([f"AB-{low}~AB-{high}{unit}"])
    covered = coverage.covers(f"AB-{value}{unit}") is not None
    assert covered == (low < high and low <= value <= high)


@given(_ASCII_MODEL, _ASCII_MODEL)
def test_a_family_is_never_an_exact_cover(family: str, model: str) -> None:
    """A family decides at most plausibility: a model it only extends is never covered."""
    coverage = parse_models([f"{family}系列"])
    if model_key(model) != model_key(family):
        assert coverage.covers(model) is None


@pytest.mark.parametrize(
    ("entries", "model", "variant"),
    [
        (["A1647"], "A1647S", "A1647"),
        (["A1647"], "A1647 10000mAh", "A1647"),
        (["TDX-228 1000W"], "TDX-228", "TDX-228 1000W"),
        (["A1647(批次2023.12-2024.04)"], "A1647", "A1647(批次2023.12-2024.04)"),
        (["A1647"], "A1647(20000mAh)", "A1647"),
        (["A1647"], "A16470", None),  # another number, not a variant
        (["TDX-228 1000W"], "TDX-228 800W", None),  # both name a power: another one
        (["TDX-228 1000W"], "TDX-218", None),
        (["BV 2.5mm²"], "BV", None),  # a first word without a digit is a type, not a model
    ],
)
def test_a_plausible_variant_is_told_from_another_model(
    entries: list[str], model: str, variant: str | None
) -> None:
    """Extending a model by a non-digit, or adding or leaving out words after it, is a variant."""
    assert parse_models(entries).variant_of(listed_model(model)) == variant


@pytest.mark.parametrize(
    "written",
    [
        "PY-2201【樱花粉】",
        "PY-2201[樱花粉]",
        "PY-2201 〔白色〕",
        "PY-2201「白色」",
        "PY-2201 (白色/黑色)",
        "PY-2201（白色、黑色）",
        "PY-2201『礼盒装』",
    ],
)
def test_a_descriptor_in_any_brackets_is_no_model_text(written: str) -> None:
    """Sellers bracket the colour or edition in 【】, [], 〔〕, 「」 as often as in ()."""
    assert model_key(written) == model_key("PY-2201")


@pytest.mark.parametrize(
    ("entries", "model"),
    [
        (["A1647、A1642等型号"], "A1642"),
        (["A1647、A1642等多个型号"], "A1647"),
        (["TDT886Z、TDT932Z等产品"], "TDT932Z"),
        (["PB-2000和PB-3000"], "PB-3000"),
        (["PB-2000及PB-3000"], "PB-2000"),
        (["PB-2000|PB-3000"], "PB-3000"),
        (["XD-3010到XD-3090"], "XD-3050"),
    ],
)
def test_recall_notations_cover_the_models_they_name(entries: list[str], model: str) -> None:
    """'等型号' ends a list, 和/及/| join models, 到 writes a range, as notices do."""
    assert parse_models(entries).covers(model) == entries[0]


@pytest.mark.parametrize(
    ("entries", "model"),
    [
        (["MC-XD80系列产品"], "MC-XD8010"),
        (["MC-XD80系列全部型号"], "MC-XD8030"),
        (["MC-XD80系列（全部批次）"], "MC-XD8030"),
        (["PB-2000及其衍生型号"], "PB-2000S"),
    ],
)
def test_a_family_written_the_way_notices_write_it_has_members(
    entries: list[str], model: str
) -> None:
    """'系列产品', '系列全部型号', a bracketed note, '及其衍生型号' make a family."""
    coverage = parse_models(entries)
    assert (coverage.covers(model), coverage.family_of(listed_model(model))) == (None, entries[0])


@pytest.mark.parametrize(
    ("entries", "model"),
    [
        (["PB-2000和PB-3000"], "PB-2500"),
        (["KFR-35GW/N8-130"], "KFR-35GW"),
        (["XD-3010到XD-3090"], "XD-3091"),
        (["A1647、A1642等型号"], "A1652"),
    ],
)
def test_those_notations_cover_nothing_else(entries: list[str], model: str) -> None:
    """A list, a range or '等' never reaches a model it does not name."""
    assert parse_models(entries).covers(model) is None


_BRACKETS = st.sampled_from(["()", "[]", "【】", "〔〕", "〖〗", "「」", "『』", "（）"])


@given(_ASCII_MODEL, _DESCRIPTOR, _BRACKETS, st.sampled_from(["", " "]))
def test_a_bracketed_descriptor_never_changes_the_model(
    model: str, word: str, brackets: str, space: str
) -> None:
    """The model with a CJK note in any brackets after it keys as the bare model."""
    assert model_key(f"{model}{space}{brackets[0]}{word}{brackets[1]}") == model_key(model)


@given(_ASCII_MODEL, _ASCII_MODEL, st.sampled_from(["和", "及", "与", "|", "、"]))
def test_two_models_joined_cover_each_and_only_each(one: str, other: str, joiner: str) -> None:
    """A notice naming two models joined by a conjunction covers both, not a third."""
    coverage = parse_models([f"{one}{joiner}{other}"])
    if model_key(one) != model_key(other) and len(model_key(one)) >= 3 <= len(model_key(other)):
        assert coverage.covers(one) is not None
        assert coverage.covers(other) is not None
