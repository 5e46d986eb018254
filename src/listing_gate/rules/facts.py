"""What the rules reason about: the prepared draft and what each registry answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from listing_gate.domain import (
    Answer,
    CccRecord,
    Found,
    LicenseRecord,
    RecallRecord,
    SpotCheckRecord,
    StandardRecord,
    Unavailable,
)
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.draft import NormalizedDraft
from listing_gate.rules.parties import Party
from listing_gate.rules.plan import CredentialPlan
from listing_gate.rules.preparation import Prepared

__all__ = ["Facts"]


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything known about one listing at decision time. ``None`` means not consulted."""

    prepared: Prepared
    credential: Answer[CccRecord] | Answer[LicenseRecord] | None = None
    parties: tuple[Party, ...] = ()  # the found credential's (FollowUp.parties)
    standards: Found[dict[str, StandardRecord]] | Unavailable | None = None
    recalls: Found[list[RecallRecord]] | Unavailable | None = None
    spot_checks: Found[list[SpotCheckRecord]] | Unavailable | None = None
    stale: frozenset[str] = frozenset()  # registries consulted whose mirror is too old

    @property
    def draft(self) -> NormalizedDraft:
        """Returns the listing as the rules read it."""
        return self.prepared.draft

    @property
    def category(self) -> CatalogEntry | None:
        """Returns the category in force on the decision day, None outside the catalog."""
        return self.prepared.category

    @property
    def today(self) -> date:
        """Returns the decision day."""
        return self.prepared.today

    @property
    def plan(self) -> CredentialPlan | None:
        """Returns the credential the listing shows and its lookup key, if any."""
        return self.prepared.plan

    @property
    def record(self) -> CccRecord | LicenseRecord | None:
        """Returns the registry record of the listing's credential, when one was found."""
        return self.credential.value if isinstance(self.credential, Found) else None
