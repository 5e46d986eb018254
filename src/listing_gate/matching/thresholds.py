"""Policy knobs of name and address matching: the "matching" section of policy.json."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, dataclass, fields
from typing import Any, Literal

__all__ = ["MatchThresholds"]

SoftVerdict = Literal["match", "weak", "mismatch"]
_SOFT_VERDICTS = ("match", "weak", "mismatch")


@dataclass(frozen=True)
class MatchThresholds:
    """How matching treats the differences that do not by themselves prove another entity.

    The values live in policy.json only; ``from_mapping`` reads them from there.
    """

    # 有限公司 vs 有限责任公司 (or 股份有限公司): distinct registered strings, same core.
    legal_form_differs: SoftVerdict
    # One side writes no legal form at all ("深圳市华强电子").
    legal_form_missing: SoftVerdict
    # A branch (…东莞分公司) against its head office.
    branch_differs: SoftVerdict
    # Street detail without a house number on either side ("广益玩具工业区26栋" vs
    # "广益工业区26栋"): the fuzzy score at or above which the two count as one place,
    # provided their digits agree. Numbers are never fuzzy-matched.
    address_detail_min_score: float

    def __post_init__(self) -> None:
        # Verdicts are memoised with the thresholds in the key: hash the fields once, not on
        # every call (the generated __hash__ rebuilds a tuple each time).
        object.__setattr__(self, "_hash", hash(astuple(self)))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined, no-any-return]  # set in __post_init__

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any]) -> MatchThresholds:
        """Return thresholds from a policy section; a missing, unknown or bad key is refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(k for k in set(m) - known if not k.startswith("_"))
        if unknown:
            raise ValueError(f"unknown matching policy keys: {', '.join(unknown)}")
        missing = sorted(known - set(m))
        if missing:
            raise ValueError(f"missing matching policy keys: {', '.join(missing)}")
        for name in ("legal_form_differs", "legal_form_missing", "branch_differs"):
            if m[name] not in _SOFT_VERDICTS:
                raise ValueError(f"{name} must be one of {_SOFT_VERDICTS}, not {m[name]!r}")
        score = float(m["address_detail_min_score"])
        if not 0 <= score <= 100:
            raise ValueError("address_detail_min_score must be within 0-100")
        return cls(
            legal_form_differs=m["legal_form_differs"],
            legal_form_missing=m["legal_form_missing"],
            branch_differs=m["branch_differs"],
            address_detail_min_score=score,
        )
