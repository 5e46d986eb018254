"""The command line: check, registry import, keys and db, run in-process against SQLite."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from casebook import load_cases, memory_verifier
from listing_gate.cli import main
from listing_gate.db.engine import make_engine
from listing_gate.db.tables.decisions import decisions
from listing_gate.domain import ListingDraft
from listing_gate.settings import Settings


@pytest.fixture(autouse=True)
def cli_env(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> Iterator[str]:
    """Every command sees one fresh SQLite database with the sample registries."""
    for name in [n for n in os.environ if n.startswith("LISTING_GATE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("LISTING_GATE_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("LISTING_GATE_LOAD_SAMPLE_DATA", "1")
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield sqlite_url
    # The CLI configures logging for its process; give pytest its handlers back.
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


@pytest.fixture
def drafts(shared_dir: Path) -> list[dict[str, Any]]:
    """The labelled cases' drafts."""
    return [c.draft for c in load_cases(shared_dir / "data" / "cases.jsonl")]


def _lines(text: str) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in text.splitlines()]


async def _recorded(url: str) -> dict[str, str]:
    engine = make_engine(Settings(database_url=url))
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(decisions.c.verification_id, decisions.c.verification_json)
            )
            return {r.verification_id: r.verification_json for r in rows}
    finally:
        await engine.dispose()


def test_check_prints_one_line_per_draft_in_order_and_records_them(
    tmp_path: Path, drafts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], cli_env: str
) -> None:
    """JSON Lines in, one Verification or problem per line out; exit 1 when a line was bad."""
    path = tmp_path / "drafts.jsonl"
    lines = [orjson.dumps(drafts[0]), b"{not json", orjson.dumps({"listing_id": "x"})]
    path.write_bytes(b"\n".join([*lines, orjson.dumps(drafts[1])]) + b"\n")
    assert main(["check", str(path)]) == 1
    out = _lines(capsys.readouterr().out)
    assert [o.get("listing_id") for o in out] == [
        drafts[0]["listing_id"],
        None,
        None,
        drafts[1]["listing_id"],
    ]
    assert out[1]["status"] == out[2]["status"] == 422
    assert "line 2" in out[1]["detail"]
    recorded = asyncio.run(_recorded(cli_env))
    for answer in (out[0], out[3]):
        assert orjson.loads(recorded[answer["verification_id"]]) == answer


@pytest.mark.parametrize("shape", ["object", "array", "stdin"])
def test_check_reads_an_object_an_array_or_stdin(
    tmp_path: Path,
    drafts: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    shape: str,
) -> None:
    """Every accepted input shape decides every draft; exit 0 when all were decided."""
    data = orjson.dumps(drafts[0] if shape == "object" else drafts[:3])
    if shape == "stdin":
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        target = "-"
    else:
        (tmp_path / "in.json").write_bytes(data)
        target = str(tmp_path / "in.json")
    assert main(["check", target]) == 0
    out = _lines(capsys.readouterr().out)
    assert len(out) == (1 if shape == "object" else 3)
    assert all(o["decision"] in ("allow", "review", "block") for o in out)


def test_check_decides_every_case_as_the_core_does(
    shared_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check` over cases.jsonl's drafts gives the core's decision and codes for each."""
    cases = load_cases(shared_dir / "data" / "cases.jsonl")
    now = datetime.now(UTC)
    verifier = memory_verifier(shared_dir / "data" / "registry", clock=lambda: now)

    async def core() -> list[tuple[str, set[str]]]:
        out = []
        for case in cases:
            v = await verifier.verify(ListingDraft.model_validate(case.draft))
            out.append((v.decision.value, {r.code for r in v.reasons}))
        return out

    expected = asyncio.run(core())
    drafts = b"\n".join(orjson.dumps(c.draft) for c in cases)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(drafts)))
    assert main(["check", "-"]) == 0
    got = [
        (o["decision"], {r["code"] for r in o["reasons"]}) for o in _lines(capsys.readouterr().out)
    ]
    assert got == expected


def test_registry_import_prints_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared_dir: Path
) -> None:
    """An import reports added and replaced; importing again replaces every record."""
    source = shared_dir / "data" / "registry" / "recall.jsonl"
    assert main(["registry", "import", "recall", str(source)]) == 0
    assert "recall: 40 added, 0 replaced" in capsys.readouterr().out
    assert main(["registry", "import", "recall", str(source)]) == 0
    assert "recall: 0 added, 40 replaced" in capsys.readouterr().out


def test_registry_import_names_the_bad_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared_dir: Path
) -> None:
    """A bad line rejects the file with a non-zero exit naming line and field."""
    good = (shared_dir / "data" / "registry" / "standard.jsonl").read_text("utf-8").splitlines()
    bad = tmp_path / "standard.jsonl"
    bad.write_text(
        "\n".join([good[0], '{"number": "GB 1-2000", "status": "bogus"}']) + "\n", "utf-8"
    )
    assert main(["registry", "import", "standard", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 2" in err
    assert "status" in err


def test_keys_create_prints_the_key_once_list_hides_it_and_revoke_works(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The key is printed at creation only; list shows its prefix; revoke is final."""
    assert main(["keys", "create", "--name", "shop-sync", "--scopes", "verify,read"]) == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("lg_")
    assert main(["keys", "list"]) == 0
    listing = capsys.readouterr().out
    assert key not in listing
    assert key[:10] in listing
    key_id = listing.splitlines()[1].split("\t")[0]
    assert main(["keys", "revoke", key_id]) == 0
    assert main(["keys", "revoke", key_id]) == 1


def test_keys_create_refuses_an_unknown_scope(capsys: pytest.CaptureFixture[str]) -> None:
    """Scopes are verify, read and admin only."""
    assert main(["keys", "create", "--name", "x", "--scopes", "verify,write"]) == 2
    assert "write" in capsys.readouterr().err


def test_db_upgrade_migrates(capsys: pytest.CaptureFixture[str]) -> None:
    """`db upgrade` brings the schema to the latest revision."""
    assert main(["db", "upgrade"]) == 0
    assert "latest" in capsys.readouterr().out


def test_retention_below_two_years_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Decisions are kept at least 731 days; a shorter setting stops every command."""
    monkeypatch.setenv("LISTING_GATE_DECISION_RETENTION_DAYS", "365")
    assert main(["db", "upgrade"]) == 2
    assert "731" in capsys.readouterr().err


def _case(shared_dir: Path, case_id: str) -> dict[str, Any]:
    return next(
        c.draft for c in load_cases(shared_dir / "data" / "cases.jsonl") if c.case_id == case_id
    )


def _check_as_of(
    tmp_path: Path, draft: dict[str, Any], day: str, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    path = tmp_path / f"{day}.json"
    path.write_bytes(orjson.dumps(draft))
    assert main(["check", str(path), "--as-of", day]) == 0
    [answer] = _lines(capsys.readouterr().out)
    return answer


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-12-31", ("allow", set())),  # 0501 still takes a self-declaration
        ("2027-01-01", ("review", {"CREDENTIAL_REGIME_CHANGED"})),  # certification from today
    ],
)
def test_check_as_of_decides_on_that_day_of_a_catalogue_transition(
    tmp_path: Path,
    shared_dir: Path,
    capsys: pytest.CaptureFixture[str],
    day: str,
    expected: tuple[str, set[str]],
) -> None:
    """`--as-of` applies the catalogue in force on that day, on both sides of a change."""
    answer = _check_as_of(tmp_path, _case(shared_dir, "V0037"), day, capsys)
    assert (answer["decision"], {r["code"] for r in answer["reasons"]}) == expected


@pytest.mark.parametrize(("day", "expired"), [("2028-02-02", False), ("2028-02-03", True)])
def test_check_as_of_decides_expiry_by_that_day(
    tmp_path: Path,
    shared_dir: Path,
    capsys: pytest.CaptureFixture[str],
    day: str,
    expired: bool,
) -> None:
    """The last valid day is valid as of that day; the day after, the certificate expired."""
    answer = _check_as_of(tmp_path, _case(shared_dir, "V0050"), day, capsys)
    assert ("CREDENTIAL_EXPIRED" in {r["code"] for r in answer["reasons"]}) is expired


def test_check_as_of_records_the_decision_moment_of_that_day(
    tmp_path: Path, drafts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], cli_env: str
) -> None:
    """decided_at is noon of the day in China's calendar, the moment the accuracy bench uses."""
    answer = _check_as_of(tmp_path, drafts[0], "2026-12-31", capsys)
    assert answer["decided_at"].startswith("2026-12-31T04:00:00")
    recorded = asyncio.run(_recorded(cli_env))
    assert orjson.loads(recorded[answer["verification_id"]]) == answer


def test_check_refuses_a_day_that_is_no_date(
    tmp_path: Path, drafts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed --as-of is a usage error naming the value; nothing is decided."""
    path = tmp_path / "in.json"
    path.write_bytes(orjson.dumps(drafts[0]))
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(path), "--as-of", "2026-13-01"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "2026-13-01" in captured.err
    assert captured.out == ""
