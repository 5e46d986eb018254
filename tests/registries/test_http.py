"""The HTTP backend against a faked registry API (respx): failures it must survive."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import respx

from listing_gate.registries.errors import RegistryError
from listing_gate.registries.http import HttpBackend, make_http_client
from listing_gate.registries.lookup import Found, RegistryLookup, Unavailable, deadline

from .conftest import API_BASE, Records, settings_for

KEY = "2019010707332121"
URL = f"{API_BASE}/ccc/{KEY}"


@pytest.fixture
async def backend() -> AsyncIterator[HttpBackend]:
    """An HTTP backend with two retries and a 1 KiB body cap."""
    settings = settings_for(registry_http_retries=2, registry_http_max_body_bytes=1024)
    async with make_http_client(settings) as client:
        yield HttpBackend(client, settings=settings)


@pytest.fixture
def ccc_json(sample_records: Records) -> dict[str, object]:
    """The sample certificate served at URL."""
    return next(r for r in sample_records["ccc"] if r["certificate_no"] == KEY)


@pytest.mark.anyio
@respx.mock
async def test_404_is_not_found(backend: HttpBackend) -> None:
    """A 404 is the registry saying "no such record"."""
    respx.get(URL).respond(404)
    assert await backend.get_ccc(KEY) is None


@pytest.mark.anyio
@respx.mock
async def test_500_is_retried_then_reported_as_a_registry_error(backend: HttpBackend) -> None:
    """Server errors are retried a bounded number of times, then raised."""
    route = respx.get(URL).respond(500)
    with pytest.raises(RegistryError, match="HTTP 500"):
        await backend.get_ccc(KEY)
    assert route.call_count == 3


@pytest.mark.anyio
@respx.mock
async def test_503_then_200_succeeds_on_the_retry(
    backend: HttpBackend, ccc_json: dict[str, object]
) -> None:
    """A passing outage is ridden out by the retry."""
    route = respx.get(URL)
    route.side_effect = [httpx.Response(503), httpx.Response(200, json=ccc_json)]
    record = await backend.get_ccc(KEY)
    assert record is not None
    assert record.certificate_no == KEY
    assert route.call_count == 2


@pytest.mark.anyio
@respx.mock
async def test_a_4xx_other_than_404_is_not_retried(backend: HttpBackend) -> None:
    """A client error will not get better by asking again."""
    route = respx.get(URL).respond(400)
    with pytest.raises(RegistryError, match="HTTP 400"):
        await backend.get_ccc(KEY)
    assert route.call_count == 1


@pytest.mark.anyio
@respx.mock
async def test_a_timeout_is_retried_then_raised(backend: HttpBackend) -> None:
    """Connect or read timeouts are transport errors: retried, then raised."""
    route = respx.get(URL).mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(httpx.ConnectTimeout):
        await backend.get_ccc(KEY)
    assert route.call_count == 3


@pytest.mark.anyio
@respx.mock
async def test_a_slow_response_is_unavailable_within_the_deadline(
    backend: HttpBackend, ccc_json: dict[str, object]
) -> None:
    """Behind the lookup wrapper, an answer slower than the deadline is a timeout."""

    async def slow(_request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json=ccc_json)

    respx.get(URL).mock(side_effect=slow)
    lookup = RegistryLookup(backend, settings=settings_for())
    started = time.monotonic()
    with deadline(0.1):
        assert await lookup.ccc(KEY) == Unavailable("ccc", "timeout")
    assert time.monotonic() - started < 0.5


@pytest.mark.anyio
@respx.mock
async def test_malformed_json_is_a_registry_error(backend: HttpBackend) -> None:
    """A body that does not parse is an error, not an empty record."""
    respx.get(URL).respond(200, content=b'{"certificate_no": ', content_type="application/json")
    with pytest.raises(RegistryError, match="malformed JSON"):
        await backend.get_ccc(KEY)


@pytest.mark.anyio
@respx.mock
async def test_json_of_the_wrong_shape_is_a_registry_error(backend: HttpBackend) -> None:
    """A body that parses but is not a record is rejected by the domain model."""
    respx.get(URL).respond(200, json={"certificate_no": KEY})
    with pytest.raises(RegistryError, match="not a CccRecord"):
        await backend.get_ccc(KEY)


@pytest.mark.anyio
@respx.mock
async def test_a_wrong_content_type_is_a_registry_error(backend: HttpBackend) -> None:
    """An HTML error page from a proxy is not registry data."""
    respx.get(URL).respond(200, html="<html>gateway</html>")
    with pytest.raises(RegistryError, match="content type text/html"):
        await backend.get_ccc(KEY)


@pytest.mark.anyio
@respx.mock
async def test_an_oversized_body_is_refused(backend: HttpBackend) -> None:
    """A body over the cap is an error, whether or not it declares its length."""
    body = b'{"pad": "' + b"x" * 2048 + b'"}'
    respx.get(URL).respond(200, content=body, content_type="application/json")
    with pytest.raises(RegistryError, match="over"):
        await backend.get_ccc(KEY)

    class Chunks(httpx.AsyncByteStream):
        """A body without a Content-Length: only counting while reading can catch it."""

        async def __aiter__(self) -> AsyncIterator[bytes]:
            for _ in range(10):
                yield b"x" * 512

    respx.get(URL).respond(200, stream=Chunks(), content_type="application/json")
    with pytest.raises(RegistryError, match="body over 1024 bytes"):
        await backend.get_ccc(KEY)


@pytest.mark.anyio
@respx.mock
async def test_registry_errors_reach_the_rules_as_unavailable(backend: HttpBackend) -> None:
    """Through the lookup wrapper a broken API is Unavailable, never an exception."""
    respx.get(URL).respond(502)
    result = await RegistryLookup(backend, settings=settings_for()).ccc(KEY)
    assert isinstance(result, Unavailable)
    assert result.reason.startswith("error: _ServerError")


@pytest.mark.anyio
async def test_recall_search_sends_every_manufacturer_core(
    backend: HttpBackend, registry_api: respx.MockRouter
) -> None:
    """`manufacturer` repeats once per core; the model key goes as `model`."""
    await backend.find_recalls(model_key="PB2000", manufacturer_cores=["华强电子", "华祥电器"])
    request = registry_api.routes["api"].calls.last.request
    assert request.url.params.get_list("manufacturer") == ["华强电子", "华祥电器"]
    assert request.url.params["model"] == "PB2000"


@pytest.mark.anyio
async def test_a_lookup_through_the_api_is_cached(
    backend: HttpBackend, registry_api: respx.MockRouter
) -> None:
    """The second lookup of a key does not call the API."""
    lookup = RegistryLookup(backend, settings=settings_for())
    assert isinstance(await lookup.ccc(KEY), Found)
    assert isinstance(await lookup.ccc(KEY), Found)
    assert registry_api.routes["api"].call_count == 1


def test_the_client_factory_needs_a_base_url() -> None:
    """Choosing the http backend without a URL fails at start-up, not at the first lookup."""
    with pytest.raises(ValueError, match="BASE_URL"):
        make_http_client(settings_for(registry_http_base_url=None))
