"""Draft art. 7 and 16: a mandatory-standard product's test report is complete, passed and apt."""

from __future__ import annotations

from listing_gate.domain import Reason, TestReport
from listing_gate.normalize.standard import parse_standard
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.context import RuleContext
from listing_gate.rules.draft import NormalizedDraft

__all__ = ["report_findings"]


def report_findings(
    draft: NormalizedDraft, category: CatalogEntry, ctx: RuleContext
) -> list[Reason]:
    """Returns TEST_REPORT_INCOMPLETE / _FAILED / _MISMATCH findings for the listing's report."""
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
    reasons.extend(_mismatch(draft, report, category, ctx))
    return reasons


def _incomplete(report: TestReport, ctx: RuleContext) -> list[Reason]:
    return [
        ctx.policy.reason(
            "TEST_REPORT_INCOMPLETE",
            field=f"credentials.test_report.{fields[0]}",
            field_label=ctx.policy.text("report_groups", group),
        )
        for group, fields in ctx.policy.rules.report_groups
        if all(not (getattr(report, f) or "").strip() for f in fields)
    ]


def _mismatch(
    draft: NormalizedDraft, report: TestReport, category: CatalogEntry, ctx: RuleContext
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
