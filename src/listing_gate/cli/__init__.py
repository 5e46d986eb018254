"""The ``listing-gate`` command line: one module per group of subcommands."""

from listing_gate.cli.main import main

__all__ = ["main"]
