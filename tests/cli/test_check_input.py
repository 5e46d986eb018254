"""`listing-gate check` on input it cannot read: one clear line and exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from listing_gate.cli import main

BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def _database(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    """Commands see a fresh SQLite database and nothing of the shell's settings."""
    for name in [n for n in os.environ if n.startswith("LISTING_GATE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("LISTING_GATE_DATABASE_URL", sqlite_url)


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_an_unreadable_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """A missing file or a directory names the file and the reason on one line."""
    target = tmp_path / "missing.json" if kind == "missing" else tmp_path
    assert main(["check", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"listing-gate: {target}: ")
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_the_installed_command_prints_no_traceback_for_a_missing_file(tmp_path: Path) -> None:
    """The real entry point, as a person runs it: exit 2 and one line on stderr."""
    done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(BIN / "listing-gate"), "check", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == f"listing-gate: {tmp_path / 'missing.json'}: No such file or directory\n"
    assert done.stdout == ""


def test_a_reader_that_stops_early_ends_check_quietly(tmp_path: Path, shared_dir: Path) -> None:
    """`check FILE | head -1` over two chunks of drafts: no BrokenPipeError traceback."""
    cases = (shared_dir / "data" / "cases.jsonl").read_bytes().splitlines()
    drafts = [orjson.dumps(orjson.loads(line)["draft"]) for line in cases if line.strip()]
    path = tmp_path / "drafts.jsonl"
    path.write_bytes(b"\n".join(drafts * 6) + b"\n")
    env = {**os.environ, "LISTING_GATE_LOAD_SAMPLE_DATA": "1"}
    pipeline = f'"{BIN / "listing-gate"}" check "{path}" | head -1; exit ${{PIPESTATUS[0]}}'
    done = subprocess.run(  # noqa: S603 - our own command in a fixed pipeline
        ["bash", "-c", pipeline],  # noqa: S607 - bash from PATH, as a person runs it
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert orjson.loads(done.stdout)["decision"] in ("allow", "review", "block")
    assert done.stderr == ""
    assert done.returncode == 1
