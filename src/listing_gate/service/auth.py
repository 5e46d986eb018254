"""API keys: creation, hashed storage, and checking a request's bearer key and scope.

A key is ``lg_`` plus 256 random bits; only its SHA-256 is stored, so a database dump
gives no usable key (an unsalted fast hash is enough: there is no dictionary to try).
Scopes are ``verify`` (POST verifications), ``read`` (GET endpoints) and ``admin``
(key management; implies the others).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from listing_gate.db import unit
from listing_gate.db.repositories.access import (
    ApiKeyRow,
    find_api_key,
    insert_api_key,
    list_api_keys,
    revoke_api_key,
)
from listing_gate.errors import ForbiddenError, UnauthorizedError
from listing_gate.ids import new_id

__all__ = [
    "OPEN_PRINCIPAL",
    "SCOPES",
    "KeyStore",
    "Principal",
    "create_key",
    "digest",
    "list_keys",
    "load_key_file",
    "parse_scopes",
    "revoke_key",
]

SCOPES = ("verify", "read", "admin")
_KEY_PREFIX = "lg_"
_CACHE_MAX = 10_000


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's id and name, and what it may do."""

    key_id: str
    name: str
    scopes: frozenset[str]

    def require(self, scope: str) -> None:
        """Returns when the principal holds ``scope`` (or admin); raises ForbiddenError."""
        if scope not in self.scopes and "admin" not in self.scopes:
            raise ForbiddenError(f"this API key lacks the {scope!r} scope")


OPEN_PRINCIPAL = Principal("open", "open mode", frozenset(SCOPES))


def digest(key: str) -> str:
    """Returns the hex SHA-256 of a key: the only form a key is stored in."""
    return hashlib.sha256(key.encode()).hexdigest()


def parse_scopes(text: str) -> frozenset[str]:
    """Returns the scopes of a comma-separated list; raises ValueError on an unknown one."""
    scopes = frozenset(s.strip() for s in text.split(",") if s.strip())
    unknown = scopes - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes must be among {', '.join(SCOPES)}; got {text!r}")
    return scopes


async def create_key(
    engine: AsyncEngine, name: str, scopes: frozenset[str]
) -> tuple[str, ApiKeyRow]:
    """Returns a new key (shown once, never stored) and its stored row."""
    key = _KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKeyRow(
        key_id=new_id(),
        name=name,
        key_sha256=digest(key),
        prefix=key[:10],
        scopes=",".join(s for s in SCOPES if s in scopes),
        created_at=datetime.now(UTC),
        revoked_at=None,
    )
    async with unit.write(engine) as conn:
        await insert_api_key(conn, row)
    return key, row


async def list_keys(engine: AsyncEngine) -> list[ApiKeyRow]:
    """Returns every stored key (digests only), oldest first."""
    async with unit.read(engine) as conn:
        return await list_api_keys(conn)


async def revoke_key(engine: AsyncEngine, key_id: str) -> bool:
    """Revokes the key; returns False when no live key has that id."""
    async with unit.write(engine) as conn:
        return await revoke_api_key(conn, key_id, datetime.now(UTC))


def load_key_file(path: Path) -> dict[str, Principal]:
    """Returns the keys of a file of ``<sha256-hex> <name> <scopes>`` lines, by digest."""
    keys: dict[str, Principal] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        parts = text.split()
        if len(parts) != 3 or len(parts[0]) != 64:  # three fields; a hex SHA-256
            raise ValueError(f"{path}:{number}: expected '<sha256-hex> <name> <scopes>'")
        sha, name, scopes = parts
        keys[sha.lower()] = Principal(f"file:{name}", name, parse_scopes(scopes))
    return keys


class KeyStore:
    """Checks bearer keys against the database (and an optional key file), with a short cache."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        open_mode: bool,
        cache_s: float,
        file_keys: dict[str, Principal] | None = None,
    ) -> None:
        self._engine = engine
        self._open_mode = open_mode
        self._cache_s = cache_s
        self._file_keys = file_keys or {}
        self._cache: dict[str, tuple[Principal, float]] = {}

    async def authenticate(self, authorization: str | None) -> Principal:
        """Returns the caller of a request with this Authorization header; raises 401."""
        if self._open_mode:
            return OPEN_PRINCIPAL
        if not authorization:
            raise UnauthorizedError("send 'Authorization: Bearer <API key>'")
        scheme, _, key = authorization.partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise UnauthorizedError("the Authorization header must be 'Bearer <API key>'")
        sha = digest(key)
        cached = self._cache.get(sha)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        principal = self._file_keys.get(sha) or await self._from_database(sha)
        if principal is None:
            raise UnauthorizedError("the API key is unknown or revoked")
        if self._cache_s > 0:
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            self._cache[sha] = (principal, time.monotonic() + self._cache_s)
        return principal

    async def _from_database(self, sha: str) -> Principal | None:
        async with unit.read(self._engine) as conn:
            row = await find_api_key(conn, sha)
        # compare_digest keeps the final check constant-time, whatever the index did.
        if (
            row is None
            or row.revoked_at is not None
            or not hmac.compare_digest(row.key_sha256, sha)
        ):
            return None
        return Principal(row.key_id, row.name, frozenset(row.scopes.split(",")))
