"""Labels sellers paste with an identifier ("证书编号：", "自我声明编号:", "No.", "代码").

For identifiers without CJK: CCC certificate and self-declaration numbers, credit codes.
"""

from __future__ import annotations

import re

from listing_gate.normalize.text import fold

__all__ = ["strip_label"]

# Words, CJK and spaces up to a colon: "证书编号:", "3C证书编号 :", "Certificate No.:".
# NFKC has already turned the full-width colon into ':'.
_BEFORE_COLON = re.compile(r"^(?:3C|CCC)?[^\W\d_][^\W\d_ .#()]*(?:[ .#()]+[^\W\d_]+)*[ .#()]*:\s*")
# CJK glued to the identifier ("自我声明编号2024…", "统一社会信用代码91440300…"): no CCC
# number, self-declaration or credit code holds CJK, so the run cannot be part of it. (A
# licence number does, its province: normalize.license reads its own labels.)
_CJK_RUN = re.compile(r"^(?:3C|CCC)?\s*[\u3400-\u9fff\u3000-\u303f]+[\u3400-\u9fff\s]*")
# "No.SD-2024…", "NO 2024…", "№2024…": the abbreviation of "number"; without its dot only
# before digits, where it cannot begin an identifier.
_NUMBER_SIGN = re.compile(r"^(?:NO\.\s*(?=[0-9A-Z])|(?:NO|№)\s*(?=[0-9]))", re.IGNORECASE)


def strip_label(text: str) -> str:
    """Returns ``text`` folded (NFKC, one space, trimmed) without the label pasted before it.

    A label is text before a colon, a run of CJK before the identifier, or "No." before
    digits; what follows it is kept exactly. Text that is only a label stays as it is.
    """
    value = fold(text)
    while True:  # each round shortens the text, so this ends; a fixed point keeps it idempotent
        stripped = _NUMBER_SIGN.sub("", _CJK_RUN.sub("", _BEFORE_COLON.sub("", value)))
        if stripped == value or not stripped:
            return value
        value = stripped
