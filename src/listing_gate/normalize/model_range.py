"""Numeric ranges in certificate model lists: "BV 450/750V 1.5~6mm²", "MC-XD8010~MC-XD8090"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["ModelRange", "numeric_range"]

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_PLAIN_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class ModelRange:
    """A numeric range entry ("BV 450/750V 1.5~6mm²", "MC-XD8010~MC-XD8090") over model keys.

    It covers a key that is ``prefix``, a number from ``low`` to ``high`` (inclusive) and
    ``suffix``: the same text around, only the number inside.
    """

    prefix: str
    suffix: str
    low: Decimal
    high: Decimal
    width: int | None  # digits of a zero-padded code ("0010~0090"); None for plain numbers
    entry: str

    def covers(self, key: str) -> bool:
        """True when ``key`` is the range's text around a number inside it."""
        end = len(key) - len(self.suffix)
        if end <= len(self.prefix) or not (
            key.startswith(self.prefix) and key.endswith(self.suffix)
        ):
            return False
        number = key[len(self.prefix) : end]
        if self.width is not None:
            if len(number) != self.width or not number.isdigit():
                return False
        elif not _PLAIN_NUMBER.fullmatch(number):
            return False
        return self.low <= Decimal(number) <= self.high


def numeric_range(key: str, entry: str) -> ModelRange | None:
    """Return the range a model key with one '~' (or 至, 到) writes, if both ends agree on the text.

    ``entry`` is the registry text the key comes from, which a covered model is told.
    """
    key = key.replace("至", "~").replace("到", "~")
    if key.count("~") != 1:
        return None
    left, right = key.split("~")
    best: tuple[tuple[bool, int], ModelRange] | None = None
    for low in _NUMBER.finditer(left):
        head, tail = left[: low.start()], left[low.end() :]
        for high in _NUMBER.finditer(right):
            # The upper bound may repeat the end of the text before the lower one
            # ("MC-XD8010~MC-XD8090", "2×0.75~2×1.5mm²") and must end as the lower one
            # does when that says anything ("1.5mm²~6mm²").
            lead, rest = right[: high.start()], right[high.end() :]
            if not head.endswith(lead) or (tail and tail != rest):
                continue
            lo, hi = low.group(0), high.group(0)
            if Decimal(lo) >= Decimal(hi):
                continue
            padded = len(lo) > 1 and lo[0] == "0" and lo[1] != "."
            found = ModelRange(
                head, rest, Decimal(lo), Decimal(hi), len(lo) if padded else None, entry
            )
            # The best reading says the most: a unit on both sides, then the longest repeat.
            rank = (bool(tail), len(lead))
            if best is None or rank > best[0]:
                best = (rank, found)
    return None if best is None else best[1]
