"""The one settings object. Built once at start-up (or by a test) and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_RETENTION_DAYS = 731  # draft art. 15: records kept at least two years
DEFAULT_MAX_AGE_HOURS = {
    "ccc": 48.0,
    "license": 48.0,
    "recall": 48.0,
    "spot_check": 168.0,
    "standard": 720.0,
}


class Settings(BaseSettings):
    """Every knob of the service, read from ``LISTING_GATE_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="LISTING_GATE_", extra="ignore", frozen=True)

    # --- storage -------------------------------------------------------------------
    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/listing-gate.db",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///file or postgresql+asyncpg://...",
    )
    database_pool_size: int = Field(
        default=10, ge=1, description="PostgreSQL connections per worker (and as many overflow)."
    )
    sqlite_synchronous: Literal["FULL", "NORMAL"] = Field(
        default="FULL",
        description="SQLite only. FULL: every answered decision survives an OS crash or power "
        "loss (a WAL sync per group commit). NORMAL: survives a killed process only, a little "
        "faster (README: Durability on SQLite).",
    )
    decision_retention_days: int = Field(
        default=MIN_RETENTION_DAYS,
        description="Decisions younger than this are never deleted; at least 731 (two years).",
    )

    # --- registries ----------------------------------------------------------------
    registry_backend: Literal["mirror", "http"] = "mirror"
    registry_http_base_url: str | None = None
    registry_http_connect_timeout_s: float = Field(default=0.5, gt=0)
    registry_http_read_timeout_s: float = Field(default=1.0, gt=0)
    registry_http_retries: int = Field(default=2, ge=0, le=5)
    registry_http_max_body_bytes: int = Field(default=2 * 1024 * 1024, gt=0)
    registry_cache_ttl_s: float = Field(default=60.0, ge=0)
    registry_negative_cache_ttl_s: float = Field(default=10.0, ge=0)
    registry_cache_max_entries: int = Field(default=100_000, ge=0)
    registry_breaker_failures: int = Field(default=5, ge=1)
    registry_breaker_reset_s: float = Field(default=30.0, gt=0)
    verification_deadline_s: float = Field(default=2.0, gt=0)
    registry_max_age_hours: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_MAX_AGE_HOURS),
        description=(
            "Beyond this age a mirror is stale and decisions using it get REGISTRY_STALE. "
            "Kinds not named keep their default."
        ),
    )
    load_sample_data: bool = Field(
        default=False,
        description="Import the sample registry files shipped in the package when a kind is empty.",
    )

    # --- API ------------------------------------------------------------------------
    open_mode: bool = Field(
        default=False, description="Serve without API keys. Local development only."
    )
    api_keys_file: Path | None = Field(
        default=None,
        description="More keys: `<sha256-hex> <name> <scopes>` per line (e.g. a mounted Secret).",
    )
    max_body_bytes: int = Field(
        default=256 * 1024, gt=0, description="Request body cap (413), a batch's aside."
    )
    max_batch_body_bytes: int = Field(
        default=4 * 1024 * 1024,
        gt=0,
        description="Body cap of `POST /v1/verifications/batch` (413): 1,000 real drafts fit.",
    )
    write_queue_max: int = Field(
        default=10_000, ge=1, description="Decisions waiting for a commit before 503 back-pressure."
    )
    write_batch_max: int = Field(default=500, ge=1, description="Decisions per group commit.")
    idempotency_ttl_hours: float = Field(
        default=24.0, gt=0, description="How long an Idempotency-Key's first answer is replayed."
    )
    write_commit_timeout_s: float = Field(
        default=5.0, gt=0, description="Longest a request waits for its decision's commit (503)."
    )
    api_key_cache_s: float = Field(
        default=5.0, ge=0, description="Seconds a checked API key is trusted (revocation lag)."
    )
    verify_concurrency: int = Field(
        default=32, ge=1, description="Drafts of one batch or `check` run verified at once."
    )

    # --- re-verification and outcome-change webhooks ------------------------------------
    reverify_page_size: int = Field(
        default=1000, ge=1, le=20_000, description="Listings per keyset page and transaction."
    )
    reverify_concurrency: int = Field(
        default=64, ge=1, description="Re-decisions in flight at once within a page."
    )
    reverify_deadline_s: float = Field(
        default=30.0, gt=0, description="Registry deadline of one re-decision (batch, not request)."
    )
    webhook_urls: list[str] = Field(
        default_factory=list, description="JSON list of endpoints receiving outcome-change events."
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="HMAC-SHA256 key signing every webhook body."
    )
    webhook_timeout_s: float = Field(default=5.0, gt=0)
    webhook_max_attempts: int = Field(
        default=12, ge=1, description="Attempts per event and endpoint before it is dead-lettered."
    )
    webhook_backoff_base_s: float = Field(default=2.0, gt=0)
    webhook_backoff_max_s: float = Field(default=3600.0, gt=0)
    webhook_poll_s: float = Field(default=1.0, gt=0, description="Idle wait of the worker.")
    webhook_batch_size: int = Field(default=50, ge=1, le=1000)

    # --- process --------------------------------------------------------------------
    host: str = Field(default="127.0.0.1", description="`serve` bind address (`--host`).")
    port: int = Field(default=8080, description="`serve` port (`--port`).")
    workers: int = Field(default=1, ge=1, description="`serve` worker processes (`--workers`).")
    log_level: str = Field(default="info", description="debug, info, warning or error.")

    @field_validator("registry_max_age_hours")
    @classmethod
    def _max_ages_over_defaults(cls, value: dict[str, float]) -> dict[str, float]:
        # Setting one kind must not silently reset the others to a generic age.
        unknown = set(value) - set(DEFAULT_MAX_AGE_HOURS)
        if unknown:
            raise ValueError(f"unknown registry kinds: {sorted(unknown)}")
        if any(hours <= 0 for hours in value.values()):
            raise ValueError("maximum ages must be positive")
        return {**DEFAULT_MAX_AGE_HOURS, **value}

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _synchronous_in_capitals(cls, value: object) -> object:
        # PRAGMA values are case-insensitive; the environment variable may be too.
        return value.upper() if isinstance(value, str) else value

    @field_validator("decision_retention_days")
    @classmethod
    def _retention_at_least_two_years(cls, value: int) -> int:
        if value < MIN_RETENTION_DAYS:
            raise ValueError(
                f"decisions are kept at least {MIN_RETENTION_DAYS} days (draft art. 15)"
            )
        return value
