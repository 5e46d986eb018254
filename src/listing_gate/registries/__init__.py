"""Registry data behind one protocol: the database mirror, the HTTP API, and the lookup
wrapper (cache, coalescing, circuit breaker, deadline) every backend goes through.

- protocol.py: RegistryBackend, RegistryStatus, ChangedRecord
- lookup.py: RegistryLookup, answering with domain.Found / NotFound / Unavailable; deadline()
- mirror.py, http.py: the backends; importer.py, sample.py: filling the mirror
"""
