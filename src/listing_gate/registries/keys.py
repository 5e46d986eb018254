"""The normalised keys a registry record is stored and looked up under.

Import and every backend derive keys here, from the same normalisers the rules use on
listings, so a listing's key and a record's key can only meet if both sides agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from listing_gate.domain import (
    CccRecord,
    LicenseRecord,
    RecallRecord,
    RegistryKind,
    SpotCheckRecord,
    StandardRecord,
)
from listing_gate.normalize.ccc import parse_certificate_no, self_declaration_key
from listing_gate.normalize.company import parse_company
from listing_gate.normalize.errors import InvalidNumber
from listing_gate.normalize.license import parse_license_no
from listing_gate.normalize.model import index_keys
from listing_gate.normalize.standard import parse_standard
from listing_gate.registries.errors import RecordKeyError
from listing_gate.registries.protocol import RegistryRecord

__all__ = ["RecordKeys", "ccc_key", "keys_for", "standard_key"]

_CERT_DIGITS = 16


@dataclass(frozen=True, slots=True)
class RecordKeys:
    """Identity and index terms of one record."""

    record_id: str  # replace-by-id identity
    key: str  # what a lookup asks for
    model_keys: tuple[str, ...] = ()
    manufacturer_cores: tuple[str, ...] = ()


def ccc_key(record: CccRecord) -> RecordKeys:
    """Returns the 16-digit key (record id adds a vehicle version) or the declaration key."""
    if record.kind == "self_declaration":
        key = self_declaration_key(record.certificate_no)
        if not key:
            raise RecordKeyError("certificate_no", "empty self-declaration number")
        return RecordKeys(record_id=key, key=key)
    raw = record.certificate_no
    if len(raw) == _CERT_DIGITS and raw.isascii() and raw.isdigit():
        # Registry files write plain 16-digit numbers; for those the parser's answer is
        # the number itself, and skipping it makes a million-record import much faster.
        return RecordKeys(record_id=raw, key=raw)
    try:
        number = parse_certificate_no(raw)
    except InvalidNumber as exc:
        raise RecordKeyError("certificate_no", exc.reason) from exc
    # Vehicle versions share the 16 digits; each version is its own record.
    record_id = f"{number.key}({number.suffix})" if number.suffix else number.key
    return RecordKeys(record_id=record_id, key=number.key)


def _license_key(record: LicenseRecord) -> RecordKeys:
    try:
        key = parse_license_no(record.license_no).key
    except InvalidNumber as exc:
        raise RecordKeyError("license_no", exc.reason) from exc
    return RecordKeys(record_id=key, key=key)


def standard_key(number: str) -> str:
    """Returns the StandardNo key of a standard number; RecordKeyError if it is none."""
    parsed = parse_standard(number)
    if parsed is None:
        raise RecordKeyError("number", f"{number!r} is not a standard number")
    return parsed.key


def _notice_keys(field: str, record_id: str, name: str, models: list[str]) -> RecordKeys:
    if not record_id.strip():
        raise RecordKeyError(field, "empty id")
    # Index under every core a lookup may ask by (金华电器 may be 电器 in 金华 or a company).
    return RecordKeys(
        record_id=record_id,
        key=record_id,
        model_keys=tuple(dict.fromkeys(index_keys(models))),
        manufacturer_cores=parse_company(name).index_cores,
    )


def keys_for(kind: RegistryKind, record: RegistryRecord) -> RecordKeys:
    """Returns the keys of a record of `kind`; RecordKeyError names the field that is bad."""
    if kind == "ccc" and isinstance(record, CccRecord):
        return ccc_key(record)
    if kind == "license" and isinstance(record, LicenseRecord):
        return _license_key(record)
    if kind == "recall" and isinstance(record, RecallRecord):
        return _notice_keys("recall_id", record.recall_id, record.manufacturer.name, record.models)
    if kind == "spot_check" and isinstance(record, SpotCheckRecord):
        return _notice_keys("notice_id", record.notice_id, record.manufacturer.name, record.models)
    if kind == "standard" and isinstance(record, StandardRecord):
        key = standard_key(record.number)
        return RecordKeys(record_id=key, key=key)
    raise TypeError(f"a {type(record).__name__} is not a {kind} record")
