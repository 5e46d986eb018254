"""Product model identifiers and the model lists (with series notation) of certificates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from listing_gate.normalize.model_range import ModelRange, numeric_range
from listing_gate.normalize.text import fold

__all__ = [
    "ListedModel",
    "ModelCoverage",
    "ModelPattern",
    "ModelRange",
    "index_keys",
    "listed_model",
    "model_key",
    "parse_models",
    "split_models",
]

# Only separators (space, '-', '_') are dropped: "KFR-35GW/N8", "kfr 35gw/n8" and
# "KFR35GW/N8" are one model, while '/', '.', brackets and every letter or digit stay.
# A label pasted with the value ("型号：PB-2000"); no model starts with 型号. Latin labels need
# the colon, because "MODEL 3" is a model.
_LABEL = re.compile(r"^(?:(?:产品)?(?:规格)?型号(?:规格)?:?|MODEL(?:NO\.?)?:)+")
# The multiplication sign in dimensions is written ×, x, X, ✕ or * ("1220*2440*15mm").
_TIMES_SIGN = re.compile("[×✕✖╳]")
# Cable sections are sold in 平方 (mm²): "2.5平方" is "2.5mm²" (NFKC makes ² a 2).
_SQUARE_MM = re.compile(r"(?<=[0-9])(?:平方毫米|平方)")
_STAR_BETWEEN_DIGITS = re.compile(r"(?<=\d)\*(?=\d)")
# A description in brackets or 型 after the model ("XQB80-187A（白色）", "PY-2201【樱花粉】",
# "KFR-35GW型") is not part of it; brackets of any kind, alternatives inside ("白色/黑色").
_CJK_NOTE = r"[\u3400-\u9fff]+(?:[/、,][\u3400-\u9fff]+)*"
_BRACKETS = ("()", "[]", "【】", "〔〕", "〖〗", "「」", "『』")
_BRACKETED_NOTE = (
    "(?:"
    + "|".join(rf"{re.escape(pair[0])}{_CJK_NOTE}{re.escape(pair[1])}" for pair in _BRACKETS)
    + ")"
)
_TRAILING_NOTE = re.compile(rf"(?:{_BRACKETED_NOTE}|型号?)+$")
_TRAILING_BRACKETS = re.compile(rf"(?:\s*{_BRACKETED_NOTE})+$")
# Words after a space that are all CJK describe the product, not its model: a colour, a
# capacity, an edition ("PY-2201 樱花粉", "XR-1 礼盒装"). Text glued to the model
# ("PY-2201樱花粉") and bundles ("A1647+数据线") are model text (DOMAIN.md "Descriptors").
# A descriptor may list alternatives ("樱花粉/天空蓝", "白色、黑色").
_DESCRIPTORS = re.compile(r"(?: [\u3400-\u9fff]+(?:[/、,][\u3400-\u9fff]+)*)+$")
_MODEL_CHARACTER = re.compile(r"[0-9A-Z]")
_DIGIT = re.compile(r"[0-9]")
_WORD_END = re.compile(r"[ (]")
# Tildes NFKC leaves alone; certificates write ranges with any of them ("1.5〜6mm²").
_TILDES = str.maketrans({"\u301c": "~", "\u223c": "~"})

_LIST_SEPARATORS = re.compile(r"[、,;|]")
_MAYBE_LIST = re.compile(r"[、,;|/和及与]")
# Words that join two models in a notice ("PB-2000和PB-3000"): no model holds one.
_CONJUNCTIONS = re.compile(r"[和及与]")
_ALNUM = re.compile(r"[^\W_]")
# A family written as such ("MC-XD80系列", "HX-100、HX-200系列产品", "PB-2000及其衍生型号"):
# its members extend it. Recall notices add what the list stands for ("全部型号").
_FAMILY = (
    r"(?:(?:全|等)?系列(?:产品|的?(?:全部|所有)(?:型号|产品|规格)?|型号)?"
    r"|\s*SERIES|及其?衍生(?:型号|产品|款))"
)
_FAMILY_SUFFIX = re.compile(rf"{_FAMILY}$")
# "A1647、A1642等型号": the list, and perhaps others it does not name.
_SERIES_SUFFIX = re.compile(
    rf"{_FAMILY}$|等(?:多个|多款|其他|相关)?(?:型号|产品|规格|款式|款)?(?:产品)?$"
)
# A family prefix shorter than this would reach across a whole brand ("A系列").
_MIN_FAMILY_PREFIX = 3
_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "AAAAAAAAAAAAAAAAAAAAAAAAAA9999999999"
)
_LEADING_LETTERS = re.compile(r"^[A-Z]+[-_ ]?")
# Candidate wildcards; whether a candidate is one depends on its neighbours (see _segments).
_WILDCARD = re.compile(r"X+|\*+|[□○△◇?]+")
_WILDCARD_SEPARATORS = frozenset("-/ ._")
# An open '*' needs this much literal text before it, else "A*" would cover a whole brand.
_MIN_OPEN_PREFIX = 3
_MIN_LITERAL = 2


def _normal(text: str) -> str:
    # upper() can denormalise exotic characters (e.g. 'ΐ'), so NFKC again until stable.
    text = fold(text).upper()
    if not text.isascii():
        for _ in range(3):
            again = unicodedata.normalize("NFKC", text).upper()
            if again == text:
                break
            text = again
        text = text.translate(_TILDES)
    return text


def _without_descriptors(text: str) -> str:
    found = _DESCRIPTORS.search(text)
    if found is None or not _MODEL_CHARACTER.search(text, 0, found.start()):
        return text  # no descriptor, or nothing before it that could be a model
    return text[: found.start()]


def _compact(text: str) -> str:
    # Separators go first so that "1*-2" and "1*2" end up the same. After fold() the only
    # whitespace left is a single space, so plain replaces do (they are much faster).
    text = text.replace(" ", "").replace("-", "").replace("_", "")
    if not text.isascii():
        text = _SQUARE_MM.sub("MM2", _TIMES_SIGN.sub("X", text))
    if "*" in text:
        text = _STAR_BETWEEN_DIGITS.sub("X", text)
    return text


def model_key(text: str) -> str:
    """Return the comparison key of one model: NFKC, upper case, separators dropped."""
    key = _key_once(text)
    # Dropping a separator can let NFKC compose across it ("E -̆"); real models are
    # ASCII and take one round, anything else is keyed until it is a fixed point.
    for _ in range(3):
        if key.isascii():
            break
        again = _key_once(key)
        if again == key:
            break
        key = again
    return key


def _key_once(text: str) -> str:
    text = _normal(text)
    if not text.isascii():
        text = _without_descriptors(text)
    text = text.replace(" ", "").replace("-", "").replace("_", "")
    if not text.isascii() or ":" in text:
        text = _LABEL.sub("", text)
    text = _compact(text)
    if not text.isascii():
        text = _TRAILING_NOTE.sub("", text)
    return text


class ListedModel(NamedTuple):
    """A listing's model field, keyed once: the whole key, and each model's if it lists several."""

    key: str
    # The keys of "A1647/A1642" or "HX-1、HX-2": coverage of every one of them stands in for
    # the whole when the whole is not covered. Empty when the field names one model.
    piece_keys: tuple[str, ...] = ()
    # The key of the first word when the model is written in several ("A1647 10000mAh"):
    # what a recall naming "A1647" plausibly concerns. Empty for a model of one word.
    head_key: str = ""


def listed_model(text: str) -> ListedModel:
    """Return the model a listing names, keyed for ``ModelCoverage.covers_model``."""
    key = model_key(text)
    head = _head_key(text) if not text.isascii() or " " in text.strip() or "(" in text else ""
    if not _MAYBE_LIST.search(key):
        return ListedModel(key, head_key=head)
    pieces = _pieces(key)
    if len(pieces) < 2:
        return ListedModel(key, head_key=head)
    return ListedModel(key, tuple(model_key(piece) for piece in pieces), head)


def _head_key(text: str) -> str:
    normal = _normal(text)
    if not normal.isascii():
        normal = _without_descriptors(normal)
    return _first_word_key(normal)


def _first_word_key(normal: str) -> str:
    # The first word, up to a space or a bracket: "A1647 10000mAh", "A1647(批次2023.12)".
    words = _WORD_END.split(normal.strip(), maxsplit=1)
    return _head(words[0]) if len(words) > 1 and words[1].strip(" )") else ""


def _head(word: str) -> str:
    # A first word short or without a digit ("BV", "Mate") names a type, not a model.
    head = model_key(word)
    return head if len(head) >= _MIN_FAMILY_PREFIX and _DIGIT.search(head) else ""


@dataclass(frozen=True, slots=True)
class ModelPattern:
    """A series entry with wildcards, compiled to a regular expression over model keys."""

    regex: re.Pattern[str]
    entry: str
    prefix: str


@dataclass(frozen=True)
class ModelCoverage:
    """The models a certificate (or recall, or spot check) names, exact keys and series.

    ``families`` are the prefixes of entries written as a family ("MC-XD80系列"): a model
    that only extends one is plausibly a member, never provably (``family_of``).
    """

    exact_keys: frozenset[str]
    patterns: tuple[ModelPattern, ...] = ()
    entries: Mapping[str, str] = field(default_factory=dict)
    ranges: tuple[ModelRange, ...] = ()
    families: tuple[tuple[str, str], ...] = ()  # (prefix key, entry)
    # First-word keys of entries written in several words ("TDX-228 1000W" -> TDX228).
    heads: Mapping[str, str] = field(default_factory=dict)

    def covers(self, text: str) -> str | None:
        """Return the registry entry that covers the model (key or raw text), else None.

        A listing naming several models ("A1647/A1642") is covered only if each one is.
        """
        return self.covers_model(listed_model(text))

    def covers_model(self, model: ListedModel) -> str | None:
        """Return the registry entry that covers an already keyed model, else None."""
        whole = self._covers_one(model.key)
        if whole is not None or not model.piece_keys:
            return whole
        entries = [self._covers_one(key) for key in model.piece_keys]
        if any(entry is None for entry in entries):
            return None
        return "; ".join(dict.fromkeys(e for e in entries if e is not None))

    def member(self, model: ListedModel) -> str | None:
        """Return the entry that covers the model or the family it extends, else None.

        A notice (recall, spot check) reads its models broadly: a family member is named.
        """
        covered = self.covers_model(model)
        return covered if covered is not None else self.family_of(model)

    def family_of(self, model: ListedModel) -> str | None:
        """Return the family entry a model only extends ("MC-TD6036" of "MC-TD60系列"), else None.

        Meant for a model ``covers_model`` does not cover; a listing naming several models
        is in a family when each one is covered or extends one.
        """
        whole = self._extends_one(model.key)
        if whole is not None or not model.piece_keys:
            return whole
        entries = []
        for key in model.piece_keys:
            entry = self._covers_one(key) or self._extends_one(key)
            if entry is None:
                return None
            entries.append(entry)
        return "; ".join(dict.fromkeys(entries))

    def variant_of(self, model: ListedModel) -> str | None:
        """Return the exact entry the model plausibly is a variant of, else None.

        For a model ``covers_model`` does not cover: one that extends an entry by a
        non-digit ("A1647S" of "A1647", read like an open suffix "A1647*"; "A16470" is
        another number), or that shares an entry's first word and only adds or leaves out
        words ("A1647 10000mAh" of "A1647", "TDX-228" of "TDX-228 1000W").
        """
        key = model.key
        for length in range(len(key) - 1, _MIN_FAMILY_PREFIX - 1, -1):
            entry = self.entries.get(key[:length])
            if entry is not None and not (key[length].isdigit() and key[length - 1].isdigit()):
                return entry
        if model.head_key and (entry := self.entries.get(model.head_key)) is not None:
            return entry
        return self.heads.get(key)

    def _covers_one(self, key: str) -> str | None:
        if not _ALNUM.search(key):
            return None
        entry = self.entries.get(key)
        if entry is not None:
            return entry
        for pattern in self.patterns:
            if pattern.regex.fullmatch(key):
                return pattern.entry
        for numeric in self.ranges:
            if numeric.covers(key):
                return numeric.entry
        return None

    def _extends_one(self, key: str) -> str | None:
        for prefix, entry in self.families:
            if len(key) > len(prefix) and key.startswith(prefix):
                return entry
        return None


def _shape(piece: str) -> str:
    return piece.translate(_SHAPE)


def _models_in_own_right(pieces: list[str]) -> bool:
    # "A1647/A1642/A1652" is a list, "KFR-35GW/N8-130" and "195/55R15 94V" are one model each.
    if len(pieces) < 2 or any(len(p.strip()) < _MIN_OPEN_PREFIX for p in pieces):
        return False
    pieces = [p.strip() for p in pieces]
    if len({_shape(p) for p in pieces}) == 1:
        return True
    heads = {m.group(0).strip("-_ ") if (m := _LEADING_LETTERS.match(p)) else "" for p in pieces}
    return len(heads) == 1 and "" not in heads and all(any(c.isdigit() for c in p) for p in pieces)


def _pieces(entry: str) -> tuple[str, ...]:
    out: list[str] = []
    for raw in _LIST_SEPARATORS.split(_without_notes(_normal(entry))):
        piece = _SERIES_SUFFIX.sub("", _without_notes(raw.strip())).strip()
        if not piece:
            continue
        # "HX-100 HX-200" lists two models; "DZ47-32 C16" and "195/55R15 94V" are one each.
        words = piece.split(" ")
        for word in words if _models_in_own_right(words) else [piece]:
            for joined in _joined(word):
                parts = joined.split("/")
                if _models_in_own_right(parts):
                    out.extend(p.strip() for p in parts)
                else:
                    out.append(joined)
    return tuple(out)


def _joined(word: str) -> list[str]:
    # "PB-2000和PB-3000" is two models; "白色及黑色" after a model is no list of models.
    parts = [p.strip() for p in _CONJUNCTIONS.split(word)]
    if len(parts) > 1 and all(_MODEL_CHARACTER.search(p) for p in parts):
        return parts
    return [word]


def _without_notes(text: str) -> str:
    # "MC-XD80系列（全部批次）": a bracketed note after a list or family says nothing of models.
    if text.isascii():
        return text
    return _TRAILING_BRACKETS.sub("", text)


def _is_wildcard(piece: str, match: re.Match[str]) -> bool:
    run, start, end = match.group(0), match.start(), match.end()
    if run[0] in "□○△◇?":
        return True
    if run == "X":
        # One X ends many real model names (Redmi 10X, Find X); reading it as a digit would
        # let 10X cover 105, a false allow. Series notation writes two or more (PB-20XX).
        return False
    before = piece[start - 1] if start else ""
    after = piece[end] if end < len(piece) else ""
    follows = before.isdigit() or before in _WILDCARD_SEPARATORS
    if not before or not follows:
        return False
    if run[0] == "*":
        return after == "" or (len(run) > 1 and after in _WILDCARD_SEPARATORS)
    return after == "" or after in _WILDCARD_SEPARATORS


def _compile(piece: str) -> tuple[str, str] | None:
    """Return (regex source, literal prefix key) when `piece` has wildcards, else None."""
    parts: list[str] = []
    literal_chars = 0
    prefix: str | None = None
    cursor = 0
    for match in _WILDCARD.finditer(piece):
        if not _is_wildcard(piece, match):
            continue
        literal = _compact(piece[cursor : match.start()])
        literal_chars += len(literal)
        parts.append(re.escape(literal))
        if prefix is None:
            prefix = _compact(piece[: match.start()])
        run = match.group(0)
        if run == "*":
            # An open suffix ("PB-2000*" covers PB-2000S), but it must not extend the digit
            # run: PB-20001 is another product than PB-2000.
            ends_in_digit = bool(literal) and literal[-1].isdigit()
            parts.append("(?:[^0-9].*)?" if ends_in_digit else ".*")
        elif run[0] in "X*":
            parts.append(rf"[0-9]{{{len(run)}}}")
        else:
            parts.append(rf"[0-9A-Z]{{{len(run)}}}")
        cursor = match.end()
    if prefix is None:
        return None
    tail = _compact(piece[cursor:])
    literal_chars += len(tail)
    parts.append(re.escape(tail))
    if literal_chars < _MIN_LITERAL or ("*" in piece and len(prefix) < _MIN_OPEN_PREFIX):
        return None
    return "".join(parts), prefix


# Pays for registry values: a certificate's (or recall's) model list is compiled once and
# met again by every listing that shows that certificate or is named by that notice.
@lru_cache(maxsize=16384)
def _parse(models: tuple[str, ...]) -> ModelCoverage:
    entries: dict[str, str] = {}
    patterns: list[ModelPattern] = []
    ranges: list[ModelRange] = []
    families: list[tuple[str, str]] = []
    heads: dict[str, str] = {}
    for entry in models:
        family = _FAMILY_SUFFIX.search(_without_notes(_normal(entry).strip())) is not None
        for piece in _pieces(entry):
            # The literal text always covers itself: "Redmi 10X" may be a model, not a series.
            key = model_key(piece)
            if _ALNUM.search(key):
                entries.setdefault(key, entry)
            compiled = _compile(piece)
            if compiled is not None:
                source, prefix = compiled
                patterns.append(ModelPattern(re.compile(source), entry, prefix))
            if head := _first_word_key(piece):
                heads.setdefault(head, entry)
            numeric = numeric_range(key, entry)
            if numeric is not None:
                ranges.append(numeric)
            elif family and len(key) >= _MIN_FAMILY_PREFIX:
                families.append((key, entry))
    return ModelCoverage(
        frozenset(entries), tuple(patterns), entries, tuple(ranges), tuple(families), heads
    )


def parse_models(models: Iterable[str]) -> ModelCoverage:
    """Return what a registry model list covers: exact model keys and series patterns."""
    return _parse(tuple(models))


def split_models(text: str) -> list[str]:
    """Return the separate models written in one field ("A1647/A1642", "HX-1、HX-2系列")."""
    return [piece for piece in _pieces(text) if model_key(piece)]


def index_keys(models: Iterable[str]) -> list[str]:
    """Return the exact model keys of a list, for indexing (series patterns are not keys)."""
    return sorted(_parse(tuple(models)).exact_keys)
