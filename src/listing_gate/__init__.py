"""listing-gate: verifies e-commerce listing drafts against product-compliance registries."""

__version__ = "0.1.0"
