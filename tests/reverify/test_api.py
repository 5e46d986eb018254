"""POST/GET /v1/reverifications: admin starts a job, any reader follows it to the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from listing_gate.registries.importer import import_file
from reverify.world import (
    TWIN_IDS,
    latest,
    running_app,
    twin_certificate_revoked,
)

pytestmark = pytest.mark.anyio


async def test_a_job_after_an_import_re_decides_the_listings_on_the_changed_record(
    world_url: str, tmp_path: Path
) -> None:
    """202 with a job id and Location; the job ends done with its allow -> block count."""
    revoked = await twin_certificate_revoked(world_url, tmp_path)
    async with running_app(world_url) as running:
        await import_file(running.app.state.resources.engine, "ccc", revoked)
        started = await running.client.post(
            "/v1/reverifications", json={"registries": ["ccc"]}, headers=running.headers["admin"]
        )
        assert started.status_code == 202
        job = started.json()
        assert started.headers["location"] == f"/v1/reverifications/{job['job_id']}"
        assert job["status"] in {"selecting", "pending", "running", "done"}
        await running.app.state.background.jobs.wait()
        status = await running.client.get(
            started.headers["location"], headers=running.headers["read"]
        )
    assert status.status_code == 200
    body = status.json()
    assert body["status"] == "done"
    assert body["scope"] == "targets"
    assert body["trigger"]["by"] == "api"
    flips = {(t["from_decision"], t["to_decision"]): t["count"] for t in body["transitions"]}
    assert flips[("allow", "block")] >= len(TWIN_IDS)
    after = await latest(world_url)
    assert all(after[listing][1] == "block" for listing in TWIN_IDS)


async def test_a_job_for_given_listings_re_decides_only_those(world_url: str) -> None:
    """listing_ids selects exactly those listings; unchanged ones record nothing."""
    async with running_app(world_url) as running:
        started = await running.client.post(
            "/v1/reverifications",
            json={"listing_ids": list(TWIN_IDS)},
            headers=running.headers["admin"],
        )
        await running.app.state.background.jobs.wait()
        status = await running.client.get(
            f"/v1/reverifications/{started.json()['job_id']}", headers=running.headers["read"]
        )
    body = status.json()
    assert (body["status"], body["targets"], body["processed"], body["changed"]) == (
        "done",
        2,
        2,
        0,
    )


async def test_starting_a_job_needs_the_admin_scope(world_url: str) -> None:
    """A read or verify key may not start one: 403."""
    async with running_app(world_url) as running:
        for scope in ("read", "verify"):
            response = await running.client.post(
                "/v1/reverifications", json={"all": True}, headers=running.headers[scope]
            )
            assert response.status_code == 403


async def test_a_request_naming_two_scopes_or_none_is_a_422(world_url: str) -> None:
    """Exactly one of registries, listing_ids or all; since only with registries."""
    bodies = [
        {},
        {"all": True, "listing_ids": ["a"]},
        {"since": "2026-11-01T00:00:00Z", "all": True},
        {"registries": ["nope"]},
    ]
    async with running_app(world_url) as running:
        for body in bodies:
            response = await running.client.post(
                "/v1/reverifications", json=body, headers=running.headers["admin"]
            )
            assert response.status_code == 422, body
            assert response.headers["content-type"] == "application/problem+json"


async def test_an_unknown_job_is_a_404_problem(world_url: str) -> None:
    """GET of a job id that was never issued."""
    async with running_app(world_url) as running:
        response = await running.client.get(
            "/v1/reverifications/NOSUCHJOB", headers=running.headers["read"]
        )
    assert response.status_code == 404
    assert response.json()["status"] == 404


async def test_a_retried_post_with_its_idempotency_key_starts_one_job(world_url: str) -> None:
    """The same key and body replay the first job; the key with another body is a 409."""
    async with running_app(world_url) as running:
        headers = {**running.headers["admin"], "Idempotency-Key": "nightly-2026-12-01"}
        first = await running.client.post(
            "/v1/reverifications", json={"listing_ids": ["a"]}, headers=headers
        )
        again = await running.client.post(
            "/v1/reverifications", json={"listing_ids": ["a"]}, headers=headers
        )
        other = await running.client.post(
            "/v1/reverifications", json={"listing_ids": ["b"]}, headers=headers
        )
        await running.app.state.background.jobs.wait()
    assert first.status_code == again.status_code == 202
    assert again.json()["job_id"] == first.json()["job_id"]
    assert again.headers["location"] == first.headers["location"]
    assert other.status_code == 409
