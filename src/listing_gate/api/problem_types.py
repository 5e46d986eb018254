"""``/problems/{slug}``: the page each problem ``type`` URI points at, in Chinese and English.

A client that follows an error's ``type`` (RFC 9457) reaches this page on the service that
answered it. Unauthenticated, like the documentation: it says nothing about any request.
The texts are data (``data/problems.json``), one entry per problem type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import HTMLResponse

from listing_gate.api.openapi import problems
from listing_gate.errors import NotFoundError

__all__ = ["ProblemType", "problem_types", "router"]

router = APIRouter(prefix="/problems", tags=["problems"])


@dataclass(frozen=True, slots=True)
class ProblemType:
    """One problem type's page: status, and title, description and action in zh and en."""

    slug: str
    status: int
    title: dict[str, str]
    description: dict[str, str]
    action: dict[str, str]


@cache
def problem_types() -> dict[str, ProblemType]:
    """Returns every documented problem type by slug, from the shipped data file."""
    raw = json.loads(
        resources.files("listing_gate.data").joinpath("problems.json").read_text("utf-8")
    )
    return {
        slug: ProblemType(
            slug=slug,
            status=int(entry["status"]),
            title=entry["title"],
            description=entry["description"],
            action=entry["action"],
        )
        for slug, entry in raw["types"].items()
    }


_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}}
code{{background:#f3f3f3;padding:0 .2em}}</style></head>
<body>{body}</body></html>
"""


def _section(kind: ProblemType, lang: str, heading: str) -> str:
    return (
        f'<section lang="{lang}"><h2>{escape(kind.title[lang])}</h2>'
        f"<p>{escape(kind.description[lang])}</p>"
        f"<p><strong>{heading}</strong> {escape(kind.action[lang])}</p></section>"
    )


@router.get(
    "",
    summary="Every problem type the API answers",
    response_class=HTMLResponse,
)
async def list_problem_types() -> HTMLResponse:
    """Returns an index page linking each problem type."""
    items = "".join(
        f'<li><a href="/problems/{escape(t.slug)}"><code>{escape(t.slug)}</code></a> '
        f"({t.status}) {escape(t.title['zh'])} / {escape(t.title['en'])}</li>"
        for t in problem_types().values()
    )
    body = f"<h1>listing-gate 问题类型 / problem types</h1><ul>{items}</ul>"
    return HTMLResponse(_PAGE.format(title="listing-gate problem types", body=body))


@router.get(
    "/{slug}",
    summary="One problem type, explained in Chinese and English",
    response_class=HTMLResponse,
    responses=problems(404),
)
async def read_problem_type(
    slug: Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9-]+$")],
) -> HTMLResponse:
    """Returns the page of the problem type ``slug``: status, meaning and what to do."""
    kind = problem_types().get(slug)
    if kind is None:
        raise NotFoundError(f"no problem type {slug}")
    body = (
        f"<h1><code>{escape(kind.slug)}</code> · HTTP {kind.status}</h1>"
        + _section(kind, "zh", "处理建议：")
        + _section(kind, "en", "What to do:")
    )
    return HTMLResponse(_PAGE.format(title=f"{kind.slug} · listing-gate", body=body))
