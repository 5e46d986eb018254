"""Persistence: tables, repositories and migrations. Only repositories write SQL."""
