"""Pure normalisers of the identifiers, names and addresses listings and registries carry."""

from listing_gate.normalize.address import Address, parse_address
from listing_gate.normalize.ccc import CertificateNo, parse_certificate_no, self_declaration_key
from listing_gate.normalize.company import CompanyName, parse_company
from listing_gate.normalize.credit_code import normalize_credit_code, valid_credit_code
from listing_gate.normalize.errors import InvalidNumber
from listing_gate.normalize.license import LicenseNo, parse_license_no
from listing_gate.normalize.model import (
    ModelCoverage,
    index_keys,
    model_key,
    parse_models,
    split_models,
)
from listing_gate.normalize.standard import StandardNo, parse_standard, parse_standards
from listing_gate.normalize.text import fold, to_simplified

__all__ = [
    "Address",
    "CertificateNo",
    "CompanyName",
    "InvalidNumber",
    "LicenseNo",
    "ModelCoverage",
    "StandardNo",
    "fold",
    "index_keys",
    "model_key",
    "normalize_credit_code",
    "parse_address",
    "parse_certificate_no",
    "parse_company",
    "parse_license_no",
    "parse_models",
    "parse_standard",
    "parse_standards",
    "self_declaration_key",
    "split_models",
    "to_simplified",
    "valid_credit_code",
]
