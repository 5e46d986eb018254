"""Draft art. 7 and 16: a mandatory-standard product's test report is complete, passed and apt."""

from __future__ import annotations

from listing_gate.domain import ListingDraft, Reason, TestReport
from listing_gate.normalize.model import model_key
from listing_gate.normalize.standard import parse_standard
from listing_gate.rules.catalog import CatalogEntry
from listing_gate.rules.facts import RuleContext

__all__ = ["report_findings"]

_GROUP_LABELS = {"product info": "产品信息", "test basis": "检验依据", "result": "检验结论"}


def report_findings(draft: ListingDraft, category: CatalogEntry, ctx: RuleContext) -> list[Reason]:
    """Returns TEST_REPORT_INCOMPLETE / _FAILED / _MISMATCH findings for the listing's report."""
    report = draft.credentials.test_report if draft.credentials else None
    if report is None:
        return []  # CREDENTIAL_MISSING covers an absent report
    section = ctx.policy.section("test_report")
    reasons = _incomplete(report, section.get("required", {}), ctx)
    result = (report.result or "").strip()
    passes = {p.casefold() for p in section.get("pass_results", ["pass"])}
    if result and result.casefold() not in passes:
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


def _incomplete(report: TestReport, groups: dict[str, list[str]], ctx: RuleContext) -> list[Reason]:
    reasons = []
    for group, fields in groups.items():
        if all(not (getattr(report, f) or "").strip() for f in fields):
            reasons.append(
                ctx.policy.reason(
                    "TEST_REPORT_INCOMPLETE",
                    field=f"credentials.test_report.{fields[0]}",
                    field_label=_GROUP_LABELS.get(group, group),
                )
            )
    return reasons


def _mismatch(
    draft: ListingDraft, report: TestReport, category: CatalogEntry, ctx: RuleContext
) -> list[Reason]:
    reasons = []
    written = (report.standard or "").strip()
    expected = [p for p in map(parse_standard, category.mandatory_standards) if p is not None]
    if written and expected:
        parsed = parse_standard(written)
        if parsed is None or parsed.base_key not in {e.base_key for e in expected}:
            reasons.append(
                ctx.policy.reason(
                    "TEST_REPORT_MISMATCH",
                    field="credentials.test_report.standard",
                    listing_value=written,
                    registry_value="; ".join(e.base_key for e in expected),
                    record_id=report.report_no or "",
                    detail=f"检验依据 {written} 不是类目要求的强制性标准",
                )
            )
    model = (draft.product.model or "").strip()
    tested = (report.product_model or "").strip()
    if model and tested and model_key(model) != model_key(tested):
        reasons.append(
            ctx.policy.reason(
                "TEST_REPORT_MISMATCH",
                field="credentials.test_report.product_model",
                listing_value=model,
                registry_value=tested,
                record_id=report.report_no or "",
                detail=f"报告型号 {tested} 与商品型号 {model} 不同",
            )
        )
    return reasons
