"""Property: every stream accumulator ends with the answer the parser reads from the equivalent body.

For any valid answer (content and reasoning cut anywhere, inline ``<think>`` tags cut anywhere,
several tool calls with arguments in pieces, usage) on each endpoint, the streamed events give
the same :class:`ChatResult` as the non-streamed body, and the deltas add up to it: no text is
held back at the end of a stream.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelverse_core import CHAT, COMPLETIONS, RESPONSES, ChatResult, Wire
from tests.properties.answers import ENDPOINTS, body, events
from tests.properties.conftest import budget
from tests.properties.strategies import answers

pytestmark = pytest.mark.once  # the core's parsers and accumulators, which the SDK never touches

WIRES: dict[str, Wire] = {"chat": CHAT, "responses": RESPONSES, "completions": COMPLETIONS}


def essentials(result: ChatResult) -> object:
    """What an answer says, for comparing a streamed one with a parsed one."""
    choices = [
        (c.index, c.content, c.reasoning, [(t.id, t.name, t.arguments, t.args, t.error) for t in c.tool_calls])
        for c in result.choices
    ]
    return choices, result.finish_reason, result.usage, result.id, result.model


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@budget(1.0)
@given(data=st.data())
def test_streamed_answer_equals_the_parsed_body(endpoint: str, data: st.DataObject) -> None:
    answer = data.draw(answers(endpoint))
    wire = WIRES[endpoint]
    accumulator = wire.accumulator()
    deltas = [delta for event in events(endpoint, answer) for delta in accumulator.add(event)]
    assert accumulator.finished
    streamed, parsed = accumulator.result(), wire.parse(body(endpoint, answer))
    assert essentials(streamed) == essentials(parsed)
    assert "".join(d.content for d in deltas) == parsed.content
    assert "".join(d.reasoning for d in deltas) == parsed.reasoning
