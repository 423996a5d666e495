"""GET /exercises: the catalogue without hidden values."""

from __future__ import annotations

from pathlib import Path

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from functions._exercises import DEFAULT_CATALOGUE
from learnflow.events import load_catalogue
from learnflow.gateway._exercises import exercise_list, public_catalogue


def test_a_hidden_check_shows_its_name_only_and_visible_ones_their_values() -> None:
    public = public_catalogue(load_catalogue(DEFAULT_CATALOGUE)).to_wire_dict()
    sums = next(e for e in public["exercises"] if e["title"] == "Sum of evens")
    stdout, visible, hidden = sums["checks"]
    assert stdout["stdout"] == "30\n"
    assert (visible["call"], visible["args"], visible["returns"]) == ("sum_evens", [[1, 2, 3, 4]], 6)
    assert hidden == {"name": "an empty list", "hidden": True, "stdout": None, "call": None, "args": None, "returns": None}
    hidden_checks = [c for e in public["exercises"] for c in e["checks"] if c["hidden"]]
    assert len(hidden_checks) >= 12
    assert all(c["stdout"] is c["call"] is c["args"] is c["returns"] is None for c in hidden_checks)


def _get(path: Path | None) -> httpx.Response:
    handler = exercise_list(path)

    async def endpoint(request: Request) -> Response:
        return await handler(request, None)

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=Starlette(routes=[Route("/exercises", endpoint)]))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            return await client.get("/exercises")

    return anyio.run(get)


def test_the_route_serves_the_file_it_is_given_and_nothing_without_one() -> None:
    answer = _get(DEFAULT_CATALOGUE)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert len(answer.json()["exercises"]) == len(load_catalogue(DEFAULT_CATALOGUE).exercises)
    assert _get(None).json() == {"exercises": []}
