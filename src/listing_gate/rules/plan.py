"""Which credential a listing must show for its regime, and the registry key to look it up by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from listing_gate.domain import Credentials, ListingDraft
from listing_gate.normalize.ccc import parse_certificate_no, self_declaration_key
from listing_gate.normalize.errors import InvalidNumber
from listing_gate.normalize.license import parse_license_no
from listing_gate.rules.catalog import Catalog, CatalogEntry
from listing_gate.rules.policy import Policy

__all__ = ["CredentialPlan", "plan_credential"]

CredentialKind = Literal["ccc_certificate", "ccc_self_declaration", "production_license"]

LABELS: dict[str, str] = {
    "ccc_certificate": "CCC证书",
    "ccc_self_declaration": "CCC自我声明",
    "production_license": "生产许可证",
    "test_report": "检验报告",
}


@dataclass(frozen=True, slots=True)
class CredentialPlan:
    """The registry credential a listing shows: its field, the key, or why it cannot exist."""

    kind: CredentialKind
    field: str
    written: str
    key: str | None
    invalid: str | None = None

    @property
    def registry(self) -> Literal["ccc", "license"]:
        """Returns the registry that holds this kind of credential."""
        return "license" if self.kind == "production_license" else "ccc"

    @property
    def label(self) -> str:
        """Returns the credential's name as messages show it."""
        return LABELS[self.kind]


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def plan_credential(
    draft: ListingDraft, category: CatalogEntry, *, catalog: Catalog, policy: Policy, today: date
) -> CredentialPlan | None:
    """Returns the credential to verify for the listing's regime, or None when none is shown."""
    creds = draft.credentials
    if creds is None:
        return None
    if category.regime == "mandatory_standard" or (
        category.previous_regime == "mandatory_standard" and _blank(creds.ccc_certificate_no)
    ):
        # The test report is checked by its own rules; before a category moved from
        # mandatory standard to CCC, a report is all a listing could show.
        return None
    if category.regime == "production_license":
        if _blank(creds.production_license_no):
            return None
        return _plan_license(creds.production_license_no or "")
    return _plan_ccc(creds, category, catalog=catalog, policy=policy, today=today)


def _plan_ccc(
    creds: Credentials, category: CatalogEntry, *, catalog: Catalog, policy: Policy, today: date
) -> CredentialPlan | None:
    # A category that moved from self-declaration to certification still gets the shown
    # self-declaration checked: old stock may be sold on it (CREDENTIAL_REGIME_CHANGED).
    # Where certification is now required, a certificate shown beside it comes first.
    declaring = "ccc_self_declaration" in (category.regime, category.previous_regime)
    certified = not _blank(creds.ccc_certificate_no)
    prefer_certificate = certified and category.regime == "ccc"
    if declaring and not _blank(creds.ccc_self_declaration_no) and not prefer_certificate:
        return _plan_self_declaration(creds.ccc_self_declaration_no or "")
    if not certified:
        return None
    written = creds.ccc_certificate_no or ""
    plan = _plan_certificate(written, category, catalog=catalog, policy=policy, today=today)
    if plan.invalid is not None and declaring:
        # A self-declaration number written in the certificate field has no format to
        # fail: look it up exactly, as the self-declaration field would.
        declared = _plan_self_declaration(written)
        return CredentialPlan(declared.kind, plan.field, declared.written, declared.key)
    return plan


def _plan_license(written: str) -> CredentialPlan:
    field = "credentials.production_license_no"
    try:
        number = parse_license_no(written)
    except InvalidNumber as exc:
        return CredentialPlan("production_license", field, written.strip(), None, exc.reason)
    return CredentialPlan("production_license", field, written.strip(), number.key)


def _plan_self_declaration(written: str) -> CredentialPlan:
    # Self-declaration numbers have no public format: exact after NFKC and trimming,
    # except that a number shaped like a CCC number is keyed the way the registry keys it.
    field = "credentials.ccc_self_declaration_no"
    try:
        key = parse_certificate_no(written).key
    except InvalidNumber:
        key = self_declaration_key(written)
    return CredentialPlan("ccc_self_declaration", field, written.strip(), key)


def _plan_certificate(
    written: str, category: CatalogEntry, *, catalog: Catalog, policy: Policy, today: date
) -> CredentialPlan:
    field = "credentials.ccc_certificate_no"
    try:
        number = parse_certificate_no(written)
    except InvalidNumber as exc:
        return CredentialPlan("ccc_certificate", field, written.strip(), None, exc.reason)
    first_year = int(policy.section("ccc_number").get("first_year", 2002))
    if not first_year <= number.year <= today.year:
        why = f"年份 {number.year} 不可能（应在 {first_year}-{today.year} 之间）"
        return CredentialPlan("ccc_certificate", field, written.strip(), None, why)
    if number.product_code not in catalog.known_product_codes and not category.provisional:
        # A provisional category's certificates carry a CNCA code the catalog does not
        # know yet: that is for a person to confirm (CREDENTIAL_CATEGORY_UNCERTAIN).
        why = f"产品代码 {number.product_code} 不在目录或历史目录中"
        return CredentialPlan("ccc_certificate", field, written.strip(), None, why)
    return CredentialPlan("ccc_certificate", field, written.strip(), number.key)
