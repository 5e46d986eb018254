"""Draft art. 7 and 9: the credential is shown, can exist, is in the registry, valid and apt."""

from __future__ import annotations

from datetime import date

from listing_gate.domain import (
    Answer,
    CccRecord,
    CredentialStatus,
    LicenseRecord,
    NotFound,
    Reason,
    Unavailable,
)
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.context import RuleContext
from listing_gate.rules.outages import registry_unavailable
from listing_gate.rules.parties import credential_id
from listing_gate.rules.plan import CredentialPlan

__all__ = [
    "credential_category_fit",
    "credential_lookup",
    "credential_presence",
    "credential_status",
]

# The credential each regime asks for (texts.json "credentials" words it).
_REGIME_CREDENTIAL = {
    "ccc": "ccc_certificate",
    "ccc_self_declaration": "ccc_self_declaration",
    "production_license": "production_license",
    "mandatory_standard": "test_report",
}
_STATUS_CODES = {
    CredentialStatus.SUSPENDED: "CREDENTIAL_SUSPENDED",
    CredentialStatus.REVOKED: "CREDENTIAL_REVOKED",
    CredentialStatus.CANCELLED: "CREDENTIAL_CANCELLED",
    CredentialStatus.EXPIRED: "CREDENTIAL_EXPIRED",
}


def credential_presence(
    plan: CredentialPlan | None, category: CatalogEntry, has_report: bool, ctx: RuleContext
) -> list[Reason]:
    """Returns CREDENTIAL_MISSING if the regime's credential is absent, INVALID if it can't be.

    A test report where the category moved from mandatory standard to CCC is the old
    regime's credential: CREDENTIAL_REGIME_CHANGED, not missing.
    """
    missing = not has_report if category.regime == "mandatory_standard" else plan is None
    if missing and has_report and category.previous_regime == "mandatory_standard":
        return [_regime_changed(category, "credentials.test_report", ctx)]
    if missing:
        credential = _REGIME_CREDENTIAL[category.regime]
        return [
            ctx.policy.reason(
                "CREDENTIAL_MISSING",
                field=f"credentials.{credential}",
                regime_label=ctx.policy.text("regimes", category.regime),
                credential_label=ctx.policy.text("credentials", credential),
            )
        ]
    if plan is not None and plan.invalid is not None:
        return [
            ctx.policy.reason(
                "CREDENTIAL_NUMBER_INVALID",
                field=plan.field,
                listing_value=plan.written,
                credential_label=ctx.policy.text("credentials", plan.kind),
                detail=ctx.policy.text("invalid_number", plan.invalid.code, **plan.invalid.fields),
            )
        ]
    return []


def credential_lookup(
    plan: CredentialPlan,
    answer: Answer[CccRecord] | Answer[LicenseRecord] | None,
    ctx: RuleContext,
) -> list[Reason]:
    """Returns CREDENTIAL_NOT_FOUND or REGISTRY_UNAVAILABLE when the record was not had."""
    if isinstance(answer, NotFound):
        return [
            ctx.policy.reason(
                "CREDENTIAL_NOT_FOUND",
                field=plan.field,
                listing_value=plan.written,
                credential_label=ctx.policy.text("credentials", plan.kind),
            )
        ]
    if answer is None:
        return [registry_unavailable(plan.registry, "not consulted", ctx)]
    if isinstance(answer, Unavailable):
        return [registry_unavailable(plan.registry, answer.cause, ctx, field=plan.field)]
    return []


def credential_status(
    plan: CredentialPlan, record: CccRecord | LicenseRecord, today: date, ctx: RuleContext
) -> list[Reason]:
    """Returns the status finding: registry status, or expiry by date when still marked valid."""
    record_id = credential_id(record)
    code = _STATUS_CODES.get(record.status)
    detail = ""
    if code is None and record.expires_on is not None and record.expires_on < today:
        # expires_on is the last valid day; a record still marked valid after it is expired.
        code = "CREDENTIAL_EXPIRED"
        detail = ctx.policy.text("details", "valid_until", expires_on=record.expires_on.isoformat())
    if code is None:
        return []
    return [
        ctx.policy.reason(
            code,
            field=plan.field,
            listing_value=plan.written,
            registry_value=record_id,
            credential_label=ctx.policy.text("credentials", plan.kind),
            detail=detail,
        )
    ]


def credential_category_fit(
    plan: CredentialPlan,
    record: CccRecord | LicenseRecord,
    category: CatalogEntry,
    ctx: RuleContext,
) -> list[Reason]:
    """Returns CREDENTIAL_CATEGORY_MISMATCH when the credential covers another product type.

    Two findings stand in for it where the catalog itself leaves the fit open: the
    category moved to certification and the record is the self-declaration it replaced
    (CREDENTIAL_REGIME_CHANGED), or the category's code is provisional and the record's
    code is one the catalog does not know (CREDENTIAL_CATEGORY_UNCERTAIN).
    """
    if isinstance(record, LicenseRecord):
        fits = category.code in record.products
        covered = ", ".join(record.products)
    else:
        code_fits = record.product_code in category.product_codes
        fits = code_fits and _kind_fits(record, category)
        covered = f"{record.product_code} {record.product_name or ''}".strip()
        if record.kind != "certificate":
            covered += ctx.policy.text("details", "self_declaration_mark")
        if code_fits and not fits and category.previous_regime == "ccc_self_declaration":
            return [_regime_changed(category, plan.field, ctx)]
        if (
            not code_fits
            and category.provisional
            and record.product_code not in ctx.catalog.known_product_codes
            and _kind_fits(record, category)
        ):
            return [
                ctx.policy.reason(
                    "CREDENTIAL_CATEGORY_UNCERTAIN",
                    field=plan.field,
                    listing_value=f"{category.code} {category.name}",
                    registry_value=covered,
                    credential_label=ctx.policy.text("credentials", plan.kind),
                    record_id=credential_id(record),
                )
            ]
    if fits:
        return []
    return [
        ctx.policy.reason(
            "CREDENTIAL_CATEGORY_MISMATCH",
            field=plan.field,
            listing_value=f"{category.code} {category.name}",
            registry_value=covered,
            credential_label=ctx.policy.text("credentials", plan.kind),
            record_id=credential_id(record),
        )
    ]


def _regime_changed(category: CatalogEntry, field: str, ctx: RuleContext) -> Reason:
    previous = category.previous_regime or category.regime
    regime_label = ctx.policy.text("regimes", category.regime)
    return ctx.policy.reason(
        "CREDENTIAL_REGIME_CHANGED",
        field=field,
        listing_value=f"{category.code} {category.name}",
        registry_value=regime_label,
        regime_label=regime_label,
        previous_label=ctx.policy.text("regimes", previous),
        credential_label=ctx.policy.text("credentials", _REGIME_CREDENTIAL[previous]),
        changed_on=category.regime_changed_on.isoformat() if category.regime_changed_on else "",
    )


def _kind_fits(record: CccRecord, category: CatalogEntry) -> bool:
    # A self-declaration cannot stand in for a certificate where certification is required;
    # a certificate is the stronger credential and is accepted for self-declaration types.
    return record.kind == "certificate" or category.regime == "ccc_self_declaration"
