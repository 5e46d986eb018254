"""The README's examples and configuration table are true of the code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from config_table import main as config_table

from .conftest import StartApi

README = Path(__file__).resolve().parents[2] / "README.md"
CURL_BODY = re.compile(r"^curl -s http://127.0.0.1:8080/v1/verifications .* -d '(\{.*\})'$", re.M)


def test_configuration_table_matches_settings() -> None:
    """Run `python .ci/config_table.py` after adding or changing a setting."""
    assert config_table(["--check", str(README)]) == 0


@pytest.mark.anyio
async def test_curl_examples_block_then_allow(start_api: StartApi) -> None:
    """The README's first example is blocked for its model, the second allowed."""
    bodies = CURL_BODY.findall(README.read_text("utf-8"))
    assert len(bodies) == 2
    async with start_api(open_mode=True) as api:
        answers = [
            (await api.client.post("/v1/verifications", content=body.encode())).json()
            for body in bodies
        ]
    blocked, allowed = answers
    assert blocked["decision"] == "block"
    assert "MODEL_NOT_COVERED" in [r["code"] for r in blocked["reasons"]]
    assert allowed["decision"] == "allow"
    assert orjson.loads(bodies[1])["listing_id"] == allowed["listing_id"]


CHECK_COMMAND = re.compile(r"^(jq .* listing-gate check - .*)$", re.M)


def test_check_example_prints_three_verifications(tmp_path: Path, shared_dir: Path) -> None:
    """The README's `check` pipeline, run as written from the checkout, prints 3 decisions."""
    commands = CHECK_COMMAND.findall(README.read_text("utf-8"))
    assert len(commands) == 1
    # `uv run X` is the project's X: run it from this venv, so the test does not sync it.
    command = commands[0].replace("uv run ", f"{Path(sys.executable).parent}/")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LISTING_GATE_")}
    env["LISTING_GATE_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'readme.db'}"
    done = subprocess.run(  # noqa: S603 - the README's own command
        ["bash", "-c", command],  # noqa: S607 - bash from PATH, as a reader runs it
        cwd=README.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert shared_dir.is_dir()
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 3
    assert all(line["decision"] in ("allow", "review", "block") for line in lines)
    assert "Traceback" not in done.stderr
    assert done.returncode == 0
