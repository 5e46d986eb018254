"""The one settings object: defaults that protect the gate, and refusals of unsafe values."""

import pytest
from pydantic import ValidationError

from listing_gate.settings import DEFAULT_MAX_AGE_HOURS, Settings


def test_naming_one_registry_age_keeps_the_defaults_of_the_others() -> None:
    """Tightening the CCC age must not reset the standards registry to a generic age."""
    ages = Settings(registry_max_age_hours={"ccc": 12}).registry_max_age_hours
    assert ages == {**DEFAULT_MAX_AGE_HOURS, "ccc": 12.0}


def test_max_ages_come_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """LISTING_GATE_REGISTRY_MAX_AGE_HOURS takes a JSON object."""
    monkeypatch.setenv("LISTING_GATE_REGISTRY_MAX_AGE_HOURS", '{"recall": 24}')
    assert Settings().registry_max_age_hours["recall"] == 24.0


@pytest.mark.parametrize("ages", [{"cc": 12}, {"ccc": 0}, {"recall": -1}])
def test_unknown_kinds_and_non_positive_ages_are_refused(ages: dict[str, float]) -> None:
    """A typo in a kind or a zero age is a configuration error, not a silent default."""
    with pytest.raises(ValidationError):
        Settings(registry_max_age_hours=ages)


def test_decisions_are_kept_at_least_two_years() -> None:
    """Draft art. 15: retention can be configured upward only."""
    with pytest.raises(ValidationError, match="at least"):
        Settings(decision_retention_days=365)
