"""The HTTP backend: a registry data API answering in the contract's record shapes.

Endpoints (all GET, JSON): `/ccc/{key}`, `/license/{key}` (404 = not found),
`/recall?model=&manufacturer=` and `/spot_check?...` (repeatable `manufacturer`, a JSON
array of records), `/standard?number=` (repeatable, an array), `/status`
(`{"registries": [{"kind", "records", "last_import_at"}]}`) and
`/changes/{kind}?since=&cursor=` (`{"changes": [{"record_id", "key", "changed_at",
"record"}], "next": cursor or null}`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from functools import cache
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import orjson
import stamina
from pydantic import BaseModel, TypeAdapter, ValidationError

from listing_gate import __version__
from listing_gate.domain import (
    CccRecord,
    LicenseRecord,
    RecallRecord,
    RegistryKind,
    SpotCheckRecord,
    StandardRecord,
)
from listing_gate.registries.errors import RecordKeyError, RegistryError
from listing_gate.registries.keys import standard_key
from listing_gate.registries.protocol import RECORD_MODELS, ChangedRecord, RegistryStatus
from listing_gate.settings import Settings

__all__ = ["HttpBackend", "make_http_client"]

M = TypeVar("M", bound=BaseModel)
_NOT_FOUND: Any = object()


def make_http_client(settings: Settings) -> httpx.AsyncClient:
    """Returns the one shared client for the registry API, with explicit timeouts and limits."""
    if not settings.registry_http_base_url:
        raise ValueError("LISTING_GATE_REGISTRY_HTTP_BASE_URL is needed for the http backend")
    connect, read = settings.registry_http_connect_timeout_s, settings.registry_http_read_timeout_s
    return httpx.AsyncClient(
        base_url=settings.registry_http_base_url.rstrip("/"),
        timeout=httpx.Timeout(connect=connect, read=read, write=read, pool=connect),
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        headers={"accept": "application/json", "user-agent": f"listing-gate/{__version__}"},
        follow_redirects=False,
    )


class _ServerError(RegistryError):
    """A 5xx answer: worth another try."""


class _Status(BaseModel):
    kind: RegistryKind
    records: int
    last_import_at: datetime | None = None


class _StatusBody(BaseModel):
    registries: list[_Status]


class _Change(BaseModel):
    record_id: str
    key: str
    changed_at: datetime
    record: dict[str, Any]


class _ChangesPage(BaseModel):
    changes: list[_Change]
    next: str | None = None


class HttpBackend:
    """Calls the registry API; retries idempotent GETs on transport errors and 5xx only."""

    name = "http"

    def __init__(self, client: httpx.AsyncClient, *, settings: Settings) -> None:
        self._client = client
        self._attempts = settings.registry_http_retries + 1
        self._total_s = settings.verification_deadline_s
        self._max_body = settings.registry_http_max_body_bytes

    async def get_ccc(self, key: str) -> CccRecord | None:
        """Returns the CCC record with this key, or None on 404."""
        body = await self._get(f"/ccc/{quote(key, safe='')}")
        return None if body is _NOT_FOUND else _one(CccRecord, body)

    async def get_license(self, key: str) -> LicenseRecord | None:
        """Returns the licence with this canonical number, or None on 404."""
        body = await self._get(f"/license/{quote(key, safe='')}")
        return None if body is _NOT_FOUND else _one(LicenseRecord, body)

    async def find_recalls(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[RecallRecord]:
        """Returns recalls listing the model key or naming one of the manufacturer cores."""
        return await self._search("/recall", RecallRecord, model_key, manufacturer_cores)

    async def find_spot_checks(
        self, *, model_key: str, manufacturer_cores: Sequence[str]
    ) -> list[SpotCheckRecord]:
        """Returns spot-check failures listing the model key or naming one of the cores."""
        return await self._search("/spot_check", SpotCheckRecord, model_key, manufacturer_cores)

    async def get_standards(self, keys: Sequence[str]) -> dict[str, StandardRecord]:
        """Returns the standards found, by key; keys the API does not know are absent."""
        if not keys:
            return {}
        body = await self._get("/standard", [("number", key) for key in keys])
        wanted = set(keys)
        found: dict[str, StandardRecord] = {}
        for record in _many(StandardRecord, body):
            try:
                key = standard_key(record.number)
            except RecordKeyError as exc:
                raise RegistryError(f"/standard: {exc}") from None
            if key in wanted:
                found[key] = record
        return found

    async def status(self) -> list[RegistryStatus]:
        """Returns, per kind, what the API reports: records and last sync time."""
        body = _one(_StatusBody, await self._get("/status"))
        return [
            RegistryStatus(entry.kind, self.name, entry.records, entry.last_import_at)
            for entry in body.registries
        ]

    async def changed_since(
        self, kind: RegistryKind, since: datetime
    ) -> AsyncIterator[ChangedRecord]:
        """Yields records of `kind` changed after `since`, following the API's pages."""
        model = RECORD_MODELS[kind]
        cursor: str | None = None
        while True:
            params = [("since", since.isoformat())] + ([("cursor", cursor)] if cursor else [])
            page = _one(_ChangesPage, await self._get(f"/changes/{kind}", params))
            for change in page.changes:
                record = _one(model, change.record)
                yield ChangedRecord(kind, change.record_id, change.key, change.changed_at, record)
            if not page.next:
                return
            cursor = page.next

    async def _search(
        self, path: str, model: type[M], model_key: str, cores: Sequence[str]
    ) -> list[M]:
        params = [("model", model_key)] + [("manufacturer", core) for core in cores]
        return _many(model, await self._get(path, params))

    async def _get(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        # GETs are idempotent, so retrying is safe; attempts and total time are both
        # bounded, and the lookup wrapper's deadline cancels whatever is still running.
        async for attempt in stamina.retry_context(
            on=(httpx.TransportError, _ServerError),
            attempts=self._attempts,
            timeout=self._total_s,
            wait_initial=0.05,
            wait_max=0.5,
            wait_jitter=0.1,
        ):
            with attempt:
                return await self._get_once(path, params)
        raise AssertionError("unreachable: stamina re-raises the last error")  # pragma: no cover

    async def _get_once(self, path: str, params: list[tuple[str, str]] | None) -> Any:
        query = httpx.QueryParams(tuple(params)) if params else None
        async with self._client.stream("GET", path, params=query) as response:
            status = response.status_code
            if status == httpx.codes.NOT_FOUND:
                return _NOT_FOUND
            if status >= httpx.codes.INTERNAL_SERVER_ERROR:
                raise _ServerError(f"{path}: HTTP {status}")
            if status != httpx.codes.OK:
                raise RegistryError(f"{path}: HTTP {status}")
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != "application/json" and not media_type.endswith("+json"):
                raise RegistryError(f"{path}: content type {media_type or 'missing'}, not JSON")
            body = await self._read_capped(path, response)
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise RegistryError(f"{path}: malformed JSON ({exc})") from None

    async def _read_capped(self, path: str, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self._max_body:
            raise RegistryError(f"{path}: body of {declared} bytes over the cap")
        body = bytearray()
        # Stop reading as soon as the cap is passed: a runaway body never sits in memory.
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > self._max_body:
                raise RegistryError(f"{path}: body over {self._max_body} bytes")
        return bytes(body)


def _one(model: type[M], body: Any) -> M:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise RegistryError(f"not a {model.__name__}: {_first_error(exc)}") from None


@cache
def _list_adapter(model: type[M]) -> TypeAdapter[list[M]]:
    # Building an adapter compiles a validator: once per record type, not per response.
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _many(model: type[M], body: Any) -> list[M]:
    try:
        return _list_adapter(model).validate_python(body)
    except ValidationError as exc:
        raise RegistryError(f"not a list of {model.__name__}: {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    return f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
