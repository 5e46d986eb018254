"""Severities and citations come from data, per obligation and edition."""

import json
from importlib import resources

import pytest

from listing_gate.domain import Severity
from listing_gate.rules.policy import load_policy

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
