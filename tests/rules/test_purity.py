"""The rules and the normalisers and matchers they rely on are pure: no I/O layer below them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import listing_gate

PACKAGE = Path(listing_gate.__file__).parent
PURE = ("rules", "normalize", "matching")
# Web, database and HTTP libraries, and the packages that do I/O or hold the settings.
FORBIDDEN = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "httpx",
    "listing_gate.api",
    "listing_gate.db",
    "listing_gate.registries",
    "listing_gate.service",
    "listing_gate.settings",
)


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", PURE)
def test_the_pure_core_imports_no_io_layer(package: str) -> None:
    """Not one module of rules/, normalize/ or matching/ imports an I/O layer or library."""
    modules = sorted((PACKAGE / package).rglob("*.py"))
    assert modules  # the package is where this test looks, or it proves nothing
    found = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in modules
        for name in _imports(path)
        if any(name == bad or name.startswith(f"{bad}.") for bad in FORBIDDEN)
    ]
    assert found == []
