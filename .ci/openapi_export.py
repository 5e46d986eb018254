"""Writes or checks ``openapi/openapi.json``: ``python .ci/openapi_export.py [--check]``.

The checked-in document is what clients generate code from; CI runs ``--check`` so a
change to a route or model that is not regenerated fails the build.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from listing_gate.app import create_app
from listing_gate.settings import Settings

__all__ = ["main", "render"]

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def render() -> str:
    """Returns the OpenAPI document of the app as stable, human-diffable JSON."""
    # The schema depends on code only; these settings are never used to serve.
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Writes the document, or with --check returns 1 and prints a diff when it drifted."""
    parser = argparse.ArgumentParser(prog="python .ci/openapi_export.py")
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    fresh = render()
    current = args.path.read_text("utf-8") if args.path.exists() else ""
    if args.check:
        if current == fresh:
            return 0
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            fresh.splitlines(keepends=True),
            fromfile=str(args.path),
            tofile="generated",
        )
        sys.stderr.writelines(list(diff)[:200])
        sys.stderr.write(f"{args.path} is out of date: run python .ci/openapi_export.py\n")
        return 1
    args.path.parent.mkdir(parents=True, exist_ok=True)
    args.path.write_text(fresh, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
