"""Tests of the registry layer: backends, import, lookup wrapper."""
