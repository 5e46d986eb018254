"""Match thresholds come from the policy's matching section."""

import json
from importlib import resources

import pytest

from listing_gate.matching.thresholds import DEFAULT, MatchThresholds


def test_shipped_policy_section_equals_the_defaults() -> None:
    """policy.json and the code agree, so either can be read as the truth."""
    policy = json.loads(resources.files("listing_gate.data").joinpath("policy.json").read_text())
    assert MatchThresholds.from_mapping(policy["matching"]) == DEFAULT


def test_absent_keys_keep_their_defaults() -> None:
    """An empty section is the defaults."""
    assert MatchThresholds.from_mapping({}) == DEFAULT


def test_values_from_the_mapping_are_used() -> None:
    """A policy can tighten a verdict or the address score."""
    thresholds = MatchThresholds.from_mapping(
        {"legal_form_differs": "mismatch", "address_detail_min_score": 95}
    )
    assert thresholds.legal_form_differs == "mismatch"
    assert thresholds.address_detail_min_score == 95.0


@pytest.mark.parametrize(
    "section",
    [
        {"legal_form_differ": "weak"},
        {"legal_form_differs": "maybe"},
        {"address_detail_min_score": 120},
    ],
)
def test_mistyped_policy_is_refused(section: dict[str, object]) -> None:
    """A misspelt key or a value out of range fails loudly at load, not silently later."""
    with pytest.raises(ValueError, match=r"matching policy|must be"):
        MatchThresholds.from_mapping(section)
