"""The decision policy as data: version, thresholds, reason severities, messages, citations."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from typing import Any

from listing_gate.domain import Reason, Severity

__all__ = ["Policy", "load_policy"]


class _Blank(dict[str, Any]):
    # Message templates may name fields a particular finding does not carry.
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class _CodeSpec:
    severity: Severity
    citation: str
    message: str


@dataclass(frozen=True)
class Policy:
    """What the rules consult besides facts: versioned, loaded once, never mutated."""

    version: str
    settings: dict[str, Any]
    codes: dict[str, _CodeSpec] = field(repr=False)

    def day_of(self, moment: datetime) -> date:
        """Returns the calendar day ``moment`` falls on where the law applies (policy calendar)."""
        # Regime changes, expiry dates and recalls are dated in China's calendar: a decision
        # at 2026-12-31T17:00Z is made on 2027-01-01 there.
        hours = float(self.section("calendar").get("utc_offset_hours", 0))
        return moment.astimezone(timezone(timedelta(hours=hours))).date()

    def section(self, name: str) -> dict[str, Any]:
        """Returns one section of policy.json (e.g. ``matching``), empty when absent."""
        value = self.settings.get(name)
        return value if isinstance(value, dict) else {}

    def reason(
        self,
        code: str,
        *,
        field: str | None = None,
        listing_value: str | None = None,
        registry_value: str | None = None,
        score: float | None = None,
        **message_fields: str,
    ) -> Reason:
        """Returns a Reason for ``code`` with its severity, citation and filled-in message."""
        spec = self.codes[code]
        fields = _Blank(message_fields)
        fields.update(
            field=field or "",
            listing_value=listing_value or "",
            registry_value=registry_value or "",
        )
        # Built from this table's own values: validating them again per finding would cost
        # more than the rule that found it.
        return Reason.model_construct(
            code=code,
            severity=spec.severity,
            field=field,
            listing_value=listing_value,
            registry_value=registry_value,
            score=None if score is None else round(score, 1),
            citation=spec.citation,
            message=spec.message.format_map(fields).strip(),
        )


def _read(name: str) -> Any:
    return json.loads(resources.files("listing_gate.data").joinpath(name).read_text("utf-8"))


def load_policy(edition: str | None = None) -> Policy:
    """Returns the shipped policy, citing ``edition`` (default: policy.json's choice)."""
    settings = _read("policy.json")
    reasons = _read("reasons.json")["codes"]
    editions = _read("citations.json")["editions"]
    chosen = edition or settings["citation_edition"]
    if chosen not in editions:
        raise ValueError(f"unknown citation edition {chosen!r}; known: {sorted(editions)}")
    fallback = editions["draft-2025"]
    citations = {**fallback, **editions[chosen]}
    codes = {
        code: _CodeSpec(
            severity=Severity(spec["severity"]),
            citation=citations[spec["obligation"]],
            message=spec["message"],
        )
        for code, spec in reasons.items()
    }
    return Policy(version=settings["version"], settings=settings, codes=codes)
