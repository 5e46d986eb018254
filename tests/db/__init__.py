"""Tests of persistence: migrations and repositories."""
