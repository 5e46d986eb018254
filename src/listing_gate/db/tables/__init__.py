"""Table definitions, one module per area, sharing one MetaData."""

from listing_gate.db.tables.base import metadata

__all__ = ["metadata"]
