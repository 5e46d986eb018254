"""The command line in real processes: SIGKILL mid-run and restart, import --reverify, report."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import orjson
import pytest

from events.receiver import running_receiver
from listing_gate.db.engine import make_engine
from listing_gate.registries.importer import import_file
from reverify.world import (
    TWIN_IDS,
    all_revoked,
    latest,
    reverify_counts,
    reverify_import,
    settings,
    twin_certificate_revoked,
)

pytestmark = pytest.mark.anyio
CLI = [sys.executable, "-m", "listing_gate"]


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LISTING_GATE_")}
    env["LISTING_GATE_DATABASE_URL"] = url
    env["LISTING_GATE_VERIFICATION_DEADLINE_S"] = "30"
    return env


async def _cli(url: str, *args: str, extra: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *CLI,
        *args,
        env={**_env(url), **(extra or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def test_reverify_killed_with_sigkill_resumes_from_its_checkpoint(
    world_url: str, tmp_path: Path
) -> None:
    """A real SIGKILL mid-run, then the same command: it finishes, nothing recorded twice."""
    total = len(await latest(world_url))
    engine = make_engine(settings(world_url))
    try:
        await import_file(engine, "ccc", all_revoked(tmp_path))
    finally:
        await engine.dispose()
    checkpoint = tmp_path / "work" / "checkpoint-0.json"
    command = ["reverify", "--page-size", "2", "--checkpoint", str(checkpoint), "--no-progress"]
    process = await asyncio.create_subprocess_exec(
        *CLI,
        *command,
        env=_env(world_url),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    async with asyncio.timeout(60):
        while True:
            if checkpoint.exists():
                state = orjson.loads(checkpoint.read_bytes())
                if state["processed"] >= 20:
                    break
            assert process.returncode is None, "finished before it could be killed"
            await asyncio.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    await process.wait()
    killed = orjson.loads(checkpoint.read_bytes())
    assert not killed["done"]

    code, out, err = await _cli(world_url, *command)

    assert code == 0, err
    assert f"resume with --run-id {killed['run_id']}" in err  # the same run, resumed
    final = orjson.loads(checkpoint.read_bytes())
    assert (final["run_id"], final["done"], final["processed"]) == (killed["run_id"], True, total)
    recorded, doubled, changes = await reverify_counts(world_url)
    assert doubled == 0
    assert recorded == changes == final["changed"]
    assert "allow -> block" in out


async def test_import_with_reverify_flips_the_listings_and_prints_a_summary(
    world_url: str, tmp_path: Path
) -> None:
    """``registry import ccc FILE --reverify`` re-decides the listings of the changed record."""
    revoked = await twin_certificate_revoked(world_url, tmp_path)
    code, out, err = await _cli(world_url, "registry", "import", "ccc", str(revoked), "--reverify")
    assert code == 0, err
    assert "ccc: 0 added, 403 replaced" in out
    assert "allow -> block: 3" in out
    after = await latest(world_url)
    assert all(after[listing][1] == "block" for listing in TWIN_IDS)


async def test_report_leads_writes_a_csv_file_with_bom(world_url: str, tmp_path: Path) -> None:
    """``report leads --format csv --out FILE``: UTF-8 with BOM, CRLF rows."""
    target = tmp_path / "leads.csv"
    code, _out, err = await _cli(
        world_url,
        "report",
        "leads",
        "--since",
        "2026-01-01",
        "--format",
        "csv",
        "--out",
        str(target),
    )
    assert code == 0, err
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbflisting_id,seller_id,shop_name")
    blocked = sum(1 for _, decision in (await latest(world_url)).values() if decision == "block")
    assert data.count(b"\r\n") >= blocked + 1


async def test_events_deliver_once_posts_every_outcome_change_signed(
    world_url: str, tmp_path: Path
) -> None:
    """``events deliver --once`` with URLs from the environment (a JSON list) drains the outbox."""
    revoked = await twin_certificate_revoked(world_url, tmp_path)
    status = await reverify_import(world_url, "ccc", revoked)
    flips = status.transitions[("allow", "block")]
    with running_receiver("cli-secret", fail_first=0) as receiver:
        env = {
            "LISTING_GATE_WEBHOOK_URLS": orjson.dumps([receiver.url]).decode(),
            "LISTING_GATE_WEBHOOK_SECRET": "cli-secret",
        }
        code, _out, err = await _cli(world_url, "events", "deliver", "--once", extra=env)
        assert code == 0, err
    assert len(receiver.processed) == flips
    assert receiver.bad_signatures == 0
    code, out, _err = await _cli(world_url, "events", "status")
    assert orjson.loads(out) == {"delivered": flips}


@pytest.mark.parametrize("command", ["reverify", "import"])
async def test_progress_off_a_terminal_is_plain_lines(
    world_url: str, tmp_path: Path, command: str
) -> None:
    """With stderr a pipe (a pod's log), a run prints plain count lines, never nothing."""
    if command == "reverify":
        args: tuple[str, ...] = ("reverify",)
    else:
        revoked = await twin_certificate_revoked(world_url, tmp_path)
        args = ("registry", "import", "ccc", str(revoked), "--reverify")
    code, _out, err = await _cli(world_url, *args)
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("reverify 0/1: ")]
    assert lines
    assert "(100.0%)" in lines[-1]
    assert "listings/s" in lines[-1]
