"""What the rules reason about: the draft, its category, and what each registry said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, Literal, TypeVar

from listing_gate.domain import (
    CccRecord,
    LicenseRecord,
    ListingDraft,
    RecallRecord,
    SpotCheckRecord,
    StandardRecord,
)
from listing_gate.matching.thresholds import MatchThresholds
from listing_gate.rules.catalog import Catalog, CatalogEntry
from listing_gate.rules.policy import Policy

__all__ = ["Facts", "Fetched", "RuleContext", "credential_id"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """One registry answer as the rules see it; ``unavailable`` is never a silent pass."""

    state: Literal["found", "not_found", "unavailable"]
    value: T | None = None
    detail: str = ""

    @property
    def found(self) -> bool:
        """True when the registry answered with a record."""
        return self.state == "found"


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything known about one listing at decision time. ``None`` means not consulted."""

    draft: ListingDraft
    category: CatalogEntry | None
    today: date
    ccc: Fetched[CccRecord] | None = None
    license: Fetched[LicenseRecord] | None = None
    recalls: Fetched[list[RecallRecord]] | None = None
    spot_checks: Fetched[list[SpotCheckRecord]] | None = None
    standards: Fetched[dict[str, StandardRecord]] | None = None
    stale: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RuleContext:
    """The data the rules consult besides facts."""

    catalog: Catalog
    policy: Policy
    thresholds: MatchThresholds

    @classmethod
    def build(cls, catalog: Catalog, policy: Policy) -> RuleContext:
        """Returns a context whose match thresholds come from the policy's matching section.

        The policy names the catalog edition it was written for: a decision's
        ``policy_version`` then identifies the catalog it applied too.
        """
        pinned = policy.settings.get("catalog_version")
        if pinned != catalog.version:
            raise ValueError(
                f"policy {policy.version} is for catalog {pinned}, not catalog {catalog.version}"
            )
        return cls(catalog, policy, MatchThresholds.from_mapping(policy.section("matching")))


def credential_id(record: CccRecord | LicenseRecord) -> str:
    """Returns the registry id of a credential record."""
    return record.license_no if isinstance(record, LicenseRecord) else record.certificate_no
