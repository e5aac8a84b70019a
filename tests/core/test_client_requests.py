"""What goes on the wire for each request: URLs and headers, seen through a mock transport."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelverse_core import Message, ModelverseParams
from modelverse_core.compat import httpx

R1 = "deepseek-ai/DeepSeek-R1"


def model(**kwargs: object) -> ModelverseParams:
    return ModelverseParams(model=R1, api_key="sk-test", **kwargs)


COMPLETION = json.loads((Path(__file__).parent / "fixtures" / "r1_completion.json").read_text())
PLATFORM_HEADERS = (
    "x-stainless-lang",
    "x-stainless-os",
    "x-stainless-arch",
    "x-stainless-runtime",
    "x-stainless-async",
)


def recording(seen: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"object": "list", "data": []} if request.method == "GET" else COMPLETION)

    return httpx.MockTransport(answer)


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:9/gateway/v1", "http://127.0.0.1:9/gateway/v1/"])
def test_requests_go_under_the_base_url(base_url: str) -> None:
    """Each path is sent as an absolute URL under the base URL, with or without its trailing slash."""
    seen: list[httpx.Request] = []
    params = model(base_url=base_url, http_client=httpx.Client(transport=recording(seen)))
    client = params._mv_client_for_settings()
    client.send(params._mv_prepare([Message("user", "hi")]))
    client.list_models()
    assert [str(r.url) for r in seen] == [
        "http://127.0.0.1:9/gateway/v1/chat/completions",
        "http://127.0.0.1:9/gateway/v1/models",
    ]


async def test_platform_headers_are_not_sent() -> None:
    """The SDK's platform headers stay home; its user agent, auth and retry headers go; a caller's header wins."""
    seen: list[httpx.Request] = []
    params = model(
        default_headers={"X-Stainless-OS": "chosen", "X-Team": "search"},
        http_async_client=httpx.AsyncClient(transport=recording(seen)),
    )
    await params._mv_client_for_settings().asend(params._mv_prepare([Message("user", "hi")]))
    headers = seen[0].headers
    assert headers["x-stainless-os"] == "chosen" and headers["x-team"] == "search"
    assert not [name for name in PLATFORM_HEADERS if name in headers and name != "x-stainless-os"]
    assert headers["user-agent"].startswith("AsyncOpenAI/Python")
    assert headers["authorization"].startswith("Bearer ") and headers["x-stainless-retry-count"] == "0"


def test_client_settings_hold_for_every_request() -> None:
    """Timeout and retries given per request are left to the client's settings: both are honoured."""
    seen: list[httpx.Request] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) < 3:
            return httpx.Response(503, json={"error": {"message": "busy"}}, headers={"retry-after-ms": "1"})
        return httpx.Response(200, json=COMPLETION)

    params = model(timeout=7.5, max_retries=2, http_client=httpx.Client(transport=httpx.MockTransport(flaky)))
    params._mv_client_for_settings().send(params._mv_prepare([Message("user", "hi")]))
    assert [r.headers["x-stainless-retry-count"] for r in seen] == ["0", "1", "2"]
    assert {r.headers["x-stainless-read-timeout"] for r in seen} == {"7.5"}
    assert {r.extensions["timeout"]["read"] for r in seen} == {7.5}
