"""Comparing the administrative levels two parsed places (companies, addresses) both name."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["level_conflict"]


def level_conflict(a: object, b: object, levels: Iterable[str]) -> tuple[str, str, str] | None:
    """Returns (level, a's value, b's value) of the first level both name differently, else None."""
    # A level compares only when both sides name it: a dropped province or 市 is normal.
    for level in levels:
        left, right = getattr(a, level), getattr(b, level)
        if left and right and left != right:
            return level, left, right
    return None
