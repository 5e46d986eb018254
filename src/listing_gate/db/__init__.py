"""Persistence: tables, repositories, migrations, and what the service stores through them.

``unit`` opens every transaction and read connection; ``recorder`` group-commits the
decision log (``sqlite_writer`` on SQLite); ``idempotency`` remembers first answers.
Only repositories write SQL.
"""
