"""Errors of the registry layer: a backend that answered wrongly, a data file that is bad."""

from __future__ import annotations

from listing_gate.errors import ListingGateError

__all__ = ["ImportFileError", "RecordKeyError", "RegistryError"]


class RegistryError(ListingGateError):
    """A registry backend answered, but not with something usable (status, type, body)."""


class RecordKeyError(ListingGateError, ValueError):
    """A record's identifying field cannot be normalised into a lookup key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ImportFileError(ListingGateError):
    """A registry data file has a bad line; nothing of the file was imported."""

    def __init__(self, line_no: int, field: str | None, message: str) -> None:
        where = f"line {line_no}" + (f", field {field}" if field else "")
        super().__init__(f"{where}: {message}")
        self.line_no = line_no
        self.field = field
        self.message = message
