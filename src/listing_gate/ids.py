"""Identifiers: ULID-style, so verification ids sort by the time they were made."""

from __future__ import annotations

import os
import threading
import time

__all__ = ["new_id"]

# Crockford base32: no I, L, O, U, so ids survive being read aloud or retyped.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PAIRS = [high + low for high in _ALPHABET for low in _ALPHABET]
_lock = threading.Lock()
_last_ms = 0
_last_random = 0


def new_id() -> str:
    """Returns a 26-character ULID: 48-bit milliseconds then 80 random bits, monotonic here."""
    # Process-wide state on purpose: monotonic ids across every caller in this process.
    global _last_ms, _last_random
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        if now_ms <= _last_ms:
            # Same millisecond (or a clock step back): count up so ids made in this process
            # still sort in creation order.
            now_ms = _last_ms
            random = (_last_random + 1) & ((1 << 80) - 1)
        else:
            random = int.from_bytes(os.urandom(10), "big")
        _last_ms, _last_random = now_ms, random
    value = (now_ms << 80) | random
    # Two characters (ten bits) per table lookup: 13 steps instead of 26 on the hot path.
    return "".join([_PAIRS[(value >> shift) & 1023] for shift in range(120, -1, -10)])
