"""Draft art. 7 and 16: a mandatory-standard product's test report is complete, passed and apt."""

from __future__ import annotations

from listing_gate.domain import Found, Reason, StandardRecord, TestReport, Unavailable
from listing_gate.normalize.standard import StandardNo, parse_standard
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import NormalizedDraft
from listing_gate.rules.outages import registry_unavailable

__all__ = ["report_findings"]


def report_findings(
    draft: NormalizedDraft,
    category: CatalogEntry,
    statuses: Found[dict[str, StandardRecord]] | Unavailable | None,
    ctx: RuleContext,
) -> list[Reason]:
    """Returns TEST_REPORT_INCOMPLETE / _FAILED / _MISMATCH findings for the listing's report.

    The report's standard is compared with its edition: a report against an older or
    withdrawn edition than the one the listing or the category names, or than the one in
    force, does not show conformity (TEST_REPORT_MISMATCH). A missing year compares on the
    rest of the number.
    """
    report = draft.report
    if report is None:
        return []  # CREDENTIAL_MISSING covers an absent report
    reasons = _incomplete(report, ctx)
    result = (report.result or "").strip()
    if result and result.casefold() not in ctx.policy.rules.pass_results:
        reasons.append(
            ctx.policy.reason(
                "TEST_REPORT_FAILED",
                field="credentials.test_report.result",
                listing_value=result,
                record_id=report.report_no or "",
            )
        )
    reasons.extend(_mismatch(draft, report, category, statuses, ctx))
    return reasons


def _incomplete(report: TestReport, ctx: RuleContext) -> list[Reason]:
    blank = ctx.policy.rules.placeholders.holds_no_value
    return [
        ctx.policy.reason(
            "TEST_REPORT_INCOMPLETE",
            field=f"credentials.test_report.{fields[0]}",
            field_label=ctx.policy.text("report_groups", group),
        )
        for group, fields in ctx.policy.rules.report_groups
        if all(blank(getattr(report, f)) for f in fields)
    ]


def _mismatch(
    draft: NormalizedDraft,
    report: TestReport,
    category: CatalogEntry,
    statuses: Found[dict[str, StandardRecord]] | Unavailable | None,
    ctx: RuleContext,
) -> list[Reason]:
    reasons = []
    written = draft.report_standard
    expected = [p for p in map(parse_standard, category.mandatory_standards) if p is not None]
    if written is not None and expected:
        parsed = written.parsed
        if parsed is None or parsed.base_key not in {e.base_key for e in expected}:
            reasons.append(
                ctx.policy.reason(
                    "TEST_REPORT_MISMATCH",
                    field="credentials.test_report.standard",
                    listing_value=written.written,
                    registry_value="; ".join(e.base_key for e in expected),
                    record_id=report.report_no or "",
                    detail=ctx.policy.text(
                        "details", "report_standard_not_required", written=written.written
                    ),
                )
            )
        else:
            reasons.extend(_edition(draft, expected, statuses, report, ctx))
    model, tested = draft.model, draft.report_model
    if model and tested and draft.keyed_model and draft.keyed_model.key != draft.report_model_key:
        reasons.append(
            ctx.policy.reason(
                "TEST_REPORT_MISMATCH",
                field="credentials.test_report.product_model",
                listing_value=model,
                registry_value=tested,
                record_id=report.report_no or "",
                detail=ctx.policy.text(
                    "details", "report_model_differs", tested=tested, model=model
                ),
            )
        )
    return reasons


def _edition(
    draft: NormalizedDraft,
    expected: list[StandardNo],
    statuses: Found[dict[str, StandardRecord]] | Unavailable | None,
    report: TestReport,
    ctx: RuleContext,
) -> list[Reason]:
    written = draft.report_standard
    parsed = written.parsed if written is not None else None
    if written is None or parsed is None or parsed.year is None:
        return []  # no edition given: compared on the rest of the number, which fits

    def mismatch(registry_value: str, detail: str) -> Reason:
        return ctx.policy.reason(
            "TEST_REPORT_MISMATCH",
            field="credentials.test_report.standard",
            listing_value=written.written,
            registry_value=registry_value,
            record_id=report.report_no or "",
            detail=detail,
        )

    named = [s.written for s in draft.standards if _other_edition(s.parsed, parsed)]
    named += [e.key for e in expected if _other_edition(e, parsed)]
    if named:
        detail = ctx.policy.text(
            "details", "report_edition_differs", written=written.written, named=named[0]
        )
        return [mismatch(named[0], detail)]
    if isinstance(statuses, Unavailable):
        field = "credentials.test_report.standard"
        return [registry_unavailable("standard", statuses.cause, ctx, field=field)]
    record = statuses.value.get(parsed.key) if isinstance(statuses, Found) else None
    if record is None or record.status not in ctx.policy.rules.flag_statuses:
        return []
    detail = ctx.policy.text(
        "details",
        "report_edition_withdrawn",
        written=written.written,
        status=ctx.policy.text("standard_statuses", record.status),
    )
    if record.replaced_by:
        detail += ctx.policy.text("details", "replaced_by", replaced_by=record.replaced_by)
    return [mismatch(f"{record.number} {record.status}", detail)]


def _other_edition(named: StandardNo | None, tested: StandardNo) -> bool:
    # The same standard named with another year: another edition than the one tested.
    return (
        named is not None
        and named.base_key == tested.base_key
        and named.year is not None
        and named.year != tested.year
    )
