"""Listings as sellers really write them (DOMAIN.md "Real-world shapes"), decided end to end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from listing_gate.domain import (
    CccRecord,
    LicenseRecord,
    ListingDraft,
    RecallRecord,
    SpotCheckRecord,
    StandardRecord,
    Verification,
)
from listing_gate.registries.lookup import RegistryLookup
from listing_gate.registries.memory import MemoryRegistry
from listing_gate.service.verify import Verifier
from listing_gate.settings import Settings

pytestmark = pytest.mark.anyio
TODAY = datetime(2026, 12, 15, 8, tzinfo=UTC)

MAKER = {"name": "深圳市朗拓电子有限公司", "address": "广东省深圳市宝安区西乡街道宝源路88号"}
CERT: dict[str, Any] = {
    "certificate_no": "2024010914123456",
    "kind": "certificate",
    "status": "valid",
    "product_code": "0914",
    "product_name": "移动电源",
    "models": ["LT-2000", "LT-2000S", "LT-30XX"],
    "standards": ["GB 4943.1-2022", "GB 31241-2022"],
    "holder": {"name": "杭州市朗拓品牌管理有限公司", "address": "浙江省杭州市西湖区文三路100号"},
    "manufacturer": MAKER,
    "factory": {"name": "东莞市朗拓电子制造有限公司", "address": "广东省东莞市长安镇振安路12号"},
    "issued_on": "2024-03-01",
    "expires_on": "2029-02-28",
}
DECLARATION: dict[str, Any] = {
    **CERT,
    "certificate_no": "SD-ZJ-2025-00881",
    "kind": "self_declaration",
    "product_code": "0501",
    "product_name": "电钻",
    "models": ["LT-Z10"],
    "standards": [],
}
STANDARDS = [
    StandardRecord(number="GB 4943.1-2022", status="current"),
    StandardRecord(number="GB 31241-2022", status="current"),
    StandardRecord(number="GB 21027-2020", status="current"),
    StandardRecord(number="GB 21027-2007", status="superseded", replaced_by="GB 21027-2020"),
    StandardRecord(number="GB 31241-2014", status="superseded", replaced_by="GB 31241-2022"),
]
CREDENTIAL_FIELDS = (
    "ccc_certificate_no",
    "ccc_self_declaration_no",
    "production_license_no",
    "test_report",
)


def draft(**changes: Any) -> ListingDraft:
    """A power-bank listing that matches CERT in every field, with ``changes`` applied.

    ``manufacturer`` given as a dict replaces the manufacturer; ``maker_name``,
    ``maker_address`` and ``maker_credit_code`` change one of its fields.
    """
    product: dict[str, Any] = {
        "name": "朗拓 20000mAh 移动电源",
        "category": "0914",
        "model": "LT-2000",
        "manufacturer": dict(MAKER),
        "standards": ["GB 4943.1-2022", "GB 31241-2022"],
        "warnings": "请勿拆解、挤压或投入火中",
    }
    credentials: dict[str, Any] = {"ccc_certificate_no": CERT["certificate_no"]}
    for key, value in changes.items():
        if key in CREDENTIAL_FIELDS:
            credentials[key] = value
        elif key.startswith("maker_"):
            product["manufacturer"][key.removeprefix("maker_")] = value
        else:
            product[key] = value
    return ListingDraft.model_validate(
        {
            "listing_id": "sku-1",
            "seller": {"id": "shop-1"},
            "product": product,
            "credentials": credentials,
        }
    )


def registry(
    *ccc: dict[str, Any],
    licenses: Sequence[dict[str, Any]] = (),
    recalls: Sequence[dict[str, Any]] = (),
    spots: Sequence[dict[str, Any]] = (),
) -> MemoryRegistry:
    """A memory registry holding the given records and a few standards."""
    backend = MemoryRegistry(lambda: TODAY)
    backend.add("ccc", [CccRecord.model_validate(c) for c in ccc])
    backend.add("license", [LicenseRecord.model_validate(lic) for lic in licenses])
    backend.add("recall", [RecallRecord.model_validate(r) for r in recalls])
    backend.add("spot_check", [SpotCheckRecord.model_validate(s) for s in spots])
    backend.add("standard", STANDARDS)
    return backend


async def decide(listing: ListingDraft, backend: MemoryRegistry | None = None) -> Verification:
    """The verifier's answer on TODAY over ``backend`` (CERT and DECLARATION by default)."""
    backend = backend or registry(CERT, DECLARATION)
    lookup = RegistryLookup(backend, settings=Settings(), clock=lambda: TODAY)
    return await Verifier.from_lookup(lookup, clock=lambda: TODAY).verify(listing)


def codes(v: Verification) -> list[str]:
    """The reason codes of a verification, in order."""
    return [r.code for r in v.reasons]


# --- placeholders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"maker_address": "详见包装"}, "product.manufacturer.address"),
        ({"maker_name": "见详情"}, "product.manufacturer.name"),
        ({"maker_name": "null"}, "product.manufacturer.name"),
        ({"model": "以实物为准"}, "product.model"),
        ({"model": "-"}, "product.model"),
        ({"standards": ["无"]}, "product.standards"),
        ({"standards": ["/"]}, "product.standards"),
        ({"warnings": "暂无"}, "product.warnings"),
        ({"warnings": "N/A"}, "product.warnings"),
        ({"warnings": "—"}, "product.warnings"),
        ({"warnings": "警示说明：见图"}, "product.warnings"),
    ],
)
async def test_a_placeholder_in_a_required_field_is_a_missing_disclosure(
    changes: dict[str, Any], field: str
) -> None:
    """A placeholder never satisfies a duty: DISCLOSURE_MISSING names the field and quotes it."""
    v = await decide(draft(**changes))
    assert v.decision == "block"
    missing = [r for r in v.reasons if r.code == "DISCLOSURE_MISSING"]
    assert [r.field for r in missing] == [field]
    assert missing[0].listing_value is not None
    assert missing[0].listing_value in missing[0].message
    assert "MODEL_NOT_COVERED" not in codes(v)
    assert "MANUFACTURER_MISMATCH" not in codes(v)


async def test_real_text_that_starts_like_a_placeholder_is_a_disclosure() -> None:
    """Warnings beginning with 无 and a stray "/" beside real standards fill their duties."""
    v = await decide(
        draft(
            warnings="无人看管时请勿充电；请勿挤压",
            standards=["GB 4943.1-2022", "GB 31241-2022", "/"],
        )
    )
    assert (v.decision, codes(v)) == ("allow", [])


@pytest.mark.parametrize("number", ["无", "暂无", "/", "N/A"])
async def test_a_placeholder_credential_number_is_a_missing_credential(number: str) -> None:
    """ "无" in the certificate field shows no certificate: missing, not an invalid number."""
    v = await decide(draft(ccc_certificate_no=number))
    assert codes(v) == ["CREDENTIAL_MISSING"]


# --- pasted labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "证书编号：2024010914123456",
        "CCC：2024010914123456",
        "No.2024010914123456",
        "认证编号: 2024010914123456",
        "3C证书编号 2024 0109 1412 3456",
    ],
)
async def test_a_pasted_label_before_a_certificate_number_is_stripped(written: str) -> None:
    """The label goes, then the number is validated and looked up exactly."""
    v = await decide(draft(ccc_certificate_no=written))
    assert (v.decision, codes(v)) == ("allow", [])


@pytest.mark.parametrize(
    "written",
    [
        "自我声明编号：SD-ZJ-2025-00881",
        "自我声明编号:SD-ZJ-2025-00881",
        "声明编号 SD-ZJ-2025-00881",
        "CCC自我声明编号SD-ZJ-2025-00881",
        "No.SD-ZJ-2025-00881",
    ],
)
async def test_a_pasted_label_before_a_self_declaration_number_is_stripped(written: str) -> None:
    """A self-declaration is compared exactly after NFKC, trimming and the label."""
    listing = draft(
        category="0501",
        model="LT-Z10",
        standards=["GB/T 3883.1-2014"],
        ccc_certificate_no=None,
        ccc_self_declaration_no=written,
    )
    v = await decide(listing)
    assert (v.decision, codes(v)) == ("allow", [])


async def test_a_labelled_self_declaration_number_one_character_off_is_not_found() -> None:
    """Stripping the label never loosens the exact comparison of what follows it."""
    listing = draft(
        category="0501",
        model="LT-Z10",
        standards=["GB/T 3883.1-2014"],
        ccc_certificate_no=None,
        ccc_self_declaration_no="自我声明编号：SD-ZJ-2025-00882",
    )
    assert codes(await decide(listing)) == ["CREDENTIAL_NOT_FOUND"]


async def test_a_labelled_credit_code_still_decides_the_party() -> None:
    """ "统一社会信用代码：…" is the code; with the party's code it decides a renamed maker."""
    coded = {**CERT, "manufacturer": {**MAKER, "credit_code": "91440300MA5FXKJ4X5"}}
    listing = draft(
        maker_name="深圳市朗拓智能科技有限公司",
        maker_credit_code="统一社会信用代码：91440300MA5FXKJ4X5",
    )
    v = await decide(listing, registry(coded))
    assert (v.decision, codes(v)) == ("allow", [])


# --- descriptors after a model ------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "LT-2000 樱花粉",
        "LT-2000 白色",
        "LT-2000 礼盒装",
        "LT-2000\u3000冷暖版",
        "LT-2000 白色 礼盒装",
    ],
)
async def test_a_trailing_cjk_word_after_a_space_is_a_descriptor(model: str) -> None:
    """A colour, capacity or edition after the model is not model text: the rest is exact."""
    v = await decide(draft(model=model))
    assert (v.decision, codes(v)) == ("allow", [])


@pytest.mark.parametrize(
    "model",
    ["LT-2000+数据线", "LT-2000樱花粉", "LT-2000白色", "LT-2000Pro 白色", "LT-2001 樱花粉"],
)
async def test_glued_words_bundles_and_other_models_stay_model_text(model: str) -> None:
    """Only a space-separated CJK-only word goes; what is left is compared exactly."""
    v = await decide(draft(model=model))
    assert "MODEL_NOT_COVERED" in codes(v)
    assert v.decision == "block"


# --- ranges and families in certificates --------------------------------------------------

CABLE = {
    **CERT,
    "certificate_no": "2024010105123456",
    "product_code": "0105",
    "product_name": "电线组件",
    "models": ["BV 450/750V 1.5～6mm²", "RVV 300/500V 2×0.75~2×1.5mm²"],
    "standards": [],
}
LAMP = {
    **CERT,
    "certificate_no": "2024011001123456",
    "product_code": "1001",
    "product_name": "灯具",
    "models": ["MC-XD8010~MC-XD8090", "MC-TD60系列", "PB-20XX"],
    "standards": [],
}


def _cable(model: str) -> ListingDraft:
    return draft(
        name="BV电线",
        category="0105",
        model=model,
        standards=["GB/T 5023.3-2008"],
        ccc_certificate_no=CABLE["certificate_no"],
    )


def _lamp(model: str) -> ListingDraft:
    return draft(
        name="LED台灯",
        category="1001",
        model=model,
        standards=["GB 7000.1-2015"],
        ccc_certificate_no=LAMP["certificate_no"],
    )


@pytest.mark.parametrize(
    "model",
    [
        "BV 450/750V 2.5mm²",
        "BV 450/750V 4mm2",
        "BV 450/750V 1.5mm²",
        "BV 450/750V 6mm²",
        "RVV 300/500V 2×1mm²",
    ],
)
async def test_a_value_inside_a_certified_range_with_the_same_text_around_is_covered(
    model: str,
) -> None:
    """Ranges cover their inside, bounds included, whatever tilde or ² spelling."""
    v = await decide(_cable(model), registry(CABLE))
    assert "MODEL_NOT_COVERED" not in codes(v)
    assert "MODEL_UNCERTAIN" not in codes(v)


@pytest.mark.parametrize(
    "model",
    [
        "BV 450/750V 10mm²",
        "BV 450/750V 1mm²",
        "BVR 450/750V 2.5mm²",
        "BV 300/500V 2.5mm²",
        "RVV 300/500V 3×1mm²",
    ],
)
async def test_a_value_outside_a_range_or_with_other_text_around_is_not_covered(model: str) -> None:
    """Outside the bounds, or another type or voltage around the number, is not covered."""
    v = await decide(_cable(model), registry(CABLE))
    assert "MODEL_NOT_COVERED" in codes(v)


@pytest.mark.parametrize(
    ("model", "covered"),
    [
        ("MC-XD8050", True),
        ("MC-XD8010", True),
        ("MC-XD8095", False),
        ("MC-XD80500", False),
        ("PB-2015", True),
        ("PB-20155", False),
    ],
)
async def test_a_model_range_covers_its_inside_and_wildcards_stay_one_character(
    model: str, covered: bool
) -> None:
    """MC-XD8010~MC-XD8090 covers MC-XD8050; each X of PB-20XX stands for one character."""
    v = await decide(_lamp(model), registry(LAMP))
    assert ("MODEL_NOT_COVERED" not in codes(v)) is covered
    assert "MODEL_UNCERTAIN" not in codes(v)


@pytest.mark.parametrize("model", ["MC-TD6036", "MC-TD60A", "MC-TD600"])
async def test_a_model_extending_a_certified_family_prefix_is_uncertain(model: str) -> None:
    """A member of "MC-TD60系列" only by its prefix: review, never allow, never a plain block."""
    v = await decide(_lamp(model), registry(LAMP))
    assert (v.decision, codes(v)) == ("review", ["MODEL_UNCERTAIN"])


async def test_a_model_outside_the_family_prefix_is_not_covered() -> None:
    """MC-TD70 does not extend MC-TD60."""
    v = await decide(_lamp("MC-TD70"), registry(LAMP))
    assert codes(v) == ["MODEL_NOT_COVERED"]


# --- recalls read broadly -----------------------------------------------------------------


def _recall(*models: str, recall_id: str = "R-1") -> dict[str, Any]:
    return {
        "recall_id": recall_id,
        "status": "active",
        "manufacturer": {"name": MAKER["name"]},
        "models": list(models),
    }


@pytest.mark.parametrize(
    ("recalled", "model"),
    [
        (["LT-2000"], "LT-2000 白色"),
        (["LT-2006/LT-2000/LT-2009"], "LT-2000"),
        (["LT-2006、LT-2000、LT-2009"], "LT-2000"),
        (["LT-1990~LT-2010"], "LT-2000"),
        (["LT-20系列"], "LT-2000"),
        (["LT-30XX"], "LT-3012"),
    ],
)
async def test_a_series_family_or_range_named_in_a_recall_covers_its_members(
    recalled: list[str], model: str
) -> None:
    """A recall is a safety notice: its lists, ranges and families cover their members."""
    v = await decide(draft(model=model), registry(CERT, recalls=[_recall(*recalled)]))
    assert "RECALLED" in codes(v)
    assert v.decision == "block"


@pytest.mark.parametrize(
    ("recalled", "model"),
    [
        ("LT-2000", "LT-2000S"),  # extends the recalled model by a letter
        ("LT-2000", "LT-2000 20000mAh"),  # the recalled model, then more words
        ("LT-2000 20000mAh", "LT-2000"),  # the recalled model without its capacity
    ],
)
async def test_a_variant_of_a_recalled_model_is_at_least_reviewed(
    recalled: str, model: str
) -> None:
    """Plausibly the recalled product, not provably: a person looks (RECALL_UNCERTAIN)."""
    cert = {**CERT, "models": [*CERT["models"], model]}
    v = await decide(draft(model=model), registry(cert, recalls=[_recall(recalled)]))
    assert (v.decision, codes(v)) == ("review", ["RECALL_UNCERTAIN"])


@pytest.mark.parametrize(
    ("recalled", "model"),
    [
        (["LT-2001~LT-2006"], "LT-2000"),
        (["LT-20001"], "LT-2000"),
        (["LT-200"], "LT-2000"),
        (["LT-2000S 20000mAh"], "LT-2000"),
    ],
)
async def test_a_model_outside_a_recall_is_not_recalled(recalled: list[str], model: str) -> None:
    """Outside the range, or another number: the recall does not name this model."""
    v = await decide(draft(model=model), registry(CERT, recalls=[_recall(*recalled)]))
    assert (v.decision, codes(v)) == ("allow", [])


# --- standards have editions --------------------------------------------------------------


def _pen(report_standard: str, standards: Sequence[str] = ("GB 21027-2020",)) -> ListingDraft:
    report = {
        "report_no": "SQI25W090511",
        "issuer": "上海市质量监督检验技术研究院",
        "standard": report_standard,
        "result": "pass",
        "product_name": "中性笔",
        "product_model": "LT-2000",
        "issued_on": "2025-10-09",
    }
    return draft(
        name="中性笔 0.5mm 学生考试用",
        category="S03",
        standards=list(standards),
        warnings="笔帽请勿放入口中",
        ccc_certificate_no=None,
        test_report=report,
    )


@pytest.mark.parametrize(
    ("report_standard", "standards"),
    [
        ("GB 21027-2007", ["GB 21027-2020"]),  # the listing names the edition in force
        ("GB 21027-2007", ["GB 21027"]),  # the registry says 2007 was superseded
        ("GB 21027—2007", ["GB 21027"]),  # em dash
    ],
)
async def test_a_report_against_an_older_edition_does_not_fit(
    report_standard: str, standards: list[str]
) -> None:
    """A report against a withdrawn edition shows no conformity with the one in force."""
    v = await decide(_pen(report_standard, standards))
    assert (v.decision, codes(v)) == ("review", ["TEST_REPORT_MISMATCH"])


@pytest.mark.parametrize(
    ("report_standard", "standards"),
    [
        ("GB 21027-2020", ["GB 21027-2020"]),
        ("GB 21027—2020", ["GB 21027-2020"]),
        ("GB 21027", ["GB 21027-2020"]),  # the report gives no year: compared on the rest
        ("GB 21027-2020", ["GB 21027"]),  # the listing gives none
    ],
)
async def test_a_report_against_the_edition_in_force_fits(
    report_standard: str, standards: list[str]
) -> None:
    """Same edition, or a year missing on one side: the report fits."""
    v = await decide(_pen(report_standard, standards))
    assert (v.decision, codes(v)) == ("allow", [])


async def test_a_report_edition_unchecked_for_an_outage_is_never_allowed() -> None:
    """The standards registry down: the report's edition is unchecked, so a person looks."""

    class Down(MemoryRegistry):
        async def get_standards(self, keys: Sequence[str]) -> dict[str, StandardRecord]:
            raise ConnectionError("standards registry unreachable")

    backend = Down(lambda: TODAY)
    for kind in ("ccc", "license", "recall", "spot_check", "standard"):
        backend.add(kind, [])
    v = await decide(_pen("GB 21027-2007", ["GB 21027"]), backend)
    assert v.decision == "review"
    assert "REGISTRY_UNAVAILABLE" in codes(v)


async def test_a_listed_standard_of_another_edition_than_certified_does_not_fit() -> None:
    """GB 4943.1-2011 and GB 31241-2014 are not the certificate's 2022 editions."""
    v = await decide(draft(standards=["GB 4943.1-2011", "GB 31241-2014"]))
    assert "STANDARD_MISMATCH" in codes(v)
    assert v.decision == "review"


async def test_a_listed_standard_without_a_year_fits_any_edition() -> None:
    """A missing year is compared on the rest of the number."""
    v = await decide(draft(standards=["GB 4943.1", "GB 31241"]))
    assert (v.decision, codes(v)) == ("allow", [])


# --- cities without districts, renamed districts ------------------------------------------

FACTORY = CERT["factory"]["name"]
RENAMED = {**CERT, "manufacturer": {**MAKER, "address": "浙江省杭州市余杭区乔司街道永玄路88号"}}


@pytest.mark.parametrize(
    ("backend_records", "changes"),
    [
        ([CERT], {"maker_name": FACTORY, "maker_address": "东莞长安振安路12号"}),
        ([CERT], {"maker_name": FACTORY, "maker_address": "广东省东莞市长安镇振安路12號"}),
        ([RENAMED], {"maker_address": "浙江省杭州市临平区乔司街道永玄路88号"}),
    ],
)
async def test_the_same_town_written_otherwise_is_the_same_place(
    backend_records: list[dict[str, Any]], changes: dict[str, Any]
) -> None:
    """A bare town of 东莞, or a district renamed since the certificate: the same place."""
    v = await decide(draft(**changes), registry(*backend_records))
    assert (v.decision, codes(v)) == ("allow", [])


@pytest.mark.parametrize(
    ("backend_records", "changes"),
    [
        ([CERT], {"maker_name": FACTORY, "maker_address": "广东省东莞市虎门镇振安路12号"}),
        ([CERT], {"maker_name": FACTORY, "maker_address": "东莞虎门振安路12号"}),
        ([RENAMED], {"maker_address": "浙江省杭州市临平区东湖街道永玄路88号"}),
    ],
)
async def test_another_town_of_a_city_without_districts_is_elsewhere(
    backend_records: list[dict[str, Any]], changes: dict[str, Any]
) -> None:
    """The town is the level below 东莞: another town is ADDRESS_MISMATCH, as another district."""
    v = await decide(draft(**changes), registry(*backend_records))
    assert codes(v) == ["ADDRESS_MISMATCH"]


# --- foreign manufacturers ----------------------------------------------------------------

DYSON = {
    **CERT,
    "certificate_no": "2024010708123456",
    "product_code": "0708",
    "product_name": "电吹风",
    "models": ["HD15"],
    "standards": ["GB 4706.15-2008"],
    "manufacturer": {"name": "Dyson Technology Limited", "address": "Tetbury Hill, Malmesbury"},
    "holder": {"name": "Dyson Technology Limited", "address": "Tetbury Hill, Malmesbury"},
    "factory": {"name": "Dyson Technology Limited", "address": "Tetbury Hill, Malmesbury"},
}


def _dryer(maker: str) -> ListingDraft:
    return draft(
        name="戴森吹风机",
        category="0708",
        model="HD15",
        standards=["GB 4706.15-2008"],
        manufacturer={"name": maker, "address": "Tetbury Hill, Malmesbury"},
        ccc_certificate_no=DYSON["certificate_no"],
    )


@pytest.mark.parametrize(
    "maker", ["Dyson Technology Ltd.", "DYSON TECHNOLOGY LIMITED", "Dyson Technology Co., Ltd."]
)
async def test_a_foreign_maker_written_in_another_case_or_form_spelling_is_the_party(
    maker: str,
) -> None:
    """Case, punctuation and the spelling of the legal form do not make another company."""
    v = await decide(_dryer(maker), registry(DYSON))
    assert (v.decision, codes(v)) == ("allow", [])


@pytest.mark.parametrize("maker", ["Dysen Technology Ltd", "戴森技术有限公司"])
async def test_a_look_alike_or_a_chinese_rendering_is_never_allowed(maker: str) -> None:
    """One letter off is another entity; a rendering is at best uncertain, never a match."""
    v = await decide(_dryer(maker), registry(DYSON))
    assert v.decision in {"review", "block"}
    assert {"MANUFACTURER_MISMATCH", "MANUFACTURER_UNCERTAIN"} & set(codes(v))


async def test_several_standards_in_one_field_are_each_checked() -> None:
    """ "GB 4943.1-2022、GB 31241-2014" names two standards; the superseded one is seen."""
    v = await decide(draft(standards=["GB 4943.1-2022、GB 31241-2014"]))
    assert "STANDARD_SUPERSEDED" in codes(v)
    assert v.decision == "review"


async def test_a_district_split_since_the_certificate_without_a_town_is_reviewed() -> None:
    """The certificate says 余杭区 with no town; the listing 临平区: a person looks."""
    older = {**CERT, "manufacturer": {**MAKER, "address": "浙江省杭州市余杭区永玄路88号"}}
    v = await decide(draft(maker_address="浙江省杭州市临平区乔司街道永玄路88号"), registry(older))
    assert (v.decision, codes(v)) == ("review", ["ADDRESS_UNCERTAIN"])
    assert "临平" in v.reasons[0].message
