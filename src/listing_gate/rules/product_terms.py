"""Words that name a catalogue product in a listing's name (CATEGORY_SUSPECTED).

The catalogue's own names and aliases are few ("婴儿车", "修正液"); sellers write
"婴儿推车 伞车" and "学生修正带". data/product_terms.json adds the words sellers use for
each catalogue code, and phrases that contain one but name something else ("冰箱贴",
"宠物玩具"). policy.json says which words around a term make it an accessory ("手机壳")
or a compatibility note ("适用格力空调").
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from weakref import WeakKeyDictionary

from listing_gate.rules.catalog import Catalog, CatalogEntry
from listing_gate.rules.policy import RuleSettings

__all__ = ["ProductTerms", "load_product_terms"]

# A title inside 《》 names a work (a book, a film), not the product the listing sells.
_WORK_OPEN, _WORK_CLOSE = "《", "》"
# What joins products an accessory fits: "燃气灶/电磁炉通用", "燃气灶电磁炉通用".
_JOINERS = frozenset("/、,，&和及与")


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


@dataclass(frozen=True, slots=True)
class _Index:
    # folded term -> its entry, or None for a phrase that names no catalogue product
    entries: dict[str, CatalogEntry | None]
    # first character -> the lengths of the terms starting with it, longest first
    lengths: dict[str, tuple[int, ...]]

    def longest(self, text: str, pos: int) -> tuple[int, CatalogEntry | None] | None:
        """Returns the length and entry of the longest term starting at ``pos``, if any."""
        for length in self.lengths.get(text[pos], ()):
            term = text[pos : pos + length]
            if term in self.entries:
                return length, self.entries[term]
        return None


class ProductTerms:
    """The words of product_terms.json, searched together with a catalogue's own names."""

    def __init__(self, terms: Mapping[str, Iterable[str]], blocked: Iterable[str]) -> None:
        self._terms = {code: tuple(_key(t) for t in words) for code, words in terms.items()}
        self._blocked = tuple(_key(b) for b in blocked)
        # One index per dated catalogue view and minimum length: the view decides which
        # codes are in force, and lives as long as the catalogue keeps it.
        self._indexes: WeakKeyDictionary[Catalog, dict[int, _Index]] = WeakKeyDictionary()

    def named_product(
        self, catalog: Catalog, name: str, rules: RuleSettings
    ) -> tuple[str, CatalogEntry] | None:
        """Returns the longest catalogue term ``name`` names a product by, and its entry.

        ``name`` is folded and lower-cased. At each place the longest term decides; a term
        followed by an accessory word, or shortly after a compatibility word, names no
        product, and neither does a phrase product_terms.json lists under "not".
        """
        index = self._index(catalog, rules.min_alias_chars)
        best: tuple[str, CatalogEntry] | None = None
        pos, end = 0, len(name)
        while pos < end:
            if name[pos] == _WORK_OPEN and (close := name.find(_WORK_CLOSE, pos)) != -1:
                pos = close + 1
                continue
            found = index.longest(name, pos)
            if found is None:
                pos += 1
                continue
            length, entry = found
            if (
                entry is not None
                and (best is None or length > len(best[0]))
                and not _fitted(name, pos + length, index, rules)
                and not _compatible(name, pos, rules)
            ):
                best = (name[pos : pos + length], entry)
            # The words inside a term are that term's: "手机壳" has no phone in it.
            pos += length
        return best

    def _index(self, catalog: Catalog, min_chars: int) -> _Index:
        by_length = self._indexes.setdefault(catalog, {})
        index = by_length.get(min_chars)
        if index is None:
            index = by_length[min_chars] = self._build(catalog, min_chars)
        return index

    def _build(self, catalog: Catalog, min_chars: int) -> _Index:
        entries: dict[str, CatalogEntry | None] = {}
        for entry in catalog.entries:
            for term in (entry.name, *entry.aliases, *self._terms.get(entry.code, ())):
                key = _key(term)
                if len(key) >= min_chars:
                    entries.setdefault(key, entry)
        for phrase in self._blocked:
            entries[phrase] = None
        lengths: dict[str, set[int]] = {}
        for term in entries:
            lengths.setdefault(term[0], set()).add(len(term))
        return _Index(
            entries=entries,
            lengths={c: tuple(sorted(found, reverse=True)) for c, found in lengths.items()},
        )


def _fitted(name: str, end: int, index: _Index, rules: RuleSettings) -> bool:
    # "电磁炉通用" and "燃气灶电磁炉通用": an accessory word after the term, or after the
    # other products listed with it, makes them all what the accessory fits.
    accessory = _accessory(rules.accessory_words)
    if accessory.match(name, end):
        return True
    probe, size = end, len(name)
    while True:
        at = probe
        while at < size and name[at] in _JOINERS:
            at += 1
        found = index.longest(name, at) if at < size else None
        if found is None or found[1] is None:
            break
        probe = at + found[0]
    return probe != end and accessory.match(name, probe) is not None


# Policies are few and long-lived; their word lists compile once each.
@lru_cache(maxsize=8)
def _accessory(accessory_words: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted((_key(w) for w in accessory_words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words) or "(?!)")


def _compatible(name: str, pos: int, rules: RuleSettings) -> bool:
    # "适用格力空调": the compatibility word may stand a brand away, but not across a space.
    window = name[max(0, pos - rules.compatible_window) : pos]
    for word in rules.compatible_words:
        at = window.rfind(word)
        if at != -1 and " " not in window[at + len(word) :]:
            return True
    return False


@lru_cache(maxsize=1)
def load_product_terms() -> ProductTerms:
    """Returns the product terms shipped in the package (product_terms.json)."""
    text = resources.files("listing_gate.data").joinpath("product_terms.json").read_text("utf-8")
    codes: dict[str, dict[str, list[str]]] = json.loads(text)["codes"]
    return ProductTerms(
        {code: spec["terms"] for code, spec in codes.items()},
        [phrase for spec in codes.values() for phrase in spec.get("not", ())],
    )
