"""Structured logs: one JSON object per line, carrying the request id of the request served."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

__all__ = ["REQUEST_ID", "JsonFormatter", "configure_logging"]

REQUEST_ID: ContextVar[str | None] = ContextVar("listing_gate_request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is
# an event field worth keeping.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's ANSI-coloured copy of the message
}


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line: time, level, logger, event, request id, fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Returns the JSON line for ``record``."""
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            doc["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                doc[key] = value
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(doc, default=str).decode()


def configure_logging(level: str = "info") -> None:
    """Sends every logger (ours, uvicorn's, alembic's) to stderr as JSON at ``level``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "alembic"):
        named = logging.getLogger(name)
        named.handlers[:] = []
        named.propagate = True
    # The middleware logs each request with its route and request id; uvicorn's own
    # access line would repeat it without them.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
