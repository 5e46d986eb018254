"""The decision policy as data: version, thresholds, reason severities, messages, citations.

Three files make it: policy.json (thresholds and lists, with no default written in code),
reasons.json (each code's severity, obligation and message template) and texts.json (the
labels and detail fragments messages are built from, and the wording of the codes that
matching and the number parsers give). citations.json supplies each obligation's citation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from importlib import resources
from typing import Any

from listing_gate.domain import Reason, Severity
from listing_gate.normalize.placeholder import Placeholders

__all__ = ["Policy", "RuleSettings", "load_policy"]

_NOON = time(12)


class _Blank(dict[str, Any]):
    # Message templates may name fields a particular finding does not carry.
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class _CodeSpec:
    severity: Severity
    citation: str
    message: str


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """The policy.json values the rules consult, read and checked once when it loads."""

    calendar: timezone  # decision days are this zone's days
    first_ccc_year: int  # no CCC certificate number carries an earlier year
    required_fields: tuple[str, ...]  # what every key-product listing must disclose
    warnings_field: str  # disclosed too where the category requires warnings
    placeholders: Placeholders  # "无", "见详情": text that discloses nothing
    flag_statuses: frozenset[str]  # standard statuses that send a listing to review
    pass_results: frozenset[str]  # test-report results that are a pass, casefolded
    report_groups: tuple[tuple[str, tuple[str, ...]], ...]  # a report needs one field of each
    accessory_words: tuple[str, ...]  # "手机壳": a catalog term followed by these is no product
    compatible_words: tuple[str, ...]  # "适用空调": a catalog term shortly after these is a fit
    compatible_window: int  # how many characters before a term a compatibility word may stand
    min_alias_chars: int  # shorter catalog terms are not searched for in product names

    @classmethod
    def from_policy(cls, settings: Mapping[str, Any]) -> RuleSettings:
        """Returns the values of a policy.json document; a missing one is refused by name."""

        def value(section: str, key: str) -> Any:
            try:
                return settings[section][key]
            except (KeyError, TypeError):
                raise ValueError(f"policy.json lacks {section}.{key}") from None

        hours = float(value("calendar", "utc_offset_hours"))
        groups = value("test_report", "required")
        placeholders = value("disclosure", "placeholders")
        return cls(
            calendar=timezone(timedelta(hours=hours)),
            first_ccc_year=int(value("ccc_number", "first_year")),
            required_fields=tuple(value("disclosure", "required_fields")),
            warnings_field=str(value("disclosure", "warnings_field")),
            placeholders=Placeholders.of(
                placeholders["words"],
                placeholders["referrals"],
                int(placeholders["referral_max_chars"]),
                placeholders["labels"],
                placeholders["negations"],
            ),
            flag_statuses=frozenset(value("standards", "flag_statuses")),
            pass_results=frozenset(p.casefold() for p in value("test_report", "pass_results")),
            report_groups=tuple((group, tuple(names)) for group, names in groups.items()),
            accessory_words=tuple(value("category_suspicion", "accessory_words")),
            compatible_words=tuple(value("category_suspicion", "compatible_words")),
            compatible_window=int(value("category_suspicion", "compatible_window")),
            min_alias_chars=int(value("category_suspicion", "min_alias_chars")),
        )


@dataclass(frozen=True)
class Policy:
    """What the rules consult besides facts: versioned, loaded once, never mutated."""

    version: str
    settings: dict[str, Any]
    rules: RuleSettings = field(repr=False)
    codes: dict[str, _CodeSpec] = field(repr=False)
    texts: Mapping[str, Mapping[str, str]] = field(repr=False)

    def day_of(self, moment: datetime) -> date:
        """Returns the calendar day ``moment`` falls on where the law applies (policy calendar)."""
        # Regime changes, expiry dates and recalls are dated in China's calendar: a decision
        # at 2026-12-31T17:00Z is made on 2027-01-01 there.
        return moment.astimezone(self.rules.calendar).date()

    def moment_of(self, day: date) -> datetime:
        """Returns the decision moment of ``day``: noon of that day in the policy calendar, UTC.

        Decisions made off-line "as of a day" (``listing-gate check --as-of``, the accuracy
        benchmark's ``--date``) are made at this moment, so ``day_of`` gives the day back.
        """
        return datetime.combine(day, _NOON, tzinfo=self.rules.calendar).astimezone(UTC)

    def section(self, name: str) -> dict[str, Any]:
        """Returns one section of policy.json (e.g. ``matching``), empty when absent."""
        value = self.settings.get(name)
        return value if isinstance(value, dict) else {}

    def text(self, section: str, code: str, **fields: str) -> str:
        """Returns the text texts.json gives ``code`` in ``section``, its fields filled in."""
        template = self.texts[section][code]
        return template.format_map(_Blank(fields)) if fields else template

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


def _texts(raw: dict[str, Any], rules: RuleSettings) -> dict[str, dict[str, str]]:
    texts = {name: dict(table) for name, table in raw.items() if not name.startswith("_")}
    # Whatever the policy lets a finding name must have words: a label missing here would
    # otherwise surface mid-decision.
    needed = {
        "fields": (*rules.required_fields, rules.warnings_field),
        "report_groups": tuple(group for group, _ in rules.report_groups),
        "standard_statuses": tuple(rules.flag_statuses),
    }
    for name, keys in needed.items():
        missing = sorted(set(keys) - set(texts.get(name, {})))
        if missing:
            raise ValueError(f"texts.json {name} lacks {', '.join(missing)}")
    return texts


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
    rules = RuleSettings.from_policy(settings)
    return Policy(
        version=settings["version"],
        settings=settings,
        rules=rules,
        codes=codes,
        texts=_texts(_read("texts.json"), rules),
    )
