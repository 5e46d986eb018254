"""The key-product catalog (draft art. 3): which categories the gate covers, under which regime.

Entries are dated (catalog 2026.12-2): a category may come into the catalog on
``effective_from`` and may have had another regime (``previous_regime``) before
``regime_changed_on``. ``Catalog.on(day)`` is the catalog as it stood on a day; a
decision resolves categories in the catalog of its decision date.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from typing import Any

from listing_gate.domain import Regime

__all__ = ["Catalog", "CatalogEntry", "load_catalog"]

_LEADING_CODE = re.compile(r"^([0-9]{4}|[A-Z][0-9]{2})(?![0-9])")
# "P" + year + sequence: CCC product types whose CNCA product code is not yet confirmed
# (the catalog's sources say so); no certificate number can carry such a code.
_PROVISIONAL_CODE = re.compile(r"^P[0-9]{4}$")
_DATED_VIEWS_KEPT = 64


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
    effective_from: date | None = None
    # The regime this one replaced on ``regime_changed_on``. In a dated view it is set only
    # once the change has happened: a listing may then still show the old credential.
    previous_regime: Regime | None = None
    regime_changed_on: date | None = None

    @property
    def product_codes(self) -> frozenset[str]:
        """Returns the codes a credential for this category may carry: current and legacy."""
        return frozenset((self.code, *self.legacy_codes))

    @property
    def provisional(self) -> bool:
        """True when the code is a placeholder: genuine certificates carry an unknown code."""
        return _PROVISIONAL_CODE.match(self.code) is not None

    def on(self, day: date) -> CatalogEntry | None:
        """Returns the entry as in force on ``day``, or None when it was not yet a key product."""
        changed_on = self.regime_changed_on or self.effective_from
        if self.previous_regime is not None and changed_on is not None and day < changed_on:
            return replace(
                self,
                regime=self.previous_regime,
                previous_regime=None,
                self_declaration_programme=None,
            )
        if self.effective_from is not None and day < self.effective_from:
            return None
        return self


class Catalog:
    """The categories in force, indexed for resolving what sellers write."""

    def __init__(
        self,
        *,
        version: str,
        sources: tuple[str, ...],
        entries: tuple[CatalogEntry, ...],
        raw: dict[str, Any],
        known_product_codes: frozenset[str] | None = None,
        day: date | None = None,
    ) -> None:
        self.version = version
        self.sources = sources
        self.entries = entries
        self.day = day
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
        # Every code any edition of the catalog knows: a certificate issued under a code
        # is real whether or not its category is in force on the day it is shown.
        self.known_product_codes = known_product_codes or frozenset(
            c for e in entries for c in e.product_codes
        )
        self._views: dict[date, Catalog] = {}

    def on(self, day: date) -> Catalog:
        """Returns the catalog as it stood on ``day``: regimes then in force, later entries out."""
        view = self._views.get(day)
        if view is None:
            entries = tuple(e for e in (entry.on(day) for entry in self.entries) if e is not None)
            view = Catalog(
                version=self.version,
                sources=self.sources,
                entries=entries,
                raw=_raw_on(self._raw, day),
                known_product_codes=self.known_product_codes,
                day=day,
            )
            if len(self._views) >= _DATED_VIEWS_KEPT:
                self._views.clear()
            self._views[day] = view
        return view

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

    def terms(self) -> tuple[tuple[str, CatalogEntry], ...]:
        """Returns (folded name or alias, entry) pairs, longest first, for scanning text."""
        return self._terms

    def as_json(self) -> dict[str, Any]:
        """Returns the catalog as GET /v1/catalog serves it: version, sources and categories."""
        return self._raw


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _raw_on(raw: dict[str, Any], day: date) -> dict[str, Any]:
    # The served document mirrors CatalogEntry.on: the regime in force on the day, the
    # change still ahead shown as next_regime, entries not yet in force left out.
    categories = []
    for source in raw["categories"]:
        category = copy.deepcopy(source)
        effective = _date(category.get("effective_from"))
        changed = _date(category.get("regime_changed_on")) or effective
        previous = category.get("previous_regime")
        if previous is not None and changed is not None and day < changed:
            category["next_regime"] = category["regime"]
            category["regime"] = previous
            del category["previous_regime"]
        elif effective is not None and day < effective:
            continue
        categories.append(category)
    return {**raw, "on": day.isoformat(), "categories": categories}


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_catalog(text: str | None = None) -> Catalog:
    """Returns the catalog shipped in the package (or parsed from ``text``), all dates included."""
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
            effective_from=_date(c.get("effective_from")),
            previous_regime=c.get("previous_regime"),
            regime_changed_on=_date(c.get("regime_changed_on")),
        )
        for c in raw["categories"]
    )
    return Catalog(
        version=raw["version"], sources=tuple(raw.get("sources") or ()), entries=entries, raw=raw
    )
