"""Every problem ``type`` an error carries resolves to a page this service serves."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from listing_gate.api.problem_types import problem_types
from listing_gate.errors import ListingGateError

from .conftest import Api

pytestmark = pytest.mark.anyio

# Types the handlers build without an error class of their own.
_HANDLER_TYPES = {"not-found", "method-not-allowed", "http-error", "internal-error", "not-ready"}


def _error_classes(root: type[ListingGateError]) -> set[type[ListingGateError]]:
    found = set()
    for cls in root.__subclasses__():
        found |= {cls, *_error_classes(cls)}
    return found


def test_every_error_class_has_a_documented_type() -> None:
    """A new error class without a page fails here, not in a client's hands."""
    slugs = {cls.slug for cls in _error_classes(ListingGateError)} | {ListingGateError.slug}
    assert slugs | _HANDLER_TYPES <= set(problem_types())


def test_documented_statuses_match_the_error_classes() -> None:
    """The page states the status the error is answered with."""
    for cls in _error_classes(ListingGateError):
        if cls.slug != ListingGateError.slug:
            assert problem_types()[cls.slug].status == cls.status, cls


async def test_every_documented_type_answers_200_in_both_languages(api: Api) -> None:
    """Each page is HTML with the Chinese and the English text."""
    for slug, kind in problem_types().items():
        response = await api.client.get(f"/problems/{slug}")
        assert response.status_code == 200, slug
        assert response.headers["content-type"].startswith("text/html")
        assert kind.title["zh"] in response.text
        assert kind.title["en"] in response.text


async def test_an_error_type_resolves_against_the_request_url(api: Api) -> None:
    """Following the ``type`` of a real 404 lands on its page; ``instance`` is the request id."""
    url = "http://gate.test/v1/verifications/01NOSUCHVERIFICATION"
    response = await api.client.get(url, headers={**api.auth(), "X-Request-ID": "req-42"})
    body = response.json()
    assert body["instance"] == "req-42" == response.headers["x-request-id"]
    page = await api.client.get(urljoin(url, body["type"]))
    assert page.status_code == 200
    assert "not-found" in page.text


async def test_an_unknown_type_is_a_404_problem(api: Api) -> None:
    """There is no page for a type the service never answers."""
    response = await api.client.get("/problems/no-such-type")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


async def test_the_index_links_every_type(api: Api) -> None:
    """GET /problems lists every type."""
    text = (await api.client.get("/problems")).text
    assert all(f'href="/problems/{slug}"' in text for slug in problem_types())
