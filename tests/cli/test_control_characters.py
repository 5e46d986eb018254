"""The command line refuses control characters as the API does: a problem on the draft's line,
a bad-line error for a registry file; on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

import dbcopy
from casebook import load_cases
from listing_gate.cli import main


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, pg_admin_url: str) -> Iterator[str]:
    """A fresh database, once SQLite and once PostgreSQL, for commands run synchronously."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'listing-gate.db'}"
        return
    name = dbcopy.run_sync(dbcopy.create_pg_database(pg_admin_url, "lg_test"))
    try:
        yield dbcopy.pg_url(pg_admin_url, name)
    finally:
        dbcopy.run_sync(dbcopy.drop_pg_database(pg_admin_url, name))


@pytest.fixture(autouse=True)
def cli_env(monkeypatch: pytest.MonkeyPatch, store_url: str) -> Iterator[str]:
    """Every command sees that database, with the sample registries."""
    for name in [n for n in os.environ if n.startswith("LISTING_GATE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("LISTING_GATE_DATABASE_URL", store_url)
    monkeypatch.setenv("LISTING_GATE_LOAD_SAMPLE_DATA", "1")
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield store_url
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def _drafts(shared_dir: Path) -> list[dict[str, Any]]:
    return [c.draft for c in load_cases(shared_dir / "data" / "cases.jsonl")[:3]]


def test_check_prints_a_problem_on_the_line_of_a_draft_with_a_nul(
    tmp_path: Path, shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The other lines are decided and recorded; the bad line names the field."""
    drafts = _drafts(shared_dir)
    drafts[1]["seller"]["shop_name"] = "店\x00铺"
    path = tmp_path / "drafts.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(d) for d in drafts) + b"\n")
    assert main(["check", str(path)]) == 1
    first, problem, last = (orjson.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["decision"] in ("allow", "review", "block")
    assert problem["status"] == 422
    assert [e["field"] for e in problem["errors"]] == ["seller.shop_name"]
    assert last["decision"] in ("allow", "review", "block")


def test_registry_import_refuses_a_record_with_a_nul_naming_line_and_field(
    tmp_path: Path, shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A registry line holding a control character rejects the file, like any bad line."""
    good = (shared_dir / "data" / "registry" / "recall.jsonl").read_text("utf-8").splitlines()
    record = orjson.loads(good[1])
    record["manufacturer"]["name"] = "公司\x00"
    path = tmp_path / "recall.jsonl"
    path.write_text("\n".join([good[0], orjson.dumps(record).decode()]) + "\n", "utf-8")
    assert main(["registry", "import", "recall", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 2, field manufacturer.name" in err
    assert "control character U+0000" in err
