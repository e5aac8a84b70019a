"""Normalising the OpenAI-shaped tool and format values both frameworks produce.

LangChain's ``convert_to_openai_tool`` and LlamaIndex's ``to_openai_tool``
both give OpenAI ``function`` tool dicts; users pass ``tool_choice`` and
``response_format`` in several spellings. These turn them into core types
once, for both plugins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ParameterError
from .types import ForcedTool, JsonObjectFormat, JsonSchemaFormat, ResponseFormat, ToolChoice, ToolSpec

_MODES: dict[Any, ToolChoice] = {
    "auto": "auto",
    "none": "none",
    "required": "required",
    "any": "required",
    True: "required",
}


def tool_spec_from_openai(tool: Mapping[str, Any]) -> ToolSpec:
    """An OpenAI ``{"type": "function", "function": {...}}`` dict (or its inner function) as a ToolSpec."""
    function = tool.get("function", tool)
    if not isinstance(function, Mapping) or not function.get("name"):
        raise ParameterError("tools", "each tool must be a function with a name", tool)
    return ToolSpec(
        name=function["name"],
        description=function.get("description") or "",
        parameters=function.get("parameters") or {"type": "object", "properties": {}},
        strict=function.get("strict"),
    )


def tool_choice_from(value: object, tool_names: frozenset[str] = frozenset()) -> ToolChoice | None:
    """``auto``/``none``/``required`` (``any`` and ``True`` mean required), a tool name, or a forced-function dict."""
    if value is None or value is False:
        return None
    if isinstance(value, ForcedTool):
        return value
    if isinstance(value, Mapping):
        function = value.get("function") or {}
        if value.get("type") == "function" and function.get("name"):
            return ForcedTool(function["name"])
        raise ParameterError("tool_choice", "a dict must be {'type': 'function', 'function': {'name': ...}}", value)
    if isinstance(value, str) and value in tool_names:
        return ForcedTool(value)
    if value in _MODES:
        return _MODES[value]  # type: ignore[index]
    if isinstance(value, str):
        return ForcedTool(value)
    raise ParameterError("tool_choice", "must be auto, none, required/any, a tool name or a function dict", value)


def response_format_from(value: object) -> ResponseFormat | None:
    """``{"type": "json_object"}``, ``{"type": "json_schema", "json_schema": {...}}`` or a core format."""
    if value is None or isinstance(value, (JsonObjectFormat, JsonSchemaFormat)):
        return value
    if isinstance(value, Mapping) and value.get("type") == "json_object":
        return JsonObjectFormat()
    if (
        isinstance(value, Mapping)
        and value.get("type") == "json_schema"
        and isinstance(value.get("json_schema"), Mapping)
    ):
        spec = value["json_schema"]
        return JsonSchemaFormat(
            name=spec.get("name") or "response",
            schema=spec.get("schema") or {},
            strict=spec.get("strict"),
            description=spec.get("description"),
        )
    raise ParameterError("response_format", "must be {'type': 'json_object'} or {'type': 'json_schema', ...}", value)
