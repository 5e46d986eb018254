"""Reads the metric names and label matchers out of PromQL, and the queries out of our files.

Not a PromQL parser: a tokenizer that knows enough of the grammar to tell metric names from
functions, keywords, label lists and literals. Syntax itself is checked in CI against
Prometheus's own grammar (.ci/deploy-tools/check.mjs); this only has to find the names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CHART = Path(__file__).resolve().parents[2] / "helm" / "listing-gate"
RULES_FILE = CHART / "alerts" / "listing-gate-rules.yaml"
DASHBOARD_FILE = CHART / "dashboards" / "listing-gate.json"

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_GRAFANA_VARIABLE = re.compile(r"\$\{[^}]*\}|\$\w+")
_RANGE = re.compile(r"\[[^\]]*\]")
_LABEL_LIST = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)", re.IGNORECASE
)
_MATCHERS = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}")
_MATCHER_LABEL = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")
_TOKEN = re.compile(r"[0-9][0-9a-zA-Z_.]*|([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?")
_KEYWORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "bool"}
    | {"and", "or", "unless", "atan2", "offset", "inf", "nan"}
)
_LABEL_VALUES = re.compile(r"^\s*label_values\((?:(.*),)?\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$")


@dataclass(frozen=True)
class Query:
    """One PromQL expression and where it was found."""

    where: str
    expr: str


@dataclass
class Names:
    """Metric names an expression reads, the labels it matches on, and those it groups by."""

    metrics: set[str] = field(default_factory=set)
    matched_labels: dict[str, set[str]] = field(default_factory=dict)
    grouping_labels: set[str] = field(default_factory=set)


def names(expr: str) -> Names:
    """Returns the metric names, per-metric matcher labels and grouping labels of expr."""
    found = Names()
    text = _GRAFANA_VARIABLE.sub(" ", _STRING.sub('""', expr))
    text = _RANGE.sub(" ", text)
    for match in _LABEL_LIST.finditer(text):
        found.grouping_labels.update(
            label.strip() for label in match.group(1).split(",") if label.strip()
        )
    text = _LABEL_LIST.sub(" ", text)
    for match in _MATCHERS.finditer(text):
        labels = set(_MATCHER_LABEL.findall(match.group(2)))
        metric = match.group(1)
        if metric is None:  # {__name__="x"} style: the name is a matcher
            continue
        found.matched_labels.setdefault(metric, set()).update(labels)
    text = _MATCHERS.sub(lambda m: f" {m.group(1) or ''} ", text)
    for token in _TOKEN.finditer(text):
        name, call = token.group(1), token.group(2)
        if name is None or call or name.lower() in _KEYWORDS:
            continue
        found.metrics.add(name)
    for metric in found.metrics:
        found.matched_labels.setdefault(metric, set())
    return found


def _dashboard_queries(node: object, title: str) -> list[Query]:
    queries: list[Query] = []
    if isinstance(node, dict):
        title = str(node.get("title", title))
        expr = node.get("expr")
        if isinstance(expr, str):
            queries.append(Query(f"dashboard panel {title!r}", expr))
        for value in node.values():
            queries.extend(_dashboard_queries(value, title))
    elif isinstance(node, list):
        for value in node:
            queries.extend(_dashboard_queries(value, title))
    return queries


def dashboard_queries() -> list[Query]:
    """Returns every PromQL query of the dashboard: panel targets and variable queries."""
    dashboard = json.loads(DASHBOARD_FILE.read_text(encoding="utf-8"))
    queries = _dashboard_queries(dashboard["panels"], "dashboard")
    for variable in dashboard["templating"]["list"]:
        if variable.get("type") != "query":
            continue
        query = variable["query"]
        text = query["query"] if isinstance(query, dict) else query
        match = _LABEL_VALUES.match(text)
        selector = match.group(1) if match else text
        if selector:
            queries.append(Query(f"dashboard variable {variable['name']!r}", selector))
    return queries


def rule_queries() -> list[Query]:
    """Returns the expression of every alerting and recording rule in the rules file."""
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return [
        Query(f"rule {rule.get('alert') or rule.get('record')}", rule["expr"])
        for group in rules["groups"]
        for rule in group["rules"]
    ]
