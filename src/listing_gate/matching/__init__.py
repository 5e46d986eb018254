"""Pure matching of listed manufacturer names and addresses against registry parties."""

from listing_gate.matching.addresses import AddressMatch, match_address
from listing_gate.matching.names import NameMatch, match_name
from listing_gate.matching.thresholds import DEFAULT, MatchThresholds

__all__ = ["DEFAULT", "AddressMatch", "MatchThresholds", "NameMatch", "match_address", "match_name"]
