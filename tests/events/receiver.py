"""A real webhook receiver on 127.0.0.1: fails the first N requests, then accepts.

It behaves as a careful receiver should: it checks the signature and the timestamp,
and processes each event once by its Idempotency-Key however often it is delivered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from listing_gate.events.signing import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify_signature,
)


@dataclass
class Receiver:
    """What the receiver saw: every request, and the events it processed (once each)."""

    secret: str
    fail_first: int
    url: str = ""
    requests: list[tuple[str, int]] = field(default_factory=list)  # (key, status answered)
    processed: dict[str, bytes] = field(default_factory=dict)
    bad_signatures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle(self, request: Request) -> Response:
        """Answers 500 for the first ``fail_first`` requests, then 200 (401 if unsigned)."""
        body = await request.body()
        key = request.headers.get(IDEMPOTENCY_HEADER, "")
        signed = verify_signature(
            self.secret,
            request.headers.get(SIGNATURE_HEADER),
            request.headers.get(TIMESTAMP_HEADER),
            body,
            now=time.time(),
        )
        with self.lock:
            if not signed:
                self.bad_signatures += 1
                self.requests.append((key, 401))
                return Response(status_code=401)
            if len(self.requests) < self.fail_first:
                self.requests.append((key, 500))
                return Response(status_code=500)
            self.requests.append((key, 200))
            self.processed.setdefault(key, body)  # a redelivery is acknowledged, not redone
        return Response(status_code=200)


@contextmanager
def running_receiver(secret: str, *, fail_first: int) -> Iterator[Receiver]:
    """Yields a receiver served by uvicorn on a free local port, in a thread."""
    receiver = Receiver(secret=secret, fail_first=fail_first)
    app = Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, lifespan="off", ws="none", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the webhook receiver did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=10)
