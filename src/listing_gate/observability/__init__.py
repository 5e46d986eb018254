"""Logs and metrics: what the service tells its operators."""
