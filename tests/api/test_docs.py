"""/docs works offline: the page and every asset it loads are served by the service itself."""

from __future__ import annotations

import re

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio

# src="..." and href="..." of the page, and the OpenAPI document it fetches (url: '...').
_REFERENCES = re.compile(r"""(?:src|href)="([^"]+)"|url: '([^']+)'""")


async def test_docs_and_every_asset_it_loads_answer_from_the_service(api: Api) -> None:
    """No reference leaves the service; each one answers 200 with content."""
    page = await api.client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    references = [a or b for a, b in _REFERENCES.findall(page.text)]
    assert "/openapi.json" in references
    assert any(r.endswith("swagger-ui-bundle.js") for r in references)
    assert any(r.endswith("swagger-ui.css") for r in references)
    for reference in references:
        assert reference.startswith("/"), f"{reference} is loaded from elsewhere"
        asset = await api.client.get(reference)
        assert asset.status_code == 200, reference
        assert len(asset.content) > 0
    assert "validatorUrl" in page.text  # Swagger UI's online validator badge is off
