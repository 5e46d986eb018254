"""Every metric the dashboard and the alert rules query is one the service exports.

Two sources of truth, checked separately:
- the live ``/metrics`` body of an app started through its lifespan, after a little real
  traffic: the names a Prometheus scrape would actually see. prometheus_client writes the
  HELP/TYPE lines of a labelled family even before its first label set exists, so a family
  without samples still counts as exported (a panel on it shows "no data" until it is used,
  which is honest for, say, write rejections);
- the families declared in ``listing_gate.observability.metrics``, which does not need the app.

Label names are checked too, where the scrape has samples to read them from.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx
import pytest
from prometheus_client import Metric
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families

from listing_gate.observability import metrics as service_metrics

from .promql import Query, dashboard_queries, names, rule_queries

# Labels Prometheus attaches to every series of a target (ServiceMonitor/Kubernetes SD), so
# the queries may match and group on them although the service never writes them.
TARGET_LABELS = frozenset(
    {"namespace", "job", "pod", "instance", "service", "container", "endpoint"}
)

# The sample names a family of each type produces in the text format.
_SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "gauge": ("",),
    "info": ("_info",),
    "stateset": ("",),
    "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
    "unknown": ("",),
}

DRAFT = {
    "listing_id": "sku-deploy-test",
    "seller": {"id": "shop-1", "shop_name": "测试旗舰店"},
    "product": {
        "name": "20000mAh 移动电源",
        "category": "0914",
        "brand": "测试",
        "model": "PB-2000",
        "manufacturer": {"name": "深圳市测试电子有限公司", "address": "广东省深圳市南山区"},
        "standards": ["GB 4943.1-2022", "GB 31241-2022"],
        "warnings": "请勿拆解",
    },
    "credentials": {"ccc_certificate_no": "2024011609123456"},
}


def _queries() -> list[Query]:
    return dashboard_queries() + rule_queries()


def _queried_metrics() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for query in _queries():
        for metric in names(query.expr).metrics:
            used.setdefault(metric, []).append(query.where)
    return used


def _series_names(families: Iterable[Metric]) -> set[str]:
    exported: set[str] = set()
    for family in families:
        exported.update(family.name + suffix for suffix in _SUFFIXES[family.type])
        exported.update(sample.name for sample in family.samples)
    return exported


def _declared_families() -> list[Metric]:
    families: list[Metric] = []
    for value in vars(service_metrics).values():
        if isinstance(value, MetricWrapperBase):
            families.extend(value.collect())
    return families


@pytest.fixture(scope="module")
async def live_families(tmp_path_factory: pytest.TempPathFactory) -> list[Metric]:
    """The metric families of one /metrics scrape of a running app, shared by this module."""
    database = tmp_path_factory.mktemp("live-metrics") / "listing-gate.db"
    return list(text_string_to_metric_families(await _scrape(f"sqlite+aiosqlite:///{database}")))


async def _scrape(sqlite_url: str) -> str:
    from listing_gate.app import create_app  # noqa: PLC0415 - the app is the unit under test
    from listing_gate.settings import Settings  # noqa: PLC0415

    app = create_app(Settings(database_url=sqlite_url, open_mode=True, load_sample_data=True))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://listing-gate") as client:
            verified = await client.post("/v1/verifications", json=DRAFT)
            assert verified.status_code == 200, verified.text
            ready = await client.get("/readyz")
            assert ready.status_code == 200, ready.text
            await client.get("/metrics")  # so /metrics itself is a route with samples
            response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    return response.text


def test_queries_were_found() -> None:
    """The dashboard and the rules yield queries, so the checks below are not vacuous."""
    used = _queried_metrics()
    assert len(dashboard_queries()) >= 20
    assert len(rule_queries()) >= 6
    assert "listing_gate_http_request_duration_seconds_bucket" in used


def test_every_queried_metric_is_declared_in_the_metrics_module() -> None:
    """Each metric queried is a series of a family declared in observability/metrics.py."""
    declared = _series_names(_declared_families())
    missing = {
        metric: where for metric, where in _queried_metrics().items() if metric not in declared
    }
    assert missing == {}


@pytest.mark.anyio
async def test_every_queried_metric_is_exported_by_a_live_app(live_families: list[Metric]) -> None:
    """Each metric name queried appears in the /metrics body of a running app."""
    exported = _series_names(live_families)
    missing = {
        metric: where for metric, where in _queried_metrics().items() if metric not in exported
    }
    assert missing == {}


@pytest.mark.anyio
async def test_unlabelled_families_have_samples_in_a_live_scrape(
    live_families: list[Metric],
) -> None:
    """Families declared without labels are written from the first scrape, not only declared."""
    sampled = {family.name for family in live_families if family.samples}
    unlabelled = {
        family.name
        for family in _declared_families()
        if family.samples and all(set(sample.labels) <= {"le"} for sample in family.samples)
    }
    assert "listing_gate_write_queue_depth" in unlabelled
    assert unlabelled - sampled == set()


@pytest.mark.anyio
async def test_queried_labels_exist_on_the_series(live_families: list[Metric]) -> None:
    """Labels matched or grouped on are the series' own labels, or target labels."""
    labels: dict[str, set[str]] = {}
    for family in live_families:
        for sample in family.samples:
            labels.setdefault(sample.name, set()).update(sample.labels)
    wrong: dict[str, set[str]] = {}
    for query in _queries():
        found = names(query.expr)
        if not all(metric in labels for metric in found.metrics):
            continue  # a family with no samples yet has no labels to compare against
        for metric, matched in found.matched_labels.items():
            unknown = matched - labels[metric] - TARGET_LABELS
            if unknown:
                wrong[f"{query.where}: {metric}"] = unknown
        available = set().union(*(labels[metric] for metric in found.metrics)) | TARGET_LABELS
        if found.grouping_labels - available:
            wrong[f"{query.where}: grouping"] = found.grouping_labels - available
    assert wrong == {}
