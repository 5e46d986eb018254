"""The contract's decision rule: block beats review beats allow, reasons ordered likewise."""

from listing_gate.domain import Decision
from listing_gate.rules import decide
from listing_gate.rules.policy import load_policy

POLICY = load_policy()


def test_no_reasons_means_allow() -> None:
    """A listing with nothing found against it is allowed."""
    assert decide([]) == (Decision.ALLOW, [])


def test_info_alone_still_allows() -> None:
    """Information does not hold a listing back."""
    decision, _ = decide([POLICY.reason("NOT_KEY_PRODUCT", listing_value="图书")])
    assert decision is Decision.ALLOW


def test_one_review_reason_makes_review() -> None:
    """A review finding without a block finding sends the listing to a person."""
    decision, _ = decide([POLICY.reason("SPOT_CHECK_FAILED"), POLICY.reason("NOT_KEY_PRODUCT")])
    assert decision is Decision.REVIEW


def test_block_wins_and_reasons_are_ordered_block_review_info() -> None:
    """Block beats review; reasons come back block first, then review, then info."""
    decision, reasons = decide(
        [
            POLICY.reason("NOT_KEY_PRODUCT"),
            POLICY.reason("STANDARD_MISMATCH"),
            POLICY.reason("MODEL_NOT_COVERED", listing_value="PB-2001"),
        ]
    )
    assert decision is Decision.BLOCK
    assert [r.code for r in reasons] == [
        "MODEL_NOT_COVERED",
        "STANDARD_MISMATCH",
        "NOT_KEY_PRODUCT",
    ]


def test_the_same_finding_twice_is_reported_once() -> None:
    """Two rules reaching the same finding do not duplicate it."""
    same = POLICY.reason("REGISTRY_UNAVAILABLE", registry_value="ccc", detail="timeout")
    _, reasons = decide([same, same])
    assert reasons == [same]
