"""Outcome-change events: the outbox, webhook signatures and the delivery worker."""
