"""A draft is read once: trimmed values, keys and parses the rules compare."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from listing_gate.domain import ListingDraft
from listing_gate.normalize.company import parse_company
from listing_gate.normalize.model import model_key
from listing_gate.rules.draft import NormalizedDraft, normalize_draft
from listing_gate.rules.policy import load_policy

PLACEHOLDERS = load_policy().rules.placeholders


def listing(**product: Any) -> ListingDraft:
    """A minimal draft with ``product`` fields and the credentials given as ``credentials``."""
    credentials = product.pop("credentials", None)
    return ListingDraft.model_validate(
        {
            "listing_id": "sku-1",
            "seller": {"id": "shop-1"},
            "product": {"name": "移动电源", "category": "0914", **product},
            "credentials": credentials,
        }
    )


def _read(n: NormalizedDraft) -> tuple[Any, ...]:
    """Everything a rule reads, without the draft it came from."""
    return (
        n.category,
        n.model,
        n.model_key,
        n.keyed_model,
        n.maker_name,
        n.maker_address,
        n.maker,
        n.maker_place,
        n.maker_cores,
        n.standards,
        n.standard_keys,
        n.certificate_no,
        n.self_declaration_no,
        n.license_no,
        n.report_model,
        n.report_model_key,
        n.report_standard,
        n.warnings,
        n.folded_name(),
        n.shown_credential,
    )


def test_a_listing_is_read_into_keys_and_parses() -> None:
    """The model is keyed, the manufacturer split, mandatory standards with a year keyed."""
    n = normalize_draft(
        listing(
            model=" pb-2000 ",
            manufacturer={
                "name": " 深圳市华强电子有限公司 ",
                "address": "深圳市南山区深南大道9988号",
            },
            standards=["GB 4943.1-2022", " ", "GB/T 35590-2017", "GB 31241", "GB4943.1-2022"],
        ),
        PLACEHOLDERS,
    )
    assert (n.model, n.model_key) == ("pb-2000", "PB2000")
    assert n.maker_name == "深圳市华强电子有限公司"
    assert n.maker_cores == ("华强电子",)
    assert [s.written for s in n.standards] == [
        "GB 4943.1-2022",
        "GB/T 35590-2017",
        "GB 31241",
        "GB4943.1-2022",
    ]
    assert n.standard_keys == ("GB 4943.1-2022",)


def test_blank_values_are_empty_and_unparsed() -> None:
    """A blank or absent field is "" and has no key, parse or index core."""
    n = normalize_draft(listing(model="  ", manufacturer={"name": "\u3000"}), PLACEHOLDERS)
    assert (n.model, n.model_key, n.keyed_model) == ("", None, None)
    assert (n.maker_name, n.maker, n.maker_place, n.maker_cores) == ("", None, None, ())
    assert (n.standards, n.standard_keys, n.report, n.report_standard) == ((), (), None, None)
    assert n.shown_credential is None


def test_the_first_credential_shown_is_named_in_field_order() -> None:
    """Certificate, then self-declaration, then licence: blank numbers are not shown."""
    shown = normalize_draft(
        listing(
            credentials={
                "ccc_certificate_no": " ",
                "ccc_self_declaration_no": "2023970302000123",
                "production_license_no": "粤XK16-204-00397",
            }
        ),
        PLACEHOLDERS,
    ).shown_credential
    assert shown == "credentials.ccc_self_declaration_no"


def test_a_field_policy_requires_is_shown_only_with_text() -> None:
    """Whitespace is not a disclosure; a list of blanks is not either."""
    n = normalize_draft(listing(model=" ", standards=[" ", ""], warnings="请勿拆解"), PLACEHOLDERS)
    assert not n.shows("product.model")
    assert not n.shows("product.standards")
    assert n.shows("product.warnings")
    assert n.shows("product.name")  # a path held nowhere else is read from the draft
    assert not n.shows("product.brand")


_TEXT = st.sampled_from(
    [
        "深圳市华强电子有限公司",
        "华强电子（深圳）有限公司",
        "广东省深圳市南山区深南大道9988号",
        "PB-2000",
        "KFR-35GW/N8",
        "A1647/A1642",
        "GB 4943.1-2022",
        "2024011609123456",
        "粤XK16-204-00397",
        "",
    ]
)
_PAD = st.sampled_from(["", " ", "\u3000", "\t", " \u3000 "])


@given(_TEXT, _TEXT, _TEXT, _TEXT, _PAD)
def test_padding_changes_nothing_a_rule_reads(
    name: str, address: str, model: str, number: str, pad: str
) -> None:
    """Whitespace around any field gives the same reading, key for key."""

    def build(p: str) -> ListingDraft:
        return listing(
            model=f"{p}{model}{p}",
            manufacturer={"name": f"{p}{name}{p}", "address": f"{p}{address}{p}"},
            standards=[f"{p}{model}{p}", f"{p}{number}{p}"],
            warnings=f"{p}{name}{p}",
            credentials={
                "ccc_certificate_no": f"{p}{number}{p}",
                "test_report": {"standard": f"{p}{number}{p}", "product_model": f"{p}{model}"},
            },
        )

    assert _read(normalize_draft(build(pad), PLACEHOLDERS)) == _read(
        normalize_draft(build(""), PLACEHOLDERS)
    )


@given(_TEXT)
def test_keys_are_those_of_the_normalisers(text: str) -> None:
    """The draft's keys are exactly what the normalisers give for the trimmed text."""
    n = normalize_draft(listing(model=text, manufacturer={"name": text}), PLACEHOLDERS)
    assert n.model_key == (model_key(text) or None if text else None)
    assert n.maker_cores == (parse_company(text).index_cores if text else ())
