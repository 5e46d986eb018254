"""The shapes that cross the service's edges: listing drafts, registry records, verifications.

These are the contract's types (../shared/CONTRACT.md). Everything else in the package
consumes them; nothing here does I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

MAX_TEXT = 2000
MAX_STANDARDS = 50
MAX_BATCH = 1000  # drafts per POST /v1/verifications/batch (CONTRACT.md)

# C0 controls, DEL and C1 controls, but tab, line feed and carriage return: a label or a
# warning text may be laid out in lines. PostgreSQL refuses U+0000 in text outright, and
# none of the others is anything a seller typed on purpose (CONTRACT.md: a 422 naming
# the field, on every store).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Identifiers and header values carry no layout at all: every C0 control and DEL.
_CONTROL_OR_LAYOUT = re.compile(r"[\x00-\x1f\x7f]")


def find_control(value: str, *, layout_allowed: bool = True) -> str | None:
    """Returns the first control character of ``value`` as ``U+XXXX``, or None if it has none.

    With ``layout_allowed`` tab and line breaks pass (draft text); without, they count too.
    """
    match = (_CONTROL if layout_allowed else _CONTROL_OR_LAYOUT).search(value)
    return None if match is None else f"U+{ord(match.group()):04X}"


def _no_controls(value: str) -> str:
    found = find_control(value)
    if found is not None:
        raise PydanticCustomError(
            "control_character",
            "control character {character} is not allowed (tab and line breaks are)",
            {"character": found},
        )
    return value


# Every text the service accepts goes through this: drafts, path and query parameters,
# registry records.
NoControls = AfterValidator(_no_controls)

Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), NoControls]
RequiredText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT), NoControls]
# Registry records have no length limit of ours; their text is held to the same rule.
RecordText = Annotated[str, NoControls]


class _Draft(BaseModel):
    # Drafts are forward-compatible: unknown fields are ignored, not rejected.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Seller(_Draft):
    id: RequiredText
    shop_name: Text | None = None
    legal_name: Text | None = None
    credit_code: Text | None = None


class Party(_Draft):
    name: Text | None = None
    address: Text | None = None
    credit_code: Text | None = None


class TestReport(_Draft):
    __test__ = False  # not a pytest class

    report_no: Text | None = None
    issuer: Text | None = None
    standard: Text | None = None
    result: Text | None = None
    product_name: Text | None = None
    product_model: Text | None = None
    issued_on: Text | None = None
    url: Text | None = None


class Product(_Draft):
    name: RequiredText
    category: RequiredText
    brand: Text | None = None
    model: Text | None = None
    manufacturer: Party | None = None
    standards: Annotated[list[Text], Field(max_length=MAX_STANDARDS)] | None = None
    warnings: Text | None = None


class Credentials(_Draft):
    ccc_certificate_no: Text | None = None
    ccc_self_declaration_no: Text | None = None
    production_license_no: Text | None = None
    test_report: TestReport | None = None


class ListingDraft(_Draft):
    listing_id: RequiredText
    seller: Seller
    product: Product
    credentials: Credentials | None = None


# --- registry records (CONTRACT.md, "Registry data files") ---------------------------


class CredentialStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class RegistryParty(_Record):
    name: RecordText
    address: RecordText | None = None
    credit_code: RecordText | None = None


class CccRecord(_Record):
    certificate_no: RecordText
    kind: Literal["certificate", "self_declaration"]
    status: CredentialStatus
    product_code: RecordText
    product_name: RecordText | None = None
    models: list[RecordText] = Field(default_factory=list)
    standards: list[RecordText] = Field(default_factory=list)
    holder: RegistryParty | None = None
    manufacturer: RegistryParty | None = None
    factory: RegistryParty | None = None
    issued_on: date | None = None
    expires_on: date | None = None


class LicenseRecord(_Record):
    license_no: RecordText
    status: CredentialStatus
    company: RegistryParty
    production_addresses: list[RecordText] = Field(default_factory=list)
    products: list[RecordText] = Field(default_factory=list)
    issuer: RecordText | None = None
    issued_on: date | None = None
    expires_on: date | None = None


class NamedParty(_Record):
    name: RecordText
    credit_code: RecordText | None = None


class RecallRecord(_Record):
    recall_id: RecordText
    status: Literal["active", "closed"]
    manufacturer: NamedParty
    product_name: RecordText | None = None
    models: list[RecordText] = Field(default_factory=list)
    announced_on: date | None = None


class SpotCheckRecord(_Record):
    notice_id: RecordText
    manufacturer: NamedParty
    product_name: RecordText | None = None
    models: list[RecordText] = Field(default_factory=list)
    result: Literal["fail"]
    failed_items: list[RecordText] = Field(default_factory=list)
    published_on: date | None = None


class StandardRecord(_Record):
    number: RecordText
    status: Literal["current", "upcoming", "superseded", "abolished"]
    replaced_by: RecordText | None = None
    effective_on: date | None = None


RegistryKind = Literal["ccc", "license", "recall", "spot_check", "standard"]
REGISTRY_KINDS: tuple[RegistryKind, ...] = ("ccc", "license", "recall", "spot_check", "standard")

# --- a registry's answer: what the lookup returns and the rules read -------------------

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Found(Generic[T_co]):
    """The registry answered with a record (or, for searches, a possibly empty list)."""

    value: T_co
    source: str
    retrieved_at: datetime


@dataclass(frozen=True, slots=True)
class NotFound:
    """The registry answered: no such record."""

    source: str
    retrieved_at: datetime


# Why a registry could not be consulted: the first word of ``Unavailable.reason``.
UnavailableCause = Literal["timeout", "circuit open", "error", "not loaded", "not consulted"]
UNAVAILABLE_CAUSES: tuple[UnavailableCause, ...] = (
    "timeout",  # no answer within the verification's deadline
    "circuit open",  # the registry failed repeatedly and is not asked for a while
    "error",  # the backend raised: "error: ConnectionError: ..."
    "not loaded",  # never imported: every lookup would wrongly say "not found"
    "not consulted",  # the decision was made without asking it
)


@dataclass(frozen=True, slots=True)
class Unavailable:
    """The registry could not be consulted; ``reason`` starts with its cause (for logs)."""

    registry: str
    reason: str

    @property
    def cause(self) -> UnavailableCause:
        """Returns the cause alone, without the diagnostic an error carries after a colon."""
        head = self.reason.partition(":")[0]
        for cause in UNAVAILABLE_CAUSES:
            if head == cause:
                return cause
        return "error"


# A lookup by key may find nothing; a search (recalls, spot checks, standards) always
# answers with a possibly empty value, so it is ``Found[...] | Unavailable``.
Answer = Found[T] | NotFound | Unavailable

# --- verification (response) ------------------------------------------------------------


class Severity(StrEnum):
    BLOCK = "block"
    REVIEW = "review"
    INFO = "info"


class Decision(StrEnum):
    ALLOW = "allow"
    REVIEW = "review"
    BLOCK = "block"


Regime = Literal["ccc", "ccc_self_declaration", "production_license", "mandatory_standard"]


# The reason codes, as the OpenAPI document lists them (each code's severity, citation and
# message are data: data/reasons.json; tests/rules/test_policy.py keeps the two in step).
# The service may add codes; a client should treat an unknown one by its severity.
REASON_CODES_DOC = (
    "Why: one of NOT_KEY_PRODUCT, CATEGORY_SUSPECTED, DISCLOSURE_MISSING, CREDENTIAL_MISSING, "
    "CREDENTIAL_NUMBER_INVALID, CREDENTIAL_NOT_FOUND, CREDENTIAL_SUSPENDED, CREDENTIAL_REVOKED, "
    "CREDENTIAL_CANCELLED, CREDENTIAL_EXPIRED, CREDENTIAL_CATEGORY_MISMATCH, "
    "CREDENTIAL_CATEGORY_UNCERTAIN, CREDENTIAL_REGIME_CHANGED, MANUFACTURER_MISMATCH, "
    "MANUFACTURER_UNCERTAIN, ADDRESS_MISMATCH, ADDRESS_UNCERTAIN, MODEL_NOT_COVERED, "
    "MODEL_UNCERTAIN (the model only extends a family the certificate names: review), "
    "STANDARD_MISMATCH, STANDARD_SUPERSEDED, TEST_REPORT_INCOMPLETE, TEST_REPORT_FAILED, "
    "TEST_REPORT_MISMATCH, RECALLED, RECALL_UNCERTAIN (the model extends a recalled model: "
    "review), SPOT_CHECK_FAILED, REGISTRY_UNAVAILABLE, REGISTRY_STALE. New codes may be "
    "added; act on an unknown one by its severity."
)


class Reason(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(description=REASON_CODES_DOC)
    severity: Severity
    field: str | None = None
    listing_value: str | None = None
    registry_value: str | None = None
    score: float | None = None
    citation: str
    message: str


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    registry: str
    record_id: str
    status: str
    source: str
    retrieved_at: datetime


class CategoryRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    regime: Regime


class Verification(BaseModel):
    verification_id: str
    listing_id: str
    decision: Decision
    key_product: bool
    category: CategoryRef | None
    reasons: list[Reason]
    evidence: list[Evidence]
    policy_version: str
    decided_at: datetime
