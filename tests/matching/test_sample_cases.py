"""The labelled sample cases, as far as identifiers, models, names and addresses decide them.

Each case is replayed through the normalisers and matchers alone (no rules, no database):
the credential is looked up by its normalised key, and the verdicts are mapped to the
reason codes the rules would raise. Only codes this layer decides are compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from listing_gate.matching.addresses import match_address
from listing_gate.matching.names import match_name
from listing_gate.matching.thresholds import MatchThresholds
from listing_gate.normalize.ccc import parse_certificate_no, self_declaration_key
from listing_gate.normalize.errors import InvalidNumber
from listing_gate.normalize.license import parse_license_no
from listing_gate.normalize.model import parse_models
from listing_gate.rules.policy import load_policy

_Parties = list[tuple[str, list[str]]]
_DECIDED_HERE = {
    "CREDENTIAL_NUMBER_INVALID",
    "MODEL_NOT_COVERED",
    "MANUFACTURER_MISMATCH",
    "MANUFACTURER_UNCERTAIN",
    "ADDRESS_MISMATCH",
    "ADDRESS_UNCERTAIN",
}
# Year and product-code plausibility of a certificate number is the rules' call (catalog and
# today's date), so this layer is only held to never raising it where it is forbidden.
_REQUIRED_HERE = _DECIDED_HERE - {"CREDENTIAL_NUMBER_INVALID"}
_PARTIES = ("manufacturer", "holder", "factory")
_SHIPPED = MatchThresholds.from_mapping(load_policy().section("matching"))


@dataclass(frozen=True)
class _Registry:
    ccc: dict[str, dict[str, Any]]
    licences: dict[str, dict[str, Any]]


def _load(shared: Path) -> _Registry:
    ccc: dict[str, dict[str, Any]] = {}
    for line in (shared / "data/registry/ccc.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        ccc[record["certificate_no"]] = record
    licences: dict[str, dict[str, Any]] = {}
    for line in (shared / "data/registry/license.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        licences[parse_license_no(record["license_no"]).key] = record
    return _Registry(ccc, licences)


def _record(
    credentials: dict[str, Any], registry: _Registry
) -> tuple[dict[str, Any] | None, _Parties]:
    if credentials.get("ccc_certificate_no"):
        record = registry.ccc.get(parse_certificate_no(credentials["ccc_certificate_no"]).key)
    elif credentials.get("ccc_self_declaration_no"):
        record = registry.ccc.get(self_declaration_key(credentials["ccc_self_declaration_no"]))
    elif credentials.get("production_license_no"):
        record = registry.licences.get(parse_license_no(credentials["production_license_no"]).key)
        if record:
            company = record["company"]
            return record, [
                (company["name"], [company["address"], *record["production_addresses"]])
            ]
        return None, []
    else:
        return None, []
    if record is None:
        return None, []
    return record, [(record[r]["name"], [record[r]["address"]]) for r in _PARTIES if record.get(r)]


def _codes(draft: dict[str, Any], registry: _Registry) -> set[str]:
    product = draft["product"]
    maker = product.get("manufacturer") or {}
    try:
        record, parties = _record(draft.get("credentials") or {}, registry)
    except InvalidNumber:
        return {"CREDENTIAL_NUMBER_INVALID"}
    codes: set[str] = set()
    if record is None:
        return codes
    model = product.get("model")
    if model and "models" in record and parse_models(record["models"]).covers(model) is None:
        codes.add("MODEL_NOT_COVERED")
    if not (maker.get("name") and parties):
        return codes
    names = [
        (
            match_name(
                maker["name"], n, listing_credit_code=maker.get("credit_code"), thresholds=_SHIPPED
            ),
            a,
        )
        for n, a in parties
    ]
    verdicts = {m.verdict for m, _ in names}
    if "match" not in verdicts:
        codes.add("MANUFACTURER_UNCERTAIN" if "weak" in verdicts else "MANUFACTURER_MISMATCH")
    addresses = [a for m, places in names if m.verdict != "mismatch" for a in places]
    if maker.get("address") and addresses:
        places = {
            match_address(maker["address"], a, thresholds=_SHIPPED).verdict for a in addresses
        }
        if "match" not in places:
            codes.add("ADDRESS_UNCERTAIN" if "uncertain" in places else "ADDRESS_MISMATCH")
    return codes


def _cases(shared: Path) -> list[dict[str, Any]]:
    lines = (shared / "data/cases.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def replayed(shared_dir: Path) -> list[tuple[dict[str, Any], set[str]]]:
    """Every case with the codes this layer would raise for it."""
    registry = _load(shared_dir)
    return [(case, _codes(case["draft"], registry)) for case in _cases(shared_dir)]


def test_required_codes_of_this_layer_are_raised(
    replayed: list[tuple[dict[str, Any], set[str]]],
) -> None:
    """Every required identifier, model, name or address code is raised."""
    missing = [
        (case["case_id"], sorted(set(case["expect"]["codes_required"]) & _REQUIRED_HERE - codes))
        for case, codes in replayed
        if set(case["expect"]["codes_required"]) & _REQUIRED_HERE - codes
    ]
    assert missing == []


def test_forbidden_codes_of_this_layer_are_not_raised(
    replayed: list[tuple[dict[str, Any], set[str]]],
) -> None:
    """No forbidden identifier, model, name or address code is raised."""
    wrong = [
        (case["case_id"], sorted(codes & set(case["expect"]["codes_forbidden"])))
        for case, codes in replayed
        if codes & set(case["expect"]["codes_forbidden"])
    ]
    assert wrong == []


def test_allow_only_cases_raise_nothing_here(
    replayed: list[tuple[dict[str, Any], set[str]]],
) -> None:
    """A case that must be allowed gets no code from this layer at all."""
    raised = [
        (case["case_id"], sorted(codes))
        for case, codes in replayed
        if case["expect"]["decision_any_of"] == ["allow"] and codes
    ]
    assert raised == []
