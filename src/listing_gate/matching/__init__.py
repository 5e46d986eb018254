"""Pure matching of listed manufacturer names and addresses against registry parties.

Each verdict comes with a code saying why (``NameWhy``, ``AddressWhy``); the data files
word the codes in Chinese (texts.json "name_match", "address_match").
"""

from listing_gate.matching.addresses import AddressMatch, AddressWhy, match_address, match_place
from listing_gate.matching.names import NameMatch, NameWhy, match_company, match_name
from listing_gate.matching.thresholds import MatchThresholds

__all__ = [
    "AddressMatch",
    "AddressWhy",
    "MatchThresholds",
    "NameMatch",
    "NameWhy",
    "match_address",
    "match_company",
    "match_name",
    "match_place",
]
