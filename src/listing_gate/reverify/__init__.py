"""Re-verification: re-deciding recorded listings against current registry data.

``jobs`` runs whole runs (every listing, or those a registry change selected), ``runner``
one shard of one, ``selection`` finds the listings a registry change concerns, and
``service`` starts runs for the API and reports on them.
"""
