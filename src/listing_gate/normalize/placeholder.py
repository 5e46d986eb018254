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
_COLON = re.compile("[:：﹕︓]")
# Characters NFKC and casefolding leave as they are (bar ASCII case): a CJK ideograph of
# the main block, an ASCII letter or digit.
_PLAIN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{1,2}")
# Room for punctuation and spaces around a placeholder ("（ 暂无 ）", "N / A").
_PADDING = 16
_ASCII_DIGIT = re.compile(r"[0-9]")


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
    # Most values are told apart before the pattern is tried (a listing passes here about
    # ten times): by how a placeholder can begin (its first two characters, after a colon
    # label if there is one), by the longest a placeholder can be, and, while no
    # placeholder holds a digit outside a CJK referral, by an ASCII digit.
    beginnings: frozenset[str]
    longest: int
    digits_decide: bool

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
        folded = [[f for t in texts if (f := _folded(t))] for texts in lists]
        beginnings = frozenset(f[:2] for texts in folded for f in texts)
        longest = max((len(f) for texts in (folded[0], folded[3]) for f in texts), default=0) + max(
            (len(f) for f in folded[2]), default=0
        )
        longest = _LABEL_CHARS + max(longest, referral_max_chars) + _PADDING
        digits_decide = not any(f.isascii() for f in folded[1]) and not any(
            c.isdigit() for texts in (folded[0], folded[2], folded[3]) for f in texts for c in f
        )
        return cls(re.compile(source, re.DOTALL), beginnings, longest, digits_decide)

    def holds_no_value(self, text: str | None) -> bool:
        """True when ``text`` is blank, punctuation only, or a placeholder (label or not)."""
        if not text:
            return True
        if len(text) > self.longest:
            return False
        if self.digits_decide and text.isascii() and _ASCII_DIGIT.search(text):
            return False
        stripped = text.strip()
        colon = _COLON.search(stripped, 0, _LABEL_CHARS)
        if not self._may_begin(stripped) and (
            colon is None or not self._may_begin(stripped[colon.end() :].lstrip())
        ):
            return False  # the common case, decided before folding the whole text
        value = _folded(text)
        return self.pattern.fullmatch(value) is not None

    def _may_begin(self, text: str) -> bool:
        # False only when the first two characters are plain (folding cannot change them)
        # and begin no placeholder, label or negation: then ``text`` is none of them.
        head = text[:2]
        if _PLAIN.fullmatch(head) is None:
            return True
        head = head.lower()
        return head in self.beginnings or head[0] in self.beginnings


def _folded(text: str) -> str:
    # Spaces go too: "N / A" and "暂 无" are typed with them.
    return _EDGES.sub("", fold(text).casefold().replace(" ", ""))


def _alternatives(texts: Iterable[str]) -> str:
    # Longest first, so that a longer phrase wins over its own beginning; "" when none.
    folded = sorted({f for t in texts if (f := _folded(t))}, key=len)
    return "(?:" + "|".join(map(re.escape, reversed(folded))) + ")" if folded else ""
