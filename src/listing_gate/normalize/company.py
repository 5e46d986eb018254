"""Company names: region, core (trade name and industry), legal form and branch."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from listing_gate.normalize.divisions import Region, parse_region_prefix, region_of
from listing_gate.normalize.text import fold, to_simplified

__all__ = ["CompanyName", "parse_company"]

# A shop wrapping the legal entity: "公牛家装官方旗舰店(武汉市美雀商贸有限公司)".
_ENTITY_END = re.compile(r"(?:公司|厂|企业|合作社|商行|经营部|门市部|工作室|合伙\))$")
_WRAPPED = re.compile(r"^(?P<outer>.*?)\((?P<inner>[^()]+)\)$")
_SHOP_END = re.compile(r"(?:店|商城|官方)$")
# "华强(集团)有限公司" is how some registrations write 华强集团有限公司.
_GROUP = re.compile(r"\((集团|控股)\)")
# A branch is its own registration: "…有限公司东莞分公司" keeps "东莞分公司".
_BRANCH = re.compile(r"^(?P<main>.+(?:公司|厂))(?P<branch>[^()]+?(?:分公司|分厂|办事处|营业部))$")
_BRACKET = re.compile(r"\(([^()]{2,12})\)")
_WHITESPACE = re.compile(r"\s+")
# Punctuation in a Latin name separates words and says nothing else ("Co.,Ltd." is CO LTD,
# "S.A." is S A, "A/S" is A S, "Procter & Gamble" is PROCTER GAMBLE).
_LATIN_PUNCTUATION = re.compile(r"[\s.,&'\-/()]+")
_TRAILING_NOTE = re.compile(r"^(?P<name>.*\S)\s*\([^()]*\)\s*$")
# Letters NFKD does not take apart; the rest of a European name loses its accents
# ("Nestlé" is NESTLE, "Spółka" SPOLKA): registries and sellers type either spelling.
_LATIN_LETTERS = str.maketrans(
    {"ß": "SS", "ẞ": "SS", "Æ": "AE", "Œ": "OE", "Ø": "O", "Ł": "L", "Đ": "D", "Ð": "D", "Þ": "TH"}
)
_COMBINING = re.compile(r"[\u0300-\u036f]")
# Any letter of a script written without spaces between words makes a name CJK.
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]")


@dataclass(frozen=True, slots=True)
class _Forms:
    chinese: tuple[str, ...]  # longest first
    chinese_prefixes: tuple[str, ...]
    latin: tuple[tuple[tuple[str, ...], str], ...]  # (words, canonical form), most words first


@lru_cache(maxsize=1)
def _forms() -> _Forms:
    raw = json.loads(
        resources.files("listing_gate.data").joinpath("legal_forms.json").read_text("utf-8")
    )
    latin = [
        (tuple(spelling.split(" ")), canonical)
        for canonical, spellings in raw["latin"].items()
        for spelling in spellings
    ]
    return _Forms(
        chinese=tuple(sorted(raw["chinese"], key=len, reverse=True)),
        chinese_prefixes=tuple(raw["chinese_prefixes"]),
        latin=tuple(sorted(latin, key=lambda pair: -len(pair[0]))),
    )


@dataclass(frozen=True, slots=True)
class CompanyName:
    """A parsed company name; `key` compares names without their region."""

    raw: str
    province: str | None
    city: str | None
    district: str | None
    core: str
    form: str | None
    branch: str | None = None
    # The core if the region prefix was really part of the trade name ("金华电器有限公司"
    # may be the company 金华电器 with no region): the region words it would put back.
    core_with_prefix: str | None = None
    # The region in that reading: what the pieces before the bare one say (深圳市 of
    # "深圳市南山电子"), so the other reading never forgets the city.
    region_with_prefix: Region | None = None
    # The region-free comparison key: core, legal form and branch (computed once).
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        space = " " if self.form and self.form.isascii() else ""
        key = f"{self.core}{space}{self.form or ''}{self.branch or ''}"
        object.__setattr__(self, "key", key)

    @property
    def region(self) -> Region:
        """Return the region as one value."""
        return Region(self.province, self.city, self.district)

    @property
    def index_cores(self) -> tuple[str, ...]:
        """Return the cores to index a notice by, or look one up by.

        That is the core, plus the core with its bare region prefix when the prefix may be
        part of the trade name (金华电器有限公司: 电器 in 金华, or the company 金华电器).
        """
        if self.core_with_prefix and self.core_with_prefix != self.core:
            return (self.core, self.core_with_prefix)
        return (self.core,) if self.core else ()


def _latin(text: str) -> str:
    # Only names with no CJK in them: "三星(Samsung)" stays a Chinese name.
    if text.isascii() or _CJK.search(text):
        return text
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_LATIN_LETTERS)))
    return plain if plain.isascii() else text


def _canonical(text: str) -> str:
    text = _latin(to_simplified(fold(text)).upper())
    if text.isascii():
        latin = _LATIN_PUNCTUATION.sub(" ", text).strip()
        noted = _TRAILING_NOTE.match(text)
        if noted is not None:
            # "Apple Inc. (USA)": a note after the legal form is not part of the name;
            # before the form ("Samsung Electronics (China) Co., Ltd.") it is.
            named = _LATIN_PUNCTUATION.sub(" ", noted["name"]).strip()
            if _split_form(named)[1] is not None:
                return named
        return latin
    return _WHITESPACE.sub("", text)


def _unwrap_shop(name: str) -> str:
    wrapped = _WRAPPED.match(name)
    if wrapped is None:
        return name
    outer, inner = wrapped["outer"], wrapped["inner"]
    if _ENTITY_END.search(inner) and not _ENTITY_END.search(outer):
        return inner  # 旗舰店(美雀商贸有限公司)
    if _SHOP_END.search(inner) and _ENTITY_END.search(outer):
        return outer  # 美雀商贸有限公司(公牛家装官方旗舰店)
    return name


def _split_form(name: str) -> tuple[str, str | None]:
    forms = _forms()
    if name.isascii():
        # A Latin name's form is its last words, written any of the ways the table knows;
        # the canonical spelling stands for all of them ("Limited" and "Ltd." are one).
        words = tuple(name.split(" "))
        for spelling, canonical in forms.latin:
            if len(words) > len(spelling) and words[-len(spelling) :] == spelling:
                return " ".join(words[: -len(spelling)]), canonical
        return name, None
    for form in forms.chinese:
        if name.endswith(form) and len(name) > len(form):
            return name[: -len(form)].rstrip(), form
    for form in forms.chinese_prefixes:
        if name.startswith(form) and len(name) > len(form):
            return name[len(form) :], form  # 株式会社村田製作所
    return name, None


def _bracket_region(name: str) -> tuple[str, Region | None]:
    for match in _BRACKET.finditer(name):
        region = region_of(match.group(1))
        if region != Region() and match.start() > 0:
            return name[: match.start()] + name[match.end() :], region
    return name, None


def _merge(first: Region, second: Region | None) -> Region:
    if second is None:
        return first
    return Region(
        first.province or second.province,
        first.city or second.city,
        first.district or second.district,
    )


# Pays for registry values: a credential party or a notice's manufacturer is compared with
# every listing that shows the credential or meets the notice. A listing's own
# manufacturer is parsed once per decision (rules.draft).
@lru_cache(maxsize=65536)
def parse_company(text: str) -> CompanyName:
    """Return the parts of a company name; parsing never fails (an unknown shape is all core)."""
    name = _unwrap_shop(_canonical(text))
    branch: str | None = None
    branched = _BRANCH.match(name)
    if branched:
        name, branch = branched["main"], branched["branch"]
    rest, form = _split_form(name)
    rest, bracketed = _bracket_region(_GROUP.sub(r"\1", rest))
    region, consumed, pieces = parse_region_prefix(rest)
    core = rest[consumed:]
    if not core:
        # The whole name is a place ("深圳市有限公司"): the place is the trade name.
        core, region, pieces = rest, Region(), ()
    core_with_prefix = None
    region_with_prefix = None
    if pieces and pieces[-1][-1] not in "省市区县州盟旗":
        core_with_prefix = pieces[-1] + core
        region_with_prefix = _merge(parse_region_prefix("".join(pieces[:-1]))[0], bracketed)
    region = _merge(region, bracketed)
    return CompanyName(
        raw=text,
        province=region.province,
        city=region.city,
        district=region.district,
        core=core,
        form=form,
        branch=branch,
        core_with_prefix=core_with_prefix,
        region_with_prefix=region_with_prefix,
    )
