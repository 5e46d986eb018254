"""``/docs``: the interactive API documentation, its Swagger UI served by the service itself.

FastAPI's own page loads Swagger UI's script and stylesheet from a CDN, so without
internet (a laptop offline, a cluster whose egress is closed) it stayed blank. The
assets come from the ``fastapi-offline`` package (Swagger UI 5, Apache-2.0), a
dependency locked like any other, and are served under ``/docs/assets``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

__all__ = ["ASSETS", "install_docs"]

ASSETS = "/docs/assets"
# No validator badge: Swagger UI would send the document to validator.swagger.io.
_PARAMETERS = {"validatorUrl": None}


def install_docs(app: FastAPI, path: str = "/docs") -> None:
    """Serves Swagger UI at ``path`` from packaged assets; the app is built with docs_url=None."""
    app.mount(ASSETS, StaticFiles(packages=[("fastapi_offline", "static")]), name="docs-assets")

    @app.get(path, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - API",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
            swagger_ui_parameters=_PARAMETERS,
        )
