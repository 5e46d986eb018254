"""Report fixtures: the recorded world (see world.py) on SQLite and PostgreSQL."""

from reverify.world import _clean_environment, world_pg, world_sqlite, world_url

__all__ = ["_clean_environment", "world_pg", "world_sqlite", "world_url"]
