"""Production licence numbers (工业产品生产许可证编号)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from listing_gate.normalize.errors import FlawCode, InvalidNumber
from listing_gate.normalize.text import fold

__all__ = ["PROVINCE_ABBREVIATIONS", "LicenseNo", "parse_license_no"]

# One-character abbreviations of the provincial bureaus that issue licences.
PROVINCE_ABBREVIATIONS = frozenset("京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新")
# Second abbreviations of the same province: mapping them cannot merge two provinces.
_ALTERNATE = {"贵": "黔", "云": "滇", "蜀": "川", "秦": "陕", "陇": "甘"}

_NUMBER = re.compile(
    r"(?P<province>\(\s*[^\W\d_]\s*\)|[^\W\d_A-Z])?\s*XK\s*"
    r"(?P<industry>\d{2})\s*-\s*(?P<product>\d{3})\s*-\s*(?P<serial>\d{5})(?!\d)"
)
# Same shape with any digit counts, to say which group is wrong.
_LOOSE = re.compile(r"XK\s*(\d+)\s*-\s*(\d+)\s*-\s*(\d+)")
# A legacy QS mark glued in front of the province ("QS粤XK16-204-02450") is noise in real data.
_STRAY_QS = re.compile(r"QS\s*(?=[^\W\d_A-Z]?\s*XK)")
# Label characters that can stand right before XK when the number has no province
# ("生产许可证XK13-001-04141", "编号：XK..."): they are not a province.
_LABEL_CHARS = frozenset("证号码编:")
_GLUED_BEFORE = re.compile(r"[)A-Z]\s*$")
_GROUPS: tuple[tuple[str, int, FlawCode], ...] = (
    ("industry", 2, "license_industry_digits"),
    ("product", 3, "license_product_digits"),
    ("serial", 5, "license_serial_digits"),
)


@dataclass(frozen=True, slots=True)
class LicenseNo:
    """A well-formed licence number; the province is part of its identity."""

    province: str | None
    industry: str
    product: str
    serial: str

    @property
    def key(self) -> str:
        """Return the canonical number, e.g. '粤XK16-204-00397' or 'XK06-014-00001'."""
        return f"{self.province or ''}XK{self.industry}-{self.product}-{self.serial}"


def _province(raw: str | None) -> str | None:
    if raw is None:
        return None
    bracketed = raw.startswith("(")
    char = raw.strip("() ")
    char = _ALTERNATE.get(char, char)
    if char in PROVINCE_ABBREVIATIONS:
        return char
    if not bracketed and char in _LABEL_CHARS:
        return None
    raise InvalidNumber(
        f"'{char}' is not a province abbreviation", "license_province_unknown", char=char
    )


def parse_license_no(text: str) -> LicenseNo:
    """Return the licence number found in pasted text; raise InvalidNumber if none can be."""
    folded = _STRAY_QS.sub("", fold(text).upper())
    match = _NUMBER.search(folded)
    if match is None:
        loose = _LOOSE.search(folded)
        if loose is None:
            raise InvalidNumber("no licence number (XKnn-nnn-nnnnn) found", "license_no_number")
        for (name, size, code), group in zip(_GROUPS, loose.groups(), strict=True):
            if len(group) != size:
                raise InvalidNumber(
                    f"{name} part has {len(group)} digits, a licence has {size}",
                    code,
                    count=str(len(group)),
                    expected=str(size),
                )
        raise InvalidNumber("malformed licence number", "license_malformed")
    if match["province"] is None and _GLUED_BEFORE.search(folded, 0, match.start()):
        # "(京津)XK…" or "ABXK…": something stands where the province goes, and it is none.
        raise InvalidNumber(
            "the text before XK is not a province abbreviation", "license_prefix_not_province"
        )
    return LicenseNo(
        province=_province(match["province"]),
        industry=match["industry"],
        product=match["product"],
        serial=match["serial"],
    )
