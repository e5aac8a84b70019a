"""Bound tools sent again: the spec made of an unchanged tool dict is reused, any change is seen."""

from __future__ import annotations

import json
from typing import Any

from modelverse_core import Message
from modelverse_core.catalog import model_info
from modelverse_core.options import _SPECS_KEPT, Defaults, chat_request
from modelverse_core.pipeline import prepare
from modelverse_core.types import ToolSpec

DEFAULTS = Defaults("deepseek-ai/DeepSeek-V3", {}, model_info)
HISTORY = [Message("user", "weather?")]


def tool(name: str = "get_weather", **function: Any) -> dict[str, Any]:
    parameters = {"type": "object", "properties": {"city": {"type": "string"}}}
    return {"type": "function", "function": {"name": name, "description": "d", "parameters": parameters, **function}}


def specs(tools: list[dict[str, Any]]) -> tuple[ToolSpec, ...]:
    return chat_request(DEFAULTS, HISTORY, {"tools": tools})[0].tools


def sent_tools(tools: list[dict[str, Any]]) -> Any:
    request, wire = chat_request(DEFAULTS, HISTORY, {"tools": tools})
    return json.loads(json.dumps(prepare(request, wire).body["tools"]))


def test_the_same_unchanged_dict_gives_the_same_spec() -> None:
    bound = [tool(), tool("get_time")]
    first, second = specs(bound), specs(bound)
    assert all(a is b for a, b in zip(first, second, strict=True))
    assert [s.name for s in second] == ["get_weather", "get_time"]


def test_a_field_of_the_dict_set_again_gives_a_new_spec_of_the_new_value() -> None:
    bound = [tool()]
    specs(bound)
    function = bound[0]["function"]
    function["name"] = "get_forecast"
    assert specs(bound)[0].name == "get_forecast"
    function["description"] = "another"
    assert specs(bound)[0].description == "another"
    function["strict"] = True
    assert specs(bound)[0].strict is True
    function["parameters"] = {"type": "object", "properties": {}}
    assert specs(bound)[0].parameters == {"type": "object", "properties": {}}
    bound[0]["function"] = {"name": "other"}
    assert specs(bound)[0] == ToolSpec("other")


def test_a_change_inside_the_parameters_is_sent() -> None:
    bound = [tool()]
    sent_tools(bound)
    bound[0]["function"]["parameters"]["properties"]["city"]["type"] = "integer"
    assert sent_tools(bound)[0]["function"]["parameters"]["properties"]["city"] == {"type": "integer"}


def test_equal_tools_in_other_dicts_are_converted_afresh_and_many_tools_stay_right() -> None:
    one, other = [tool()], [tool()]
    assert specs(one)[0] == specs(other)[0] and specs(one)[0] is not specs(other)[0]
    many = [tool(f"t{i}") for i in range(_SPECS_KEPT + 10)]
    assert [s.name for s in specs(many)] == [f"t{i}" for i in range(_SPECS_KEPT + 10)]
    assert [s.name for s in specs(many)] == [f"t{i}" for i in range(_SPECS_KEPT + 10)]
