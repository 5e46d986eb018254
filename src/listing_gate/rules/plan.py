"""Which credential a listing must show for its regime, and the registry key to look it up by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from listing_gate.normalize.ccc import CertificateNo, parse_certificate_no, self_declaration_key
from listing_gate.normalize.errors import Flaw, InvalidNumber
from listing_gate.normalize.license import parse_license_no
from listing_gate.rules.catalog import Catalog, CatalogEntry
from listing_gate.rules.draft import NormalizedDraft
from listing_gate.rules.policy import Policy

__all__ = ["CredentialKind", "CredentialPlan", "plan_credential"]

# The keys of texts.json "credentials", which words each kind for messages.
CredentialKind = Literal["ccc_certificate", "ccc_self_declaration", "production_license"]


@dataclass(frozen=True, slots=True)
class CredentialPlan:
    """The registry credential a listing shows: its field, the key, or why it cannot exist."""

    kind: CredentialKind
    field: str
    written: str
    key: str | None
    invalid: Flaw | None = None

    @property
    def registry(self) -> Literal["ccc", "license"]:
        """Returns the registry that holds this kind of credential."""
        return "license" if self.kind == "production_license" else "ccc"


def plan_credential(
    draft: NormalizedDraft,
    category: CatalogEntry,
    *,
    catalog: Catalog,
    policy: Policy,
    today: date,
) -> CredentialPlan | None:
    """Returns the credential to verify for the listing's regime, or None when none is shown."""
    if draft.draft.credentials is None:
        return None
    if category.regime == "mandatory_standard" or (
        category.previous_regime == "mandatory_standard" and not draft.certificate_no
    ):
        # The test report is checked by its own rules; before a category moved from
        # mandatory standard to CCC, a report is all a listing could show.
        return None
    if category.regime == "production_license":
        return _plan_license(draft.license_no) if draft.license_no else None
    return _plan_ccc(draft, category, catalog=catalog, policy=policy, today=today)


def _plan_ccc(
    draft: NormalizedDraft,
    category: CatalogEntry,
    *,
    catalog: Catalog,
    policy: Policy,
    today: date,
) -> CredentialPlan | None:
    # A category that moved from self-declaration to certification still gets the shown
    # self-declaration checked: old stock may be sold on it (CREDENTIAL_REGIME_CHANGED).
    # Where certification is now required, a certificate shown beside it comes first.
    declaring = "ccc_self_declaration" in (category.regime, category.previous_regime)
    written = draft.certificate_no
    prefer_certificate = bool(written) and category.regime == "ccc"
    if declaring and draft.self_declaration_no and not prefer_certificate:
        return _plan_self_declaration(draft.self_declaration_no, _parsed(draft.self_declaration_no))
    if not written:
        return None
    parsed = _parsed(written)
    plan = _plan_certificate(written, parsed, category, catalog=catalog, policy=policy, today=today)
    if plan.invalid is not None and declaring:
        # A self-declaration number written in the certificate field has no format to
        # fail: look it up exactly, as the self-declaration field would.
        declared = _plan_self_declaration(written, parsed)
        return CredentialPlan(declared.kind, plan.field, declared.written, declared.key)
    return plan


def _parsed(written: str) -> CertificateNo | InvalidNumber:
    try:
        return parse_certificate_no(written)
    except InvalidNumber as exc:
        return exc


def _plan_license(written: str) -> CredentialPlan:
    field = "credentials.production_license_no"
    try:
        number = parse_license_no(written)
    except InvalidNumber as exc:
        return CredentialPlan("production_license", field, written, None, exc.flaw)
    return CredentialPlan("production_license", field, written, number.key)


def _plan_self_declaration(written: str, parsed: CertificateNo | InvalidNumber) -> CredentialPlan:
    # Self-declaration numbers have no public format: exact after NFKC and trimming,
    # except that a number shaped like a CCC number is keyed the way the registry keys it.
    field = "credentials.ccc_self_declaration_no"
    key = self_declaration_key(written) if isinstance(parsed, InvalidNumber) else parsed.key
    return CredentialPlan("ccc_self_declaration", field, written, key)


def _plan_certificate(
    written: str,
    parsed: CertificateNo | InvalidNumber,
    category: CatalogEntry,
    *,
    catalog: Catalog,
    policy: Policy,
    today: date,
) -> CredentialPlan:
    field = "credentials.ccc_certificate_no"
    if isinstance(parsed, InvalidNumber):
        return CredentialPlan("ccc_certificate", field, written, None, parsed.flaw)
    first_year = policy.rules.first_ccc_year
    if not first_year <= parsed.year <= today.year:
        years = {"year": str(parsed.year), "first_year": str(first_year)}
        flaw = Flaw("ccc_year_impossible", {**years, "last_year": str(today.year)})
        return CredentialPlan("ccc_certificate", field, written, None, flaw)
    if parsed.product_code not in catalog.known_product_codes and not category.provisional:
        # A provisional category's certificates carry a CNCA code the catalog does not
        # know yet: that is for a person to confirm (CREDENTIAL_CATEGORY_UNCERTAIN).
        flaw = Flaw("ccc_product_code_unknown", {"product_code": parsed.product_code})
        return CredentialPlan("ccc_certificate", field, written, None, flaw)
    return CredentialPlan("ccc_certificate", field, written, parsed.key)
