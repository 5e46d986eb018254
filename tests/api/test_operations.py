"""Probes, metrics, catalog and registries: readiness follows the database and the registries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

import dbcopy
from listing_gate.app import create_app
from listing_gate.settings import Settings

from .conftest import Api

pytestmark = pytest.mark.anyio


async def test_ready_when_database_answers_and_registries_are_fresh(api: Api) -> None:
    """With the sample registries just imported, the service is ready."""
    response = await api.client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is True
    assert all(r["loaded"] and not r["stale"] for r in checks["registries"].values())


async def test_not_ready_while_registries_are_empty(tmp_path: Path) -> None:
    """A database without registry data is not ready, and says which registries."""
    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gate") as client:
            response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "registry ccc: not loaded" in response.json()["detail"]


@pytest.mark.postgres
async def test_database_down_is_not_ready_and_answers_no_decision(
    pg_url: str, pg_admin_url: str, allow_draft: dict[str, Any]
) -> None:
    """With the database gone, /readyz is 503 naming it and a verification is 503, never 200."""
    settings = Settings(database_url=pg_url, load_sample_data=True, open_mode=True)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gate") as client:
            assert (await client.get("/readyz")).status_code == 200
            await dbcopy.drop_pg_database(pg_admin_url, str(make_url(pg_url).database))
            ready = await client.get("/readyz")
            verified = await client.post("/v1/verifications", json=allow_draft)
    assert ready.status_code == 503
    assert ready.json()["detail"].startswith("database: unreachable")
    assert verified.status_code == 503
    assert verified.headers["content-type"] == "application/problem+json"


async def test_healthz_is_ok(api: Api) -> None:
    """Liveness needs nothing but the process."""
    assert (await api.client.get("/healthz")).json() == {"status": "ok", "checks": None}


async def test_metrics_label_routes_by_template_never_by_id(
    api: Api, allow_draft: dict[str, Any]
) -> None:
    """Request metrics carry the route template; ids never become label values."""
    posted = await api.client.post("/v1/verifications", json=allow_draft, headers=api.auth())
    verification_id = posted.json()["verification_id"]
    await api.client.get(f"/v1/verifications/{verification_id}", headers=api.auth())
    text = (await api.client.get("/metrics")).text
    assert 'route="/v1/verifications/{verification_id}"' in text
    assert verification_id not in text
    assert allow_draft["listing_id"] not in text
    for name in (
        "listing_gate_decisions_total",
        "listing_gate_write_batch_size",
        "listing_gate_write_queue_depth",
        "listing_gate_http_requests_in_flight",
        "listing_gate_registry_records",
    ):
        assert name in text


async def test_catalog_has_version_and_categories(api: Api) -> None:
    """The catalog in force is served as the contract describes."""
    body = (await api.client.get("/v1/catalog", headers=api.auth())).json()
    assert body["version"]
    assert any(c["code"] == "0914" for c in body["categories"])


async def test_catalog_on_a_day_shows_the_regimes_then_in_force(api: Api) -> None:
    """?on=DATE: 低压元器件 self-declared on 2024-10-31, certified from 2024-11-01."""
    before = (await api.client.get("/v1/catalog?on=2024-10-31", headers=api.auth())).json()
    after = (await api.client.get("/v1/catalog?on=2024-11-01", headers=api.auth())).json()
    regime = {
        day["on"]: {c["code"]: c["regime"] for c in day["categories"]} for day in (before, after)
    }
    assert regime["2024-10-31"]["0302"] == "ccc_self_declaration"
    assert regime["2024-11-01"]["0302"] == "ccc"
    assert "P2401" not in regime["2024-11-01"]  # 商用燃气燃烧器具: CCC from 2025-07-01


async def test_catalog_on_a_malformed_day_is_a_422_problem(api: Api) -> None:
    """A day that is not YYYY-MM-DD is a validation error naming the parameter."""
    response = await api.client.get("/v1/catalog?on=2024-13-45", headers=api.auth())
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_registries_report_source_records_and_freshness(api: Api) -> None:
    """Each registry kind reports where its data comes from, how much and how old."""
    body = (await api.client.get("/v1/registries", headers=api.auth())).json()
    by_kind = {r["registry"]: r for r in body["registries"]}
    assert set(by_kind) == {"ccc", "license", "recall", "spot_check", "standard"}
    assert by_kind["ccc"]["records"] == 403
    assert all(r["source"] == "mirror" and not r["stale"] for r in by_kind.values())
