"""Placeholder text sellers put where a value belongs ("无", "见详情", "/", "N/A")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from listing_gate.normalize.text import fold

__all__ = ["Placeholders"]

# Punctuation and symbols around a value say nothing ("暂无。", "（无）", "--").
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
# A label before a colon ("生产厂家：详见包装") is at most this long, colon included.
_LABEL_CHARS = 11
_COLONS = frozenset(":：﹕︓")


@dataclass(frozen=True, slots=True)
class Placeholders:
    """Which texts stand in for a value without giving one: policy.json's lists, compiled.

    A value is a placeholder when, folded and without the punctuation around it, it is
    empty, one of ``words`` ("无", "n/a", "以实物为准"), a phrase beginning with one of
    ``referrals`` ("详见…") no longer than ``referral_max_chars``, or one of ``negations``
    followed by one of ``labels`` ("无警示"). A label before any of these, glued ("厂址详见
    包装") or up to a colon ("型号：无"), changes nothing.
    """

    pattern: re.Pattern[str]
    # The characters a placeholder can begin with (a colon label aside): most values begin
    # otherwise and are told apart without the pattern (listings pass here ten times each).
    starts: frozenset[str]

    @classmethod
    def of(
        cls,
        words: Iterable[str],
        referrals: Iterable[str],
        referral_max_chars: int,
        labels: Iterable[str] = (),
        negations: Iterable[str] = (),
    ) -> Placeholders:
        """Returns the lists folded the way values are, as one expression (one match a value)."""
        lists = tuple(map(tuple, (words, referrals, labels, negations)))
        label = _alternatives(lists[2])
        branches = [""]  # nothing but punctuation after a label ("型号：")
        if whole := _alternatives(lists[0]):
            branches.append(whole)
        if refers := _alternatives(lists[1]):
            branches.append(rf"(?=.{{1,{referral_max_chars}}}$){refers}.*")
        if (denies := _alternatives(lists[3])) and label:
            branches.append(denies + label)
        colon = rf"[^\d:]{{1,{_LABEL_CHARS - 1}}}:"
        prefix = rf"(?:{colon}|{label})?" if label else rf"(?:{colon})?"
        source = rf"{prefix}[\W_]*(?:{'|'.join(branches)})[\W_]*"
        starts = frozenset(f[0] for texts in lists for t in texts if (f := _folded(t)))
        return cls(re.compile(source, re.DOTALL), starts)

    def holds_no_value(self, text: str | None) -> bool:
        """True when ``text`` is blank, punctuation only, or a placeholder (label or not)."""
        if text is None:
            return True
        head = text.lstrip()[:_LABEL_CHARS]
        if (
            head
            and _plain(head[0])
            and head[0].lower() not in self.starts
            and _COLONS.isdisjoint(head)
        ):
            return False  # the common case, decided before folding the whole text
        value = _folded(text)
        if value and value[0] not in self.starts and ":" not in value[:_LABEL_CHARS]:
            return False
        return self.pattern.fullmatch(value) is not None


def _plain(char: str) -> bool:
    # Characters NFKC and casefolding leave as they are (bar ASCII case): a CJK ideograph
    # of the main block, an ASCII letter or digit.
    return "\u4e00" <= char <= "\u9fff" or (char.isascii() and char.isalnum())


def _folded(text: str) -> str:
    # Spaces go too: "N / A" and "暂 无" are typed with them.
    return _EDGES.sub("", fold(text).casefold().replace(" ", ""))


def _alternatives(texts: Iterable[str]) -> str:
    # Longest first, so that a longer phrase wins over its own beginning; "" when none.
    folded = sorted({f for t in texts if (f := _folded(t))}, key=len)
    return "(?:" + "|".join(map(re.escape, reversed(folded))) + ")" if folded else ""
