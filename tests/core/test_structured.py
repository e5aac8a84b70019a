"""The structured-output rule on thinking models: which tool_choice is sent, and when a refusal is retried."""

from __future__ import annotations

from dataclasses import replace

import pytest

from modelverse_core import CATALOG, InvalidRequestError, ModelInfo
from modelverse_core.compat import httpx
from modelverse_core.structured import relaxed_body, structured_tool_choice

FORCED_BODY = {"model": "m", "tool_choice": {"type": "function", "function": {"name": "Joke"}}}


def refusal(message: str = "deepseek-reasoner does not support this tool_choice") -> InvalidRequestError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    return InvalidRequestError(message, response=httpx.Response(400, request=request), body=None)


@pytest.mark.parametrize(
    ("model", "forced", "sent"),
    [
        ("deepseek-ai/DeepSeek-R1", False, "auto"),  # catalog, thinks
        ("DeepSeek-Reasoner", False, "auto"),
        ("deepseek-ai/DeepSeek-V3-0324", True, "Joke"),  # catalog, does not think
        ("my-private-deployment", None, "Joke"),  # unknown: forced, relaxed if refused
    ],
)
def test_the_tool_choice_structured_output_sends(model: str, forced: bool | None, sent: str) -> None:
    info = CATALOG.get(model)
    assert info.forced_tool_choice is forced
    assert structured_tool_choice(info, "Joke") == sent


def test_a_deployment_may_say_it_takes_a_forced_choice() -> None:
    """vLLM, for one, takes a forced choice from a thinking model."""
    info = replace(CATALOG.get("deepseek-ai/DeepSeek-R1"), accepts_forced_tool_choice=True)
    assert info.forced_tool_choice is True and structured_tool_choice(info, "required") == "required"
    assert ModelInfo(id="x", known=False, accepts_forced_tool_choice=False).forced_tool_choice is False


def test_only_the_refusal_of_a_forced_choice_is_relaxed() -> None:
    assert relaxed_body(FORCED_BODY, refusal()) == {**FORCED_BODY, "tool_choice": "auto"}
    assert relaxed_body({**FORCED_BODY, "tool_choice": "required"}, refusal())["tool_choice"] == "auto"  # type: ignore[index]
    assert relaxed_body(FORCED_BODY, refusal("Prompt tokens too long")) is None
    assert relaxed_body({**FORCED_BODY, "tool_choice": "auto"}, refusal()) is None
    assert relaxed_body(FORCED_BODY, ValueError("does not support this tool_choice")) is None
