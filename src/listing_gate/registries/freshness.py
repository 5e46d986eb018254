"""How old each registry is against its allowed age, and the gauges that show it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from listing_gate.domain import REGISTRY_KINDS
from listing_gate.observability.metrics import REGISTRY_AGE, REGISTRY_RECORDS, REGISTRY_STALE
from listing_gate.registries.protocol import RegistryStatus

__all__ = ["DEFAULT_MAX_AGE_HOURS", "Freshness", "assess", "publish"]

DEFAULT_MAX_AGE_HOURS = 48.0  # for a kind the settings do not name


@dataclass(frozen=True, slots=True)
class Freshness:
    """One registry's state as the gate sees it: loaded, how old, stale or not."""

    kind: str
    source: str
    records: int
    last_import_at: datetime | None
    age_s: float | None
    max_age_s: float
    stale: bool  # never imported, or older than allowed: decisions get REGISTRY_STALE
    loaded: bool  # holds records at all
    error: str | None = None  # set when the status could not be read just now


def assess(
    statuses: Sequence[RegistryStatus] | None,
    *,
    source: str,
    now: datetime,
    max_age_hours: Mapping[str, float],
    error: str | None = None,
) -> dict[str, Freshness]:
    """Returns freshness per registry kind; kinds without a status count as never imported."""
    by_kind = {status.kind: status for status in statuses or ()}
    result: dict[str, Freshness] = {}
    for kind in REGISTRY_KINDS:
        status = by_kind.get(kind)
        max_age_s = max_age_hours.get(kind, DEFAULT_MAX_AGE_HOURS) * 3600.0
        last = status.last_import_at if status else None
        age_s = None if last is None else max(0.0, (now - last).total_seconds())
        records = status.records if status else 0
        result[kind] = Freshness(
            kind=kind,
            source=status.source if status else source,
            records=records,
            last_import_at=last,
            age_s=age_s,
            max_age_s=max_age_s,
            stale=age_s is None or age_s > max_age_s,
            loaded=records > 0,
            error=error,
        )
    return result


def publish(freshness: Mapping[str, Freshness]) -> None:
    """Sets the records, age and stale gauges from `freshness`."""
    for kind, info in freshness.items():
        REGISTRY_RECORDS.labels(kind).set(info.records)
        # never imported reads as infinitely old, so an age alert fires for it too
        REGISTRY_AGE.labels(kind).set(float("inf") if info.age_s is None else info.age_s)
        REGISTRY_STALE.labels(kind).set(1 if info.stale else 0)
