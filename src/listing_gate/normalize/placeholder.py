"""Placeholder text sellers put where a value belongs ("无", "见详情", "/", "N/A")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from listing_gate.normalize.text import fold

__all__ = ["Placeholders"]

# Punctuation and symbols around a value say nothing ("暂无。", "（无）", "--").
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
# A label pasted before the value ("型号：无", "生产厂家: 详见包装"): up to a colon, no digits.
_LABEL = re.compile(r"^[^\d:]{1,10}:\s*")


@dataclass(frozen=True, slots=True)
class Placeholders:
    """Which texts stand in for a value without giving one: policy.json's lists, folded.

    ``words`` are whole values ("无", "n/a", "以实物为准"); ``referrals`` begin a value that
    points elsewhere ("详见…", "见…"), counted as a placeholder up to ``referral_max_chars``.
    """

    words: frozenset[str]
    referrals: tuple[str, ...]
    referral_max_chars: int
    labels: tuple[str, ...] = ()  # field names glued before a placeholder ("厂址详见包装")
    negations: tuple[str, ...] = ()  # "无", "暂无" before a field name ("无警示", "暂无型号")

    @classmethod
    def of(
        cls,
        words: Iterable[str],
        referrals: Iterable[str],
        referral_max_chars: int,
        labels: Iterable[str] = (),
        negations: Iterable[str] = (),
    ) -> Placeholders:
        """Returns the lists folded the way ``holds_no_value`` folds what it is asked about."""
        return cls(
            frozenset(_folded(w) for w in words),
            tuple(_folded(r) for r in referrals),
            referral_max_chars,
            tuple(sorted((_folded(label) for label in labels), key=len, reverse=True)),
            tuple(sorted((_folded(n) for n in negations), key=len, reverse=True)),
        )

    def holds_no_value(self, text: str | None) -> bool:
        """True when ``text`` is blank, punctuation only, or a placeholder (label or not)."""
        if text is None:
            return True
        value = _folded(text)
        if not value:
            return True
        if self._placeholder(value):
            return True
        unlabelled = _LABEL.sub("", fold(text).casefold(), count=1)
        if unlabelled != fold(text).casefold() and self._placeholder(_strip_edges(unlabelled)):
            return True
        label = next((label for label in self.labels if value.startswith(label)), None)
        if label is not None and self._placeholder(_strip_edges(value[len(label) :])):
            return True
        # "无警示", "暂无型号": a negation and the field's own name say there is none.
        negation = next((n for n in self.negations if value.startswith(n)), None)
        return negation is not None and value[len(negation) :] in self.labels

    def _placeholder(self, value: str) -> bool:
        if not value or value in self.words:
            return True
        return len(value) <= self.referral_max_chars and value.startswith(self.referrals)


def _strip_edges(text: str) -> str:
    return _EDGES.sub("", text)


def _folded(text: str) -> str:
    return _strip_edges(fold(text).casefold())
