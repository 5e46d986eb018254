"""OpenAPI details the routes cannot express alone: raw JSON bodies and problem responses."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from listing_gate import __version__
from listing_gate.api.schemas import BatchRequestDoc, Problem
from listing_gate.domain import ListingDraft
from listing_gate.errors import PROBLEM_MEDIA_TYPE
from listing_gate.reverify.service import ReverificationRequest

__all__ = ["IDEMPOTENCY_KEY", "install_openapi", "json_body", "problems"]

_REF = "#/components/schemas/{model}"
_DESCRIPTIONS = {
    401: "No valid API key",
    403: "The API key lacks the scope",
    404: "Not found",
    409: "Idempotency-Key reused with another body",
    413: "Body over the cap: 256 KiB, a batch 4 MiB (settings)",
    422: "Validation failed; `errors` lists each field",
    503: "Not recorded: write queue full or database unavailable; retry",
}
# ``openapi_extra`` of the POST routes, which read the header themselves.
IDEMPOTENCY_KEY: dict[str, Any] = {
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": "Retry-safe key (1-255 characters): the same key and body replay "
            "the first answer; the same key with another body is 409.",
            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
        }
    ]
}
_SECURITY_SCHEME = {
    "ApiKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key: `Authorization: Bearer lg_...`",
    }
}
# Models referenced by hand below; their schemas are added to the components.
_EXTRA_MODELS: tuple[type[BaseModel], ...] = (
    Problem,
    ListingDraft,
    BatchRequestDoc,
    ReverificationRequest,
)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Returns the ``responses=`` entries documenting these problem+json statuses."""
    return {
        status: {
            "description": _DESCRIPTIONS.get(status, "Problem"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": _REF.format(model="Problem")}}},
        }
        for status in statuses
    }


def json_body(model: type[BaseModel], example: Any, description: str) -> dict[str, Any]:
    """Returns ``openapi_extra`` declaring a JSON request body the route reads raw."""
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "application/json": {
                    "schema": {"$ref": _REF.format(model=model.__name__)},
                    "example": example,
                }
            },
        }
    }


def install_openapi(app: FastAPI) -> None:
    """Makes ``app.openapi()`` include the hand-referenced schemas; the result is cached."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=__version__,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in _EXTRA_MODELS:
            doc = model.model_json_schema(ref_template=_REF)
            for name, sub in doc.pop("$defs", {}).items():
                components.setdefault(name, sub)
            components.setdefault(model.__name__, doc)
        _problems_for_validation(schema)
        _bearer_on_api_routes(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]  # FastAPI's documented override hook


def _problems_for_validation(schema: dict[str, Any]) -> None:
    # FastAPI documents its own 422 body for routes with declared parameters; the one
    # error handler answers a problem instead, so the document says so.
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            if "422" in responses:
                responses["422"] = problems(422)[422]
    components = schema["components"]["schemas"]
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)


def _bearer_on_api_routes(schema: dict[str, Any]) -> None:
    # Every /v1 route takes an API key (the probes and /metrics do not); said once here.
    schema["components"]["securitySchemes"] = _SECURITY_SCHEME
    for path, operations in schema.get("paths", {}).items():
        if path.startswith("/v1/"):
            for operation in operations.values():
                operation["security"] = [{"ApiKey": []}]
