"""Repositories: the only modules that write SQL. Each takes a connection and plain values."""
