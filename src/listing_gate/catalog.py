"""The key-product catalog (draft art. 3): which categories the gate covers, under which regime."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

from listing_gate.domain import Regime

__all__ = ["Catalog", "CatalogEntry", "load_catalog"]

_LEADING_CODE = re.compile(r"^([0-9]{4}|[A-Z][0-9]{2})(?![0-9])")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    code: str
    name: str
    regime: Regime
    class_name: str | None
    legacy_codes: tuple[str, ...]
    aliases: tuple[str, ...]
    mandatory_standards: tuple[str, ...]
    requires_warnings: bool
    self_declaration_programme: str | None

    @property
    def product_codes(self) -> frozenset[str]:
        """Returns the codes a credential for this category may carry: current and legacy."""
        return frozenset((self.code, *self.legacy_codes))


class Catalog:
    """The categories in force, indexed for resolving what sellers write."""

    def __init__(
        self,
        *,
        version: str,
        sources: tuple[str, ...],
        entries: tuple[CatalogEntry, ...],
        raw: dict[str, Any],
    ) -> None:
        self.version = version
        self.sources = sources
        self.entries = entries
        self._raw = raw
        self._by_code = {entry.code: entry for entry in entries}
        self._lookup: dict[str, CatalogEntry] = {}
        # Earlier kinds are never shadowed by later ones: a code beats a legacy code,
        # which beats a name, which beats an alias.
        for keys in (
            [(e.code, e) for e in entries],
            [(legacy, e) for e in entries for legacy in e.legacy_codes],
            [(e.name, e) for e in entries],
            [(alias, e) for e in entries for alias in e.aliases],
        ):
            for text, entry in keys:
                self._lookup.setdefault(_key(text), entry)
        self._terms = tuple(
            sorted(
                ((_key(t), e) for e in entries for t in (e.name, *e.aliases)),
                key=lambda pair: -len(pair[0]),
            )
        )
        self.known_product_codes = frozenset(c for e in entries for c in e.product_codes)

    def resolve(self, category: str) -> CatalogEntry | None:
        """Returns the entry a listing's category names (code, legacy code, name or alias)."""
        key = _key(category)
        entry = self._lookup.get(key)
        if entry is None:
            match = _LEADING_CODE.match(key.upper())
            if match:
                entry = self._lookup.get(match.group(1).lower())
        return entry

    def by_code(self, code: str) -> CatalogEntry | None:
        """Returns the entry whose current code is ``code``."""
        return self._by_code.get(code)

    def for_product_code(self, code: str) -> CatalogEntry | None:
        """Returns the entry a credential's product code (current or legacy) belongs to."""
        return self.resolve(code) if code in self.known_product_codes else None

    def terms(self) -> tuple[tuple[str, CatalogEntry], ...]:
        """Returns (folded name or alias, entry) pairs, longest first, for scanning text."""
        return self._terms

    def as_json(self) -> dict[str, Any]:
        """Returns the catalog as GET /v1/catalog serves it: version, sources and categories."""
        return self._raw


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def load_catalog(text: str | None = None) -> Catalog:
    """Returns the catalog shipped in the package (or parsed from ``text``)."""
    if text is None:
        text = resources.files("listing_gate.data").joinpath("catalog.json").read_text("utf-8")
    raw = json.loads(text)
    entries = tuple(
        CatalogEntry(
            code=c["code"],
            name=c["name"],
            regime=c["regime"],
            class_name=c.get("class"),
            legacy_codes=tuple(c.get("legacy_codes") or ()),
            aliases=tuple(c.get("aliases") or ()),
            mandatory_standards=tuple(c.get("mandatory_standards") or ()),
            requires_warnings=bool(c.get("requires_warnings")),
            self_declaration_programme=c.get("self_declaration_programme"),
        )
        for c in raw["categories"]
    )
    return Catalog(
        version=raw["version"], sources=tuple(raw.get("sources") or ()), entries=entries, raw=raw
    )
