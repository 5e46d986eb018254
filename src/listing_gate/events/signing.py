"""Webhook signatures: HMAC-SHA256 over ``"{timestamp}.{body}"``, checked replay-safe.

The timestamp is inside the signed text, so a captured request cannot be replayed with
a fresh timestamp, and a receiver rejects old timestamps (``tolerance_s``).
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = [
    "IDEMPOTENCY_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "signature",
    "signed_headers",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Listing-Gate-Signature"
TIMESTAMP_HEADER = "X-Listing-Gate-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
_PREFIX = "sha256="


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Returns ``sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">``."""
    message = str(timestamp).encode() + b"." + body
    return _PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str | None, event_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """Returns the headers of one delivery; unsigned when no secret is configured."""
    headers = {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        IDEMPOTENCY_HEADER: event_id,
    }
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, timestamp, body)
    return headers


def verify_signature(
    secret: str,
    header: str | None,
    timestamp: str | None,
    body: bytes,
    *,
    now: float,
    tolerance_s: float = 300.0,
) -> bool:
    """Returns True only for a correct signature on a timestamp within ``tolerance_s`` of now."""
    if not header or not timestamp or not timestamp.isdigit():
        return False
    if abs(now - int(timestamp)) > tolerance_s:
        return False
    expected = signature(secret, int(timestamp), body)
    # Constant time: the comparison must not tell an attacker how much of a guess was right.
    return hmac.compare_digest(expected, header)
