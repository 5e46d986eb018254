"""Match thresholds come from the policy's matching section, and from nowhere else."""

import json
from importlib import resources
from typing import Any

import pytest

from listing_gate.matching.thresholds import MatchThresholds


def _shipped() -> dict[str, Any]:
    policy = json.loads(resources.files("listing_gate.data").joinpath("policy.json").read_text())
    section: dict[str, Any] = policy["matching"]
    return section


def test_shipped_policy_section_is_read_as_written() -> None:
    """Every knob of the shipped section lands in the thresholds unchanged."""
    thresholds = MatchThresholds.from_mapping(_shipped())
    assert {
        "legal_form_differs": thresholds.legal_form_differs,
        "legal_form_missing": thresholds.legal_form_missing,
        "branch_differs": thresholds.branch_differs,
        "address_detail_min_score": thresholds.address_detail_min_score,
    } == {k: v for k, v in _shipped().items() if not k.startswith("_")}


@pytest.mark.parametrize(
    "key",
    ["legal_form_differs", "legal_form_missing", "branch_differs", "address_detail_min_score"],
)
def test_a_section_missing_a_knob_is_refused(key: str) -> None:
    """No knob has a default in code: a section without it fails loudly at load."""
    section = {k: v for k, v in _shipped().items() if k != key}
    with pytest.raises(ValueError, match=f"missing matching policy keys: {key}"):
        MatchThresholds.from_mapping(section)


def test_values_from_the_mapping_are_used() -> None:
    """A policy can tighten a verdict or the address score."""
    thresholds = MatchThresholds.from_mapping(
        {**_shipped(), "legal_form_differs": "mismatch", "address_detail_min_score": 95}
    )
    assert thresholds.legal_form_differs == "mismatch"
    assert thresholds.address_detail_min_score == 95.0


@pytest.mark.parametrize(
    "change",
    [
        {"legal_form_differ": "weak"},
        {"legal_form_differs": "maybe"},
        {"address_detail_min_score": 120},
    ],
)
def test_mistyped_policy_is_refused(change: dict[str, object]) -> None:
    """A misspelt key or a value out of range fails loudly at load, not silently later."""
    with pytest.raises(ValueError, match=r"matching policy|must be"):
        MatchThresholds.from_mapping({**_shipped(), **change})
