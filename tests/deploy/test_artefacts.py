"""Promises of the Dockerfile, chart values, alert rules and dashboard that need no helm."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from .promql import CHART, DASHBOARD_FILE, RULES_FILE

ROOT = CHART.parents[1]
REQUIRED_ALERTS = {
    "ListingGateRegistryStale",
    "ListingGateRegistryErrors",
    "ListingGateHighLatencyP99",
    "ListingGateHigh5xxRate",
    "ListingGateWriteQueueSaturated",
    "ListingGateWebhookDeadLetters",
}


def _values() -> dict[str, object]:
    loaded = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _schema() -> dict[str, object]:
    loaded = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_default_values_match_the_schema() -> None:
    """values.yaml validates against values.schema.json, as helm will check it."""
    jsonschema.validate(_values(), _schema())


def test_ci_values_match_the_schema() -> None:
    """The all-features CI values validate once merged over the defaults."""
    values = _values()
    for path in sorted((CHART / "ci").glob("*-values.yaml")):
        override = yaml.safe_load(path.read_text(encoding="utf-8"))
        merged = {**values, **{k: v for k, v in override.items() if not isinstance(v, dict)}}
        for key, value in override.items():
            if isinstance(value, dict):
                base = values.get(key)
                merged[key] = {**base, **value} if isinstance(base, dict) else value
        jsonschema.validate(merged, _schema())


def test_schema_rejects_a_misspelt_key() -> None:
    """An unknown key is an error, so a typo cannot be silently ignored."""
    values = _values()
    reverify = values["reverify"]
    assert isinstance(reverify, dict)
    broken = {**values, "reverify": {**reverify, "shardz": 4}}
    validator = jsonschema.Draft7Validator(_schema())
    assert [error.message for error in validator.iter_errors(broken)]


# Blocks passed verbatim into a Kubernetes object: their comment documents the whole block.
VERBATIM_BLOCKS = frozenset(
    {"resources", "podSecurityContext", "securityContext", "topologySpreadConstraints"}
    | {"labels", "egress", "startup", "liveness", "readiness"}
)


def test_every_value_line_is_documented() -> None:
    """Each key in values.yaml has a comment right above it, or sits in a verbatim block."""
    lines = (CHART / "values.yaml").read_text(encoding="utf-8").splitlines()
    undocumented = []
    parents: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        key = re.match(r"^(\s*)(?:- )?([A-Za-z_][\w.]*):", line)
        if not key:
            continue
        indent = len(key.group(1))
        while parents and parents[-1][0] >= indent:
            parents.pop()
        documented = number > 0 and lines[number - 1].strip().startswith("#")
        in_verbatim_block = any(name in VERBATIM_BLOCKS for _, name in parents)
        if not documented and not in_verbatim_block:
            undocumented.append(f"{number + 1}: {line.strip()}")
        parents.append((indent, key.group(2)))
    assert undocumented == []


def test_required_alerts_exist_with_severity_and_summary() -> None:
    """The alerts issue 6 asks for are all there, each routable and readable."""
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    alerts = {rule["alert"]: rule for group in rules["groups"] for rule in group["rules"]}
    assert set(alerts) >= REQUIRED_ALERTS
    for rule in alerts.values():
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["annotations"]["summary"]
        assert re.fullmatch(r"\d+[smh]", rule["for"])


def test_dashboard_covers_the_required_topics() -> None:
    """Panels exist for decisions, latency quantiles, registries, write queue and reverify."""
    dashboard = json.loads(DASHBOARD_FILE.read_text(encoding="utf-8"))
    exprs = " ".join(
        target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])
    )
    for needle in (
        "listing_gate_decisions_total",
        "listing_gate_reasons_total",
        "histogram_quantile(0.5, sum by (route, le)",
        "histogram_quantile(0.99, sum by (route, le)",
        'outcome=~"error|timeout"',
        "listing_gate_registry_breaker_state",
        "listing_gate_registry_age_seconds",
        "listing_gate_write_queue_depth",
        "listing_gate_reverify_progress_ratio",
        "listing_gate_reverify_flips_total",
    ):
        assert needle in exprs
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def test_dockerfile_runs_serve_as_a_non_root_uid_with_a_healthcheck() -> None:
    """The image is multi-stage, installs from the lock, and runs serve as uid 10001."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) == 2
    assert "uv sync --frozen --no-dev" in dockerfile
    assert re.search(r"^USER 10001:10001$", dockerfile, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK .*/healthz", dockerfile, re.MULTILINE | re.DOTALL)
    assert 'ENTRYPOINT ["listing-gate"]' in dockerfile
    assert 'CMD ["serve"]' in dockerfile


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    """Only the lock, metadata and sources reach the build: no venv, databases or .git."""
    lines = [
        line.strip()
        for line in Path(ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"
    assert {"!pyproject.toml", "!uv.lock", "!src/"} <= set(lines)
