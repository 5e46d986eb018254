"""SIGKILL under load loses no answered decision: every 200's id is there after a restart."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

CONNECTIONS = 16
ANSWERS_BEFORE_KILL = 60  # killed mid-load once this many 200s are in, or after 10 s


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server_env(tmp_path: Path) -> dict[str, str]:
    """Environment of a server on its own SQLite file, sample registries, open mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LISTING_GATE_")}
    return env | {
        "LISTING_GATE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'gate.db'}",
        "LISTING_GATE_OPEN_MODE": "1",
        "LISTING_GATE_LOAD_SAMPLE_DATA": "1",
        "LISTING_GATE_LOG_LEVEL": "warning",
        "LISTING_GATE_PORT": str(_free_port()),
    }


@pytest.fixture
def drafts(shared_dir: Path) -> list[dict[str, Any]]:
    """The labelled cases' drafts."""
    lines = (shared_dir / "data" / "cases.jsonl").read_text("utf-8").splitlines()
    return [orjson.loads(line)["draft"] for line in lines if line.strip()]


@pytest.fixture
def spawn(server_env: dict[str, str]) -> Iterator[Any]:
    """Starts `listing-gate serve` subprocesses; any still running are killed at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "listing_gate", "serve"],
            env=server_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


async def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            assert process.poll() is None, "the server exited during start-up"
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail("the server did not become ready within 30 s")


async def _load(
    base: str, drafts: list[dict[str, Any]], answered: dict[str, bytes], enough: asyncio.Event
) -> None:
    async def worker(offset: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            i = offset
            while True:
                try:
                    response = await client.post("/v1/verifications", json=drafts[i % len(drafts)])
                except httpx.TransportError:
                    return  # the server is gone: whatever was not answered is not owed
                if response.status_code == 200:
                    answered[response.json()["verification_id"]] = response.content
                    if len(answered) >= ANSWERS_BEFORE_KILL:
                        enough.set()
                i += CONNECTIONS

    await asyncio.gather(*(worker(n) for n in range(CONNECTIONS)))


async def test_sigkill_under_load_loses_no_answered_decision(
    spawn: Any, server_env: dict[str, str], drafts: list[dict[str, Any]]
) -> None:
    """Kill -9 mid-load, restart, and read back every verification that got a 200."""
    base = f"http://127.0.0.1:{server_env['LISTING_GATE_PORT']}"
    first = spawn()
    await _wait_ready(base, first)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        # The first decision warms lazily loaded matching data; load starts after it.
        assert (await client.post("/v1/verifications", json=drafts[0])).status_code == 200
    answered: dict[str, bytes] = {}
    enough = asyncio.Event()
    load = asyncio.create_task(_load(base, drafts, answered, enough))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(enough.wait(), 10)
    os.kill(first.pid, signal.SIGKILL)
    await load
    first.wait()
    assert len(answered) > 20, "too little load to mean anything"

    second = spawn()
    await _wait_ready(base, second)
    async with httpx.AsyncClient(base_url=base) as client:
        missing = [
            vid
            for vid, body in answered.items()
            if (await client.get(f"/v1/verifications/{vid}")).content != body
        ]
    assert missing == []
