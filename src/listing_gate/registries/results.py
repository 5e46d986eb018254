"""What a registry lookup comes back as: found, not found, or could not be consulted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

__all__ = ["Found", "Lookup", "NotFound", "Unavailable"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """The registry answered with a record (or, for searches, a possibly empty list)."""

    value: T
    source: str
    retrieved_at: datetime


@dataclass(frozen=True, slots=True)
class NotFound:
    """The registry answered: no such record."""

    source: str
    retrieved_at: datetime


@dataclass(frozen=True, slots=True)
class Unavailable:
    """The registry could not be consulted: "timeout", "error: ...", "circuit open"."""

    registry: str
    reason: str


Lookup = Found[T] | NotFound | Unavailable
