"""Offline token estimates: calibrated text counts, messages with tools, images and reasoning."""

from __future__ import annotations

import math

from modelverse_core import ImagePart, Message, TextPart, ToolCall, ToolSpec
from modelverse_core.tokens import TOKENS_PER_IMAGE, TOKENS_PER_MESSAGE, count_message_tokens, count_text_tokens

CHINESE = "优刻得是一家中立、安全、可靠的云计算服务平台致力于为全球企业级客户提供全面的云服务解决方案。"


def test_english_and_chinese_follow_the_published_ratios() -> None:
    assert count_text_tokens("") == 0
    assert count_text_tokens("say hello to ucloud") == 6  # 19 characters at 0.3
    assert count_text_tokens(CHINESE) == math.ceil(len(CHINESE) * 0.6)
    assert count_text_tokens(CHINESE) > 2 * (len(CHINESE) // 4)  # four characters per token undercounts Chinese


def test_documented_prompt_count_is_matched_within_a_token() -> None:
    # The vendor's sample: [{"role": "user", "content": "say hello to ucloud"}] used 8 prompt tokens.
    assert abs(count_message_tokens([Message("user", "say hello to ucloud")]) - 8) <= 1


def test_each_message_adds_its_overhead() -> None:
    one = count_message_tokens([Message("user", "hi")])
    two = count_message_tokens([Message("user", "hi"), Message("assistant", "hi"), Message("user", "hi")])
    assert two - one == 2 * (TOKENS_PER_MESSAGE + count_text_tokens("hi"))


def test_tools_images_tool_calls_and_tool_results_count() -> None:
    base = [Message("user", "weather?")]
    tool = ToolSpec("get_weather", "Get the weather of a city.", {"type": "object", "properties": {"city": {}}})
    assert count_message_tokens(base, [tool]) > count_message_tokens(base) + 10
    image = [Message("user", (TextPart("weather?"), ImagePart("data:image/png;base64," + "A" * 4000)))]
    assert count_message_tokens(image) == count_message_tokens(base) + TOKENS_PER_IMAGE
    call = ToolCall.from_args("call_1", "get_weather", {"city": "上海"})
    loop = [*base, Message("assistant", "", tool_calls=(call,)), Message("tool", "晴", tool_call_id="call_1")]
    assert count_message_tokens(loop) > count_message_tokens(base) + 2 * TOKENS_PER_MESSAGE + 5


def test_reasoning_counts_where_the_policy_sends_it_back() -> None:
    thought = "Let me think about this carefully. " * 10
    history = [Message("user", "a"), Message("assistant", "b", reasoning=thought), Message("user", "c")]
    plain = count_message_tokens(history)  # auto drops an earlier plain answer's reasoning
    assert count_message_tokens(history, policy="never") == plain
    assert count_message_tokens(history, policy="always") == plain + count_text_tokens(thought)
