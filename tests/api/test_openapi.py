"""openapi/openapi.json is generated from the app and lists the problem responses."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_export import render

CHECKED_IN = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def test_checked_in_document_matches_the_app() -> None:
    """Run `python .ci/openapi_export.py` after changing a route or model."""
    assert CHECKED_IN.read_text("utf-8") == render()


def test_every_api_route_documents_problem_responses() -> None:
    """Each /v1 operation lists its 401/403 problem answers with the Problem schema."""
    document = json.loads(render())
    for path, operations in document["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            for status in ("401", "403"):
                content = operation["responses"][status]["content"]
                assert "application/problem+json" in content, (method, path, status)


def test_verification_routes_carry_examples() -> None:
    """The verify routes show a request example and a Verification example."""
    post = json.loads(render())["paths"]["/v1/verifications"]["post"]
    assert post["requestBody"]["content"]["application/json"]["example"]["listing_id"]
    assert post["responses"]["200"]["content"]["application/json"]["example"]["decision"]
