"""Unicode folding shared by every normaliser."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = ["fold", "to_simplified"]

# NFKC folds full-width forms but leaves these dashes alone, and sellers paste all of them.
_DASHES = (
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphen .. horizontal bar (en/em dash among them)
    "\u2212"  # minus sign
    "\u2e3a\u2e3b"  # two- and three-em dash
    "\ufe31\ufe32\ufe58\ufe63\uff0d"  # presentation forms, small and full-width hyphen-minus
)
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, "-"))
# Zero-width characters ride along with copy-paste from web pages; they are removed before
# NFKC so that removing them later cannot create a new composable sequence.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return `text` in NFKC with every dash as '-', whitespace runs as one space, trimmed."""
    text = _ZERO_WIDTH.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(_DASH_TABLE)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _t2s() -> Any:
    # Building the converter loads its dictionaries (tens of ms): once, and only when needed.
    from opencc_purepy import OpenCC  # noqa: PLC0415  (lazy on purpose, see above)

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Return `text` with traditional Chinese characters converted to simplified ones."""
    if text.isascii():
        return text
    return str(_t2s().convert(text))
