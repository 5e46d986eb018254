"""The README's configuration table, generated from ``Settings``.

    python .ci/config_table.py            # rewrite the table in README.md
    python .ci/config_table.py --check    # exit 1 when README.md is out of date

The table sits between the ``<!-- settings:begin -->`` and ``<!-- settings:end -->``
markers; a test runs ``--check`` so a new setting cannot go undocumented.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from listing_gate.settings import Settings

__all__ = ["render", "splice"]

BEGIN = "<!-- settings:begin -->"
END = "<!-- settings:end -->"
_PREFIX = "LISTING_GATE_"
# For settings whose Field carries no description (registry and webhook knobs).
_FALLBACK = {
    "registry_backend": "`mirror` (imported files in the database) or `http` (a registry API).",
    "registry_http_base_url": "Base URL of the registry API (http backend).",
    "registry_http_connect_timeout_s": "Connect timeout of registry API calls.",
    "registry_http_read_timeout_s": "Read timeout of registry API calls.",
    "registry_http_retries": "Retries of an idempotent registry read (jittered backoff).",
    "registry_http_max_body_bytes": "Largest registry API answer accepted.",
    "registry_cache_ttl_s": "How long a registry answer is reused.",
    "registry_negative_cache_ttl_s": "How long a not-found answer is reused.",
    "registry_cache_max_entries": "Registry answers kept in memory.",
    "registry_breaker_failures": "Failures in a row that open a registry's circuit breaker.",
    "registry_breaker_reset_s": "Seconds before an open breaker lets a trial call through.",
    "verification_deadline_s": "Registry time budget per verification (then REGISTRY_UNAVAILABLE).",
    "webhook_timeout_s": "Timeout of one webhook delivery.",
    "webhook_backoff_base_s": "First retry delay of a failed webhook delivery (doubling).",
    "webhook_backoff_max_s": "Longest retry delay of a webhook delivery.",
    "webhook_batch_size": "Events the webhook worker takes per round.",
}


def render() -> str:
    """Returns the Markdown table: variable, default, meaning; one row per setting."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default: Any = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        meaning = field.description or _FALLBACK.get(name, "")
        rows.append(f"| `{_PREFIX}{name.upper()}` | {_show(default)} | {meaning} |")
    return "\n".join(rows) + "\n"


def splice(document: str, table: str) -> str:
    """Returns ``document`` with the text between the markers replaced by ``table``."""
    head, rest = document.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table}{END}{tail}"


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict | list):
        return f"`{json.dumps(value, separators=(',', ':'))}`"
    if isinstance(value, bool):
        return "`1`" if value else "`0`"
    return f"`{value}`"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrites the README table, or with --check returns 1 when it is stale."""
    parser = argparse.ArgumentParser(prog="python .ci/config_table.py")
    parser.add_argument("--check", action="store_true")
    parser.add_argument(
        "readme", nargs="?", type=Path, default=Path(__file__).resolve().parents[1] / "README.md"
    )
    args = parser.parse_args(argv)
    current = args.readme.read_text("utf-8")
    fresh = splice(current, render())
    if args.check:
        if fresh != current:
            sys.stderr.write(f"{args.readme}: run python .ci/config_table.py\n")
            return 1
        return 0
    args.readme.write_text(fresh, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
