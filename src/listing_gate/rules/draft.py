"""A listing draft read once: the trimmed values, keys and parses every rule compares.

Rules read a draft through this and never normalise its strings themselves, so a model
is keyed, a standard parsed and a manufacturer's name split once per decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from listing_gate.domain import ListingDraft, TestReport
from listing_gate.normalize.address import Address, parse_address
from listing_gate.normalize.company import CompanyName, parse_company
from listing_gate.normalize.model import ListedModel, listed_model, model_key
from listing_gate.normalize.placeholder import Placeholders
from listing_gate.normalize.standard import StandardNo, parse_standard, parse_standards
from listing_gate.normalize.text import fold

__all__ = ["ListedStandard", "NormalizedDraft", "normalize_draft"]


class ListedStandard(NamedTuple):
    """A standard a listing names: as written (trimmed), and its parse (None if not GB)."""

    written: str
    parsed: StandardNo | None


# Not frozen, though nothing changes it once made: freezing sets each field through
# object.__setattr__, microseconds per decision on the hot path.
@dataclass(slots=True)
class NormalizedDraft:
    """A draft's values as the rules compare them; a blank text is ``""``, never None.

    A placeholder ("无", "见详情", "/") is read as blank: it gives no value.
    """

    draft: ListingDraft
    placeholders: Placeholders
    category: str  # as written, trimmed
    model: str
    keyed_model: ListedModel | None  # None when the model is blank
    maker_name: str
    maker_address: str
    maker_credit_code: str | None  # as written: the matcher normalises credit codes
    maker: CompanyName | None  # None when the name is blank
    maker_place: Address | None  # None when the address is blank
    maker_cores: tuple[str, ...]  # the company cores recalls and spot checks are indexed by
    standards: tuple[ListedStandard, ...]  # the non-blank ones, in the listing's order
    # Mandatory ones with a year, the test report's included: those whose status matters.
    standard_keys: tuple[str, ...]
    certificate_no: str
    self_declaration_no: str
    license_no: str
    report: TestReport | None
    report_model: str
    report_model_key: str
    report_standard: ListedStandard | None  # None when the report names no standard
    warnings: str

    def shows(self, path: str) -> bool:
        """True when the listing fills the draft field at ``path`` (policy.json's) with text."""
        held = _HELD.get(path)
        if held is not None:
            return bool(getattr(self, held))
        return _shows(self.draft, path, self.placeholders)

    def written(self, path: str) -> str:
        """Returns what the draft holds at ``path`` as written (trimmed; a list joined by "; ")."""
        node = _node(self.draft, path)
        if isinstance(node, str):
            return node.strip()
        if isinstance(node, list):
            return "; ".join(v.strip() for v in node if isinstance(v, str) and v.strip())
        return ""

    def folded_name(self) -> str:
        """Returns the product name folded and lower-cased, to search for catalog terms."""
        # Made on use: only a listing outside the catalog has its name searched, once.
        return fold(self.draft.product.name).lower()

    @property
    def model_key(self) -> str | None:
        """Returns the model's key, None when the model is blank or keys to nothing."""
        return (self.keyed_model.key or None) if self.keyed_model else None

    @property
    def shown_credential(self) -> str | None:
        """Returns the field of the first credential number the listing shows, if any."""
        for name, written in (
            ("credentials.ccc_certificate_no", self.certificate_no),
            ("credentials.ccc_self_declaration_no", self.self_declaration_no),
            ("credentials.production_license_no", self.license_no),
        ):
            if written:
                return name
        return None


# Draft paths as policy.json names them, and the attribute holding their trimmed value.
_HELD = {
    "product.manufacturer.name": "maker_name",
    "product.manufacturer.address": "maker_address",
    "product.model": "model",
    "product.standards": "standards",
    "product.warnings": "warnings",
}


def _node(draft: ListingDraft, path: str) -> object:
    node: object = draft
    for part in path.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


def _shows(draft: ListingDraft, path: str, placeholders: Placeholders) -> bool:
    node = _node(draft, path)
    if node is None:
        return False
    if isinstance(node, str):
        return not placeholders.holds_no_value(node)
    if isinstance(node, list):
        return any(isinstance(v, str) and not placeholders.holds_no_value(v) for v in node)
    return True


def _standard(text: str) -> ListedStandard:
    return ListedStandard(text, parse_standard(text))


def _listed_standards(text: str) -> tuple[ListedStandard, ...]:
    # One field may name several ("GB 4943.1-2022、GB 31241-2022"): each is checked, or a
    # superseded second one would pass unseen.
    found = parse_standards(text)
    if len(found) < 2:  # one standard or none: the entry as written
        return (ListedStandard(text, found[0] if found else None),)
    return tuple(ListedStandard(parsed.key, parsed) for parsed in found)


def _status_keys(
    standards: tuple[ListedStandard, ...], tested: ListedStandard | None
) -> tuple[str, ...]:
    # A report against a withdrawn edition shows no conformity with the one in force, so its
    # standard's status is looked up beside the listed ones.
    named = (*standards, tested) if tested is not None else standards
    return tuple(
        dict.fromkeys(
            s.parsed.key for s in named if s.parsed and s.parsed.mandatory and s.parsed.year
        )
    )


def normalize_draft(draft: ListingDraft, placeholders: Placeholders) -> NormalizedDraft:
    """Returns the draft's values trimmed, keyed and parsed: the one pass over its strings."""

    def given(text: str | None) -> str:
        # Trimmed, or "" for a value that says nothing: a placeholder never fills a duty.
        return "" if text is None or placeholders.holds_no_value(text) else text.strip()

    product = draft.product
    maker = product.manufacturer
    maker_name = given(maker.name) if maker else ""
    maker_address = given(maker.address) if maker else ""
    company = parse_company(maker_name) if maker_name else None
    model = given(product.model)
    standards = tuple(
        listed
        for text in product.standards or ()
        if (s := given(text))
        for listed in _listed_standards(s)
    )
    creds = draft.credentials
    report = creds.test_report if creds else None
    report_model = given(report.product_model) if report else ""
    report_standard = given(report.standard) if report else ""
    tested = _standard(report_standard) if report_standard else None
    return NormalizedDraft(
        draft=draft,
        placeholders=placeholders,
        category=product.category.strip(),
        model=model,
        keyed_model=listed_model(model) if model else None,
        maker_name=maker_name,
        maker_address=maker_address,
        maker_credit_code=(given(maker.credit_code) or None) if maker else None,
        maker=company,
        maker_place=parse_address(maker_address) if maker_address else None,
        maker_cores=company.index_cores if company else (),
        standards=standards,
        standard_keys=_status_keys(standards, tested),
        certificate_no=given(creds.ccc_certificate_no) if creds else "",
        self_declaration_no=given(creds.ccc_self_declaration_no) if creds else "",
        license_no=given(creds.production_license_no) if creds else "",
        report=report,
        report_model=report_model,
        report_model_key=model_key(report_model) if report_model else "",
        report_standard=tested,
        warnings=given(product.warnings),
    )
