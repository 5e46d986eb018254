"""The data every rule consults besides a listing's facts: catalog, policy, match thresholds."""

from __future__ import annotations

from dataclasses import dataclass

from listing_gate.matching.thresholds import MatchThresholds
from listing_gate.rules.catalog import Catalog
from listing_gate.rules.policy import Policy

__all__ = ["RuleContext"]


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
