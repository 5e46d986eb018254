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
_DASH = re.compile(f"[{_DASHES}]")
# Zero-width characters ride along with copy-paste from web pages; they are removed before
# NFKC so that removing them later cannot create a new composable sequence.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def fold(text: str) -> str:
    """Return `text` in NFKC with every dash as '-', whitespace runs as one space, trimmed."""
    if not text.isascii():
        # ASCII is already NFKC and holds none of these dashes: most identifiers skip this.
        text = _ZERO_WIDTH.sub("", text)
        text = unicodedata.normalize("NFKC", text)
        if _DASH.search(text):
            text = text.translate(_DASH_TABLE)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _t2s() -> Any:
    # Building the converter loads its dictionaries (tens of ms): once, and only when needed.
    from opencc_purepy import OpenCC  # noqa: PLC0415  (lazy on purpose, see above)

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _convertible() -> frozenset[str] | None:
    # The traditional characters t2s knows. Text with none of them is left as it is and the
    # (slow, pure Python) converter is skipped; its phrase table only rewrites text holding
    # one of them, except a few oddities ("结束" -> "結束") that skipping avoids. These are
    # the converter's own tables: if a release renames them, every text is converted.
    try:
        table = _t2s().dictionary.ts_characters[0]
        chars = frozenset(key for key in table if len(key) == 1)
    except (AttributeError, IndexError, KeyError, TypeError):
        return None
    return chars or None


# The converter is slow pure Python; registry names and addresses reach it again for every
# listing compared with them (see normalize.company and normalize.address).
@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Return `text` with traditional Chinese characters converted to simplified ones."""
    if text.isascii():
        return text
    convertible = _convertible()
    if convertible is not None and convertible.isdisjoint(text):
        return text
    return str(_t2s().convert(text))
