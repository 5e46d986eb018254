"""Every Prometheus metric the service exports, in one place so dashboards can be checked.

Labels are bounded sets (route templates, registry kinds, decisions, reason codes),
never listing or seller ids.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

# --- decisions ---------------------------------------------------------------------------
DECISIONS = Counter(
    "listing_gate_decisions_total", "Verifications answered, by decision.", ["decision"]
)
REASONS = Counter(
    "listing_gate_reasons_total", "Reasons attached to answered verifications.", ["code"]
)

# --- HTTP ----------------------------------------------------------------------------------
HTTP_REQUESTS = Counter(
    "listing_gate_http_requests_total",
    "HTTP requests by route template, method and status code.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "listing_gate_http_request_duration_seconds",
    "HTTP request latency by route template.",
    ["route", "method"],
    buckets=_LATENCY_BUCKETS,
)
HTTP_IN_FLIGHT = Gauge("listing_gate_http_requests_in_flight", "HTTP requests being served.")

# --- decision write path -------------------------------------------------------------------
WRITE_QUEUE_DEPTH = Gauge(
    "listing_gate_write_queue_depth", "Decision records waiting for the group commit."
)
WRITE_BATCH_SIZE = Histogram(
    "listing_gate_write_batch_size",
    "Decision records per group commit.",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
)
WRITE_REJECTIONS = Counter(
    "listing_gate_write_rejections_total",
    "Verifications refused with 503 because the write queue was full or the database down.",
    ["reason"],
)

# --- registries ----------------------------------------------------------------------------
REGISTRY_LOOKUPS = Counter(
    "listing_gate_registry_lookups_total",
    "Registry lookups by registry and outcome (hit, miss, not_found, error, timeout).",
    ["registry", "outcome"],
)
REGISTRY_BACKEND_LATENCY = Histogram(
    "listing_gate_registry_backend_seconds",
    "Latency of calls to a registry backend (cache misses only).",
    ["registry"],
    buckets=_LATENCY_BUCKETS,
)
REGISTRY_BREAKER_STATE = Gauge(
    "listing_gate_registry_breaker_state",
    "Circuit breaker state per registry: 0 closed, 1 open, 2 half-open.",
    ["registry"],
)
REGISTRY_RECORDS = Gauge(
    "listing_gate_registry_records", "Records held per registry mirror.", ["registry"]
)
REGISTRY_AGE = Gauge(
    "listing_gate_registry_age_seconds",
    "Seconds since the last import or sync of each registry.",
    ["registry"],
)
REGISTRY_STALE = Gauge(
    "listing_gate_registry_stale", "1 when a registry is older than its allowed age.", ["registry"]
)

# --- re-verification and events --------------------------------------------------------------
REVERIFY_LISTINGS = Counter(
    "listing_gate_reverify_listings_total",
    "Listings re-decided, by whether the outcome changed.",
    ["outcome"],
)
REVERIFY_FLIPS = Counter(
    "listing_gate_reverify_flips_total",
    "Re-decisions that changed the decision, by old and new decision.",
    ["from_decision", "to_decision"],
)
REVERIFY_PROGRESS = Gauge(
    "listing_gate_reverify_progress_ratio", "Share of the running re-verification job done."
)
WEBHOOK_DELIVERIES = Counter(
    "listing_gate_webhook_deliveries_total",
    "Webhook delivery attempts by outcome (delivered, failed, dead_letter).",
    ["outcome"],
)
WEBHOOK_DEAD_LETTERS = Gauge(
    "listing_gate_webhook_dead_letters", "Outcome-change events that exhausted their retries."
)
