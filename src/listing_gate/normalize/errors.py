"""Errors raised by the identifier parsers."""

from __future__ import annotations

from listing_gate.errors import ListingGateError

__all__ = ["InvalidNumber"]


class InvalidNumber(ListingGateError, ValueError):  # noqa: N818  (the name others code against)
    """A credential number that cannot be a real one of its kind.

    `reason` is short human text for the finding message, e.g.
    "15 digits, a CCC certificate number has 16".
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
