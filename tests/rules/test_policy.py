"""Severities, citations, thresholds and texts come from data, per obligation and edition."""

import json
import re
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listing_gate.domain import (
    REASON_CODES_DOC,
    REGISTRY_KINDS,
    UNAVAILABLE_CAUSES,
    Regime,
    Severity,
)
from listing_gate.matching import AddressWhy, NameWhy
from listing_gate.normalize.errors import FlawCode
from listing_gate.rules.plan import CredentialKind
from listing_gate.rules.policy import RuleSettings, load_policy

CONTRACT_SEVERITIES = {
    "NOT_KEY_PRODUCT": "info",
    "CATEGORY_SUSPECTED": "review",
    "DISCLOSURE_MISSING": "block",
    "CREDENTIAL_MISSING": "block",
    "CREDENTIAL_NUMBER_INVALID": "block",
    "CREDENTIAL_NOT_FOUND": "block",
    "CREDENTIAL_SUSPENDED": "block",
    "CREDENTIAL_REVOKED": "block",
    "CREDENTIAL_CANCELLED": "block",
    "CREDENTIAL_EXPIRED": "block",
    "CREDENTIAL_CATEGORY_MISMATCH": "block",
    "MANUFACTURER_MISMATCH": "block",
    "MANUFACTURER_UNCERTAIN": "review",
    "ADDRESS_MISMATCH": "block",
    "ADDRESS_UNCERTAIN": "review",
    "MODEL_NOT_COVERED": "block",
    "MODEL_UNCERTAIN": "review",
    "STANDARD_MISMATCH": "review",
    "STANDARD_SUPERSEDED": "review",
    "TEST_REPORT_INCOMPLETE": "block",
    "TEST_REPORT_FAILED": "block",
    "TEST_REPORT_MISMATCH": "review",
    "RECALLED": "block",
    "SPOT_CHECK_FAILED": "review",
    "REGISTRY_UNAVAILABLE": "review",
    "REGISTRY_STALE": "review",
}


@pytest.mark.parametrize(("code", "severity"), sorted(CONTRACT_SEVERITIES.items()))
def test_every_contract_code_has_its_contract_severity(code: str, severity: str) -> None:
    """The reason table carries each contract code at the contract's severity, with a citation."""
    reason = load_policy().reason(code)
    assert reason.severity is Severity(severity)
    assert reason.citation.startswith("draft art.")


def test_an_edition_without_an_obligation_falls_back_to_the_draft() -> None:
    """Order No. 110 numbers can be added one by one; missing ones cite the draft."""
    assert (
        load_policy("order-110").reason("RECALLED").citation
        == load_policy().reason("RECALLED").citation
    )


def test_an_unknown_citation_edition_is_refused() -> None:
    """A typo in the edition must not silently cite nothing."""
    with pytest.raises(ValueError, match="unknown citation edition"):
        load_policy("order-999")


def test_messages_fill_in_the_finding() -> None:
    """The message names the listing's value and the record."""
    reason = load_policy().reason(
        "MODEL_NOT_COVERED",
        listing_value="PB-2001",
        credential_label="CCC证书",
        record_id="2024011609123456",
    )
    assert reason.message == "型号 PB-2001 不在CCC证书 2024011609123456 覆盖的型号内"


def test_every_obligation_named_by_a_code_has_a_draft_citation() -> None:
    """No code points at an obligation the citation table lacks."""
    data = resources.files("listing_gate.data")
    codes = json.loads(data.joinpath("reasons.json").read_text("utf-8"))["codes"]
    draft = json.loads(data.joinpath("citations.json").read_text("utf-8"))["editions"]["draft-2025"]
    assert {spec["obligation"] for spec in codes.values()} <= set(draft)


def _shipped(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("listing_gate.data").joinpath(name).read_text("utf-8")
    )
    return data


@pytest.mark.parametrize(
    ("section", "key"),
    [
        (section, key)
        for section, values in _shipped("policy.json").items()
        if isinstance(values, dict) and section != "matching"
        for key in values
        if not key.startswith("_")
    ],
)
def test_a_policy_missing_a_value_the_rules_read_is_refused(section: str, key: str) -> None:
    """No rule falls back on a number or list written in code: policy.json is the one source."""
    settings = _shipped("policy.json")
    settings[section] = {k: v for k, v in settings[section].items() if k != key}
    with pytest.raises(ValueError, match=f"policy.json lacks {section}.{key}"):
        RuleSettings.from_policy(settings)


def test_the_rules_read_the_shipped_values() -> None:
    """The shipped policy's values are what the rules consult."""
    rules = load_policy().rules
    assert rules.first_ccc_year == 2002
    assert rules.required_fields == (
        "product.manufacturer.name",
        "product.manufacturer.address",
        "product.model",
        "product.standards",
    )
    assert rules.pass_results == {"pass", "合格", "passed"}
    assert load_policy().day_of(datetime(2026, 12, 31, 17, tzinfo=UTC)) == date(2027, 1, 1)


_CODED = {
    "name_match": get_args(NameWhy),
    "address_match": get_args(AddressWhy),
    "invalid_number": get_args(FlawCode),
    "registry_unavailable": UNAVAILABLE_CAUSES,
    "registries": REGISTRY_KINDS,
    "regimes": get_args(Regime),
    "credentials": (*get_args(CredentialKind), "test_report"),
}


@pytest.mark.parametrize(("section", "code"), [(s, c) for s, cs in _CODED.items() for c in cs])
def test_every_code_a_matcher_parser_or_lookup_gives_has_its_words(section: str, code: str) -> None:
    """Explanations, flaws and causes reach messages as codes; texts.json words each one."""
    assert load_policy().text(section, code)


def test_every_text_is_chinese() -> None:
    """No English prose in what a reason shows: codes and fields aside, only Chinese."""
    english = [
        (section, code, text)
        for section, table in _shipped("texts.json").items()
        if not section.startswith("_")
        for code, text in table.items()
        if re.search(r"[a-z]{2,}", re.sub(r"\{[a-z_]+\}", "", text))
    ]
    messages = [spec["message"] for spec in _shipped("reasons.json")["codes"].values()]
    english += [m for m in messages if re.search(r"[a-z]{2,}", re.sub(r"\{[a-z_]+\}", "", m))]
    assert english == []


def test_a_text_fills_in_its_fields() -> None:
    """A template's fields come from the finding that shows it."""
    policy = load_policy()
    assert policy.text("invalid_number", "ccc_digit_count", count="15", expected="16") == (
        "共 15 位数字，CCC证书编号为 16 位"
    )
    assert policy.text(
        "name_match", "legal_form_differs", listing="有限公司", registry="有限责任公司"
    ) == ("同一企业，组织形式不同（有限公司 / 有限责任公司）")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_the_decision_moment_of_a_day_falls_on_that_day(day: date) -> None:
    """moment_of and day_of are inverse: off-line decisions "as of a day" are made on it."""
    policy = load_policy()
    moment = policy.moment_of(day)
    assert moment.tzinfo is not None
    assert policy.day_of(moment) == day


def test_the_openapi_document_names_every_reason_code() -> None:
    """Each code of reasons.json is listed where clients read the Reason schema."""
    codes = json.loads(resources.files("listing_gate.data").joinpath("reasons.json").read_text())
    documented = set(re.findall(r"\b[A-Z][A-Z_]+[A-Z]\b", REASON_CODES_DOC))
    assert set(codes["codes"]) <= documented
