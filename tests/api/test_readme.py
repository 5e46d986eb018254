"""The README's examples and configuration table are true of the code."""

from __future__ import annotations

import re
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
