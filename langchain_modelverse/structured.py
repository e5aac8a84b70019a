"""The parsers of ``with_structured_output`` through a tool call, which keep every parse error.

langchain-core's tool parsers read ``message.tool_calls`` only: a call whose arguments are
not valid JSON (in ``invalid_tool_calls``) or no call at all parses as ``None``, and with
``include_raw=True`` the error is lost. These raise ``OutputParserException`` instead, so
``parsing_error`` holds it. Streamed partial results are parsed as langchain-core parses them.
"""

from __future__ import annotations

from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import JsonOutputKeyToolsParser, PydanticToolsParser
from langchain_core.outputs import ChatGeneration, Generation
from langchain_core.runnables import Runnable, RunnableLambda

_Raw = dict[str, Any]


def check_tool_call(result: list[Generation], name: str) -> None:
    """Raise ``OutputParserException`` unless the answer called ``name`` with arguments that decode."""
    generation = result[0] if result else None
    message = generation.message if isinstance(generation, ChatGeneration) else None
    if not isinstance(message, AIMessage) or any(c["name"] == name for c in message.tool_calls):
        return
    invalid = next((c for c in message.invalid_tool_calls if c.get("name") in (name, None, "")), None)
    if invalid is not None:
        raise OutputParserException(
            f"the arguments of the {name} call are not valid: {invalid.get('error')}", llm_output=invalid.get("args")
        )
    raise OutputParserException(f"the model answered without calling {name}", llm_output=message.text)


class ToolArgumentsParser(JsonOutputKeyToolsParser):
    """The first call of the schema's tool, as a dict; a bad or missing call raises."""

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        """The call's arguments; partial ones while streaming."""
        if not partial:
            check_tool_call(result, self.key_name)
        return super().parse_result(result, partial=partial)


class ToolModelParser(PydanticToolsParser):
    """The first call of the schema's tool, as the pydantic model; a bad or missing call raises."""

    name: str
    """The schema's tool name."""

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        """The model built from the call's arguments; partial ones while streaming."""
        if not partial:
            check_tool_call(result, self.name)
        return super().parse_result(result, partial=partial)


def with_parsing_error(parser: Runnable[Any, Any]) -> Runnable[_Raw, _Raw]:
    """``{"raw": message}`` to ``{"raw", "parsed", "parsing_error"}``: a parse error is kept, never raised.

    The whole answer is parsed, streamed or not, so a streamed answer's error is kept as well
    (langchain-core's streamed parse of partial answers never raises, and so never reports one).
    """

    def parse(value: _Raw) -> _Raw:
        try:
            return {**value, "parsed": parser.invoke(value["raw"]), "parsing_error": None}
        except Exception as exc:  # what with_fallbacks would catch: every parser error
            return {**value, "parsed": None, "parsing_error": exc}

    async def aparse(value: _Raw) -> _Raw:
        try:
            return {**value, "parsed": await parser.ainvoke(value["raw"]), "parsing_error": None}
        except Exception as exc:
            return {**value, "parsed": None, "parsing_error": exc}

    return RunnableLambda(parse, afunc=aparse, name="parse_with_error")
