"""The PromQL name reader finds metric names and labels, and nothing else."""

from __future__ import annotations

import pytest

from .promql import names


@pytest.mark.parametrize(
    ("expr", "metrics"),
    [
        ("up", {"up"}),
        ('sum by (route, le) (rate(a_bucket{job=~"$job"}[$__rate_interval]))', {"a_bucket"}),
        ("histogram_quantile(0.99, sum by (le) (rate(a_bucket[5m]))) > 1", {"a_bucket"}),
        ("a and on (namespace, job) b", {"a", "b"}),
        ("sum(a) / ignoring(code) group_left sum(b)", {"a", "b"}),
        ('max_over_time(a[5m] offset 1h) > bool 3 unless c{x="sum(d)"}', {"a", "c"}),
        ("topk(10, sum without (pod) (increase(a_total[$__range])))", {"a_total"}),
        ("1e3 * a:ratio_5m", {"a:ratio_5m"}),
    ],
)
def test_names_are_metrics_not_functions_keywords_labels_or_literals(
    expr: str, metrics: set[str]
) -> None:
    """Functions, aggregations, keywords, label lists, strings and numbers are not metrics."""
    assert names(expr).metrics == metrics


def test_matchers_are_attributed_to_their_metric() -> None:
    """Labels in a selector belong to the metric in front of it."""
    found = names('sum by (registry) (rate(a{outcome=~"error|timeout", job!="x"}[5m])) / b')
    assert found.matched_labels == {"a": {"outcome", "job"}, "b": set()}
    assert found.grouping_labels == {"registry"}
