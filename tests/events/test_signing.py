"""Webhook signatures: HMAC-SHA256 over "{timestamp}.{body}", replay-safe."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from listing_gate.events.backoff import retry_delay
from listing_gate.events.signing import signature, signed_headers, verify_signature

SECRET = "s3cret"
BODY = b'{"event_id":"01J","listing_id":"sku-1"}'
NOW = 1_796_000_000


def test_signature_is_hex_hmac_sha256_of_timestamp_dot_body() -> None:
    """The header is exactly what a receiver computes by the documented recipe."""
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, NOW, BODY) == f"sha256={expected}"


def test_headers_carry_signature_timestamp_and_event_id_as_idempotency_key() -> None:
    """Every delivery names its event, so a receiver can drop redeliveries."""
    headers = signed_headers(SECRET, "01JEVENT", NOW, BODY)
    assert headers["Idempotency-Key"] == "01JEVENT"
    assert headers["X-Listing-Gate-Timestamp"] == str(NOW)
    assert headers["X-Listing-Gate-Signature"] == signature(SECRET, NOW, BODY)


def test_a_correct_signature_within_tolerance_verifies() -> None:
    """The receiver-side check accepts what the sender signed."""
    header = signature(SECRET, NOW, BODY)
    assert verify_signature(SECRET, header, str(NOW), BODY, now=NOW + 10)


def test_a_replayed_request_with_an_old_timestamp_is_rejected() -> None:
    """A captured request cannot be replayed after the tolerance window."""
    header = signature(SECRET, NOW, BODY)
    assert not verify_signature(SECRET, header, str(NOW), BODY, now=NOW + 301)


def test_a_new_timestamp_on_an_old_signature_is_rejected() -> None:
    """The timestamp is signed, so it cannot be refreshed by an attacker."""
    header = signature(SECRET, NOW, BODY)
    assert not verify_signature(SECRET, header, str(NOW + 60), BODY, now=NOW + 60)


def test_a_changed_body_or_another_secret_is_rejected() -> None:
    """One byte of body, or the wrong key, breaks the signature."""
    header = signature(SECRET, NOW, BODY)
    assert not verify_signature(SECRET, header, str(NOW), BODY + b" ", now=NOW)
    assert not verify_signature("other", header, str(NOW), BODY, now=NOW)
    assert not verify_signature(SECRET, None, str(NOW), BODY, now=NOW)
    assert not verify_signature(SECRET, header, "not-a-number", BODY, now=NOW)


@given(attempt=st.integers(min_value=1, max_value=200), draw=st.floats(0.0, 1.0))
def test_retry_delay_stays_between_half_and_all_of_the_capped_exponential(
    attempt: int, draw: float
) -> None:
    """Jitter spreads retries but never below half the backoff nor above the cap."""
    delay = retry_delay(attempt, base_s=2.0, cap_s=600.0, uniform=lambda a, b: a + (b - a) * draw)
    full = min(600.0, 2.0 * 2 ** (attempt - 1))
    assert full / 2 <= delay <= full


def test_retry_delay_grows_exponentially_until_the_cap() -> None:
    """Without jitter the delays double: 1, 2, 4, ... then stay at the cap."""
    top = [retry_delay(n, base_s=1.0, cap_s=10.0, uniform=lambda a, b: b) for n in range(1, 7)]
    assert top == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
