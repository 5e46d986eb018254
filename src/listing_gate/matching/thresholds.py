"""Policy knobs of name and address matching (the "matching" section of policy.json)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, dataclass, fields
from typing import Any, Literal

__all__ = ["DEFAULT", "MatchThresholds"]

SoftVerdict = Literal["match", "weak", "mismatch"]
_SOFT_VERDICTS = ("match", "weak", "mismatch")


@dataclass(frozen=True)
class MatchThresholds:
    """How matching treats the differences that do not by themselves prove another entity.

    Defaults are the domain's reading; policy.json carries the same values.
    """

    # 有限公司 vs 有限责任公司 (or 股份有限公司): distinct registered strings, same core.
    legal_form_differs: SoftVerdict = "weak"
    # One side writes no legal form at all ("深圳市华强电子").
    legal_form_missing: SoftVerdict = "weak"
    # A branch (…东莞分公司) against its head office.
    branch_differs: SoftVerdict = "weak"
    # Street detail without a house number on either side ("广益玩具工业区26栋" vs
    # "广益工业区26栋"): the fuzzy score at or above which the two count as one place,
    # provided their digits agree. Numbers are never fuzzy-matched.
    address_detail_min_score: float = 90.0

    def __post_init__(self) -> None:
        # Verdicts are cached with the thresholds in the key: hash the fields once, not on
        # every call (the generated __hash__ rebuilds a tuple each time).
        object.__setattr__(self, "_hash", hash(astuple(self)))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined, no-any-return]  # set in __post_init__

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any]) -> MatchThresholds:
        """Return thresholds from a policy section; absent keys keep their default."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(k for k in set(m) - known if not k.startswith("_"))
        if unknown:
            raise ValueError(f"unknown matching policy keys: {', '.join(unknown)}")
        values: dict[str, Any] = {k: v for k, v in m.items() if k in known}
        for name in ("legal_form_differs", "legal_form_missing", "branch_differs"):
            if name in values and values[name] not in _SOFT_VERDICTS:
                raise ValueError(f"{name} must be one of {_SOFT_VERDICTS}, not {values[name]!r}")
        if "address_detail_min_score" in values:
            score = float(values["address_detail_min_score"])
            if not 0 <= score <= 100:
                raise ValueError("address_detail_min_score must be within 0-100")
            values["address_detail_min_score"] = score
        return cls(**values)


DEFAULT = MatchThresholds()
