from __future__ import annotations

import dataclasses
import random

import pytest

from modelverse_core import StreamAccumulator, StreamDelta, parse_response, split_think
from modelverse_core.stream import StreamMeta
from modelverse_core.thinking import ThinkSplitter
from tests.core.helpers import load_json, load_sse

PAIRS = [
    ("r1_stream.sse", "r1_completion.json"),
    ("think_stream.sse", "think_completion.json"),
    ("tool_calls_stream.sse", "tool_calls_completion.json"),
]


def accumulate(name: str) -> StreamAccumulator:
    acc = StreamAccumulator()
    for chunk in load_sse(name):
        acc.add(chunk)
    return acc


@pytest.mark.parametrize(("stream", "completion"), PAIRS)
def test_stream_equals_the_non_streamed_response(stream: str, completion: str) -> None:
    streamed = accumulate(stream).result()
    whole = parse_response(load_json(completion))
    assert streamed.choices == whole.choices
    assert streamed.usage == whole.usage
    assert (streamed.id, streamed.model, streamed.created) == (whole.id, whole.model, whole.created)


def test_reasoning_arrives_before_content_and_usage_last() -> None:
    acc = StreamAccumulator()
    deltas = [d for chunk in load_sse("r1_stream.sse") for d in acc.add(chunk)]
    reasoning_at = [i for i, d in enumerate(deltas) if d.reasoning]
    content_at = [i for i, d in enumerate(deltas) if d.content]
    assert reasoning_at and content_at and max(reasoning_at) < min(content_at)
    assert deltas[-1].usage is not None and deltas[-1].usage.reasoning_tokens == 10
    assert all(d.usage is None for d in deltas[:-1])
    assert acc.finished


def test_think_tag_cut_across_chunks_never_leaks_into_content() -> None:
    acc = StreamAccumulator()
    deltas = [d for chunk in load_sse("think_stream.sse") for d in acc.add(chunk)]
    content = "".join(d.content for d in deltas)
    assert "<" not in content and content == "The answer is 4."
    assert "".join(d.reasoning for d in deltas) == "First, 2 + 2.\nThat is 4."


def test_tool_call_fragments_are_assembled_by_index() -> None:
    acc = StreamAccumulator()
    deltas = [d for chunk in load_sse("tool_calls_stream.sse") for d in acc.add(chunk)]
    fragments = [c for d in deltas for c in d.tool_calls]
    assert [f.index for f in fragments] == [0, 0, 1, 0, 1]
    assert fragments[0].id == "call_a" and fragments[0].name == "get_weather"
    partial = StreamAccumulator()
    for chunk in load_sse("tool_calls_stream.sse")[:3]:
        partial.add(chunk)
    (in_progress,) = partial.snapshot().tool_calls
    assert in_progress.arguments == '{"city": ' and in_progress.args is None
    calls = acc.result().tool_calls
    assert [c.args for c in calls] == [{"city": "上海"}, None]


def test_a_stream_without_finish_reason_is_not_finished() -> None:
    acc = StreamAccumulator()
    for chunk in load_sse("r1_stream.sse")[:4]:
        acc.add(chunk)
    assert not acc.finished
    so_far = acc.snapshot()
    assert so_far.reasoning == "The user wants a greeting for UCloud."
    assert so_far.content == "Hello, " and so_far.finish_reason is None


def test_sft_version_and_search_results_in_streams() -> None:
    acc = StreamAccumulator()
    chunk = {"id": "a", "model": "m:v1", "choices": [{"index": 0, "delta": {"content": "x"}, "finish_reason": "stop"}]}
    acc.add(chunk)
    (last,) = acc.add(
        {"id": "a", "model": "m:v1", "choices": [], "usage": {"prompt_tokens": 1}, "search_results": [{"t": 1}]}
    )
    assert last.model == "m" and last.model_version == "v1" and last.search_results == ({"t": 1},)
    result = acc.result()
    assert result.model_version == "v1" and result.search_results == ({"t": 1},)


def test_multiple_choices_are_kept_apart() -> None:
    acc = StreamAccumulator()
    for index, text in [(0, "a"), (1, "b"), (0, "c"), (1, "d")]:
        acc.add({"id": "n", "choices": [{"index": index, "delta": {"content": text}, "finish_reason": None}]})
    assert [c.content for c in acc.result().choices] == ["ac", "bd"]


THINK_TEXTS = [
    "<think>\nStep one.\n\nStep two.  \n</think>\n\nFinal answer.\n",
    "  <think>x</think>y",
    "no think at all, <think> inside",
    "<think>never closed  ",
    "<think>a</thinkx</think>b",
]


@pytest.mark.parametrize("text", THINK_TEXTS)
def test_splitter_gives_the_same_result_for_any_chunking(text: str) -> None:
    expected = split_think(text)
    rng = random.Random(len(text))
    for _ in range(200):
        cuts = sorted(rng.sample(range(1, len(text)), k=min(len(text) - 1, rng.randint(1, 8))))
        pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        splitter = ThinkSplitter()
        fed = [splitter.feed(p) for p in pieces] + [splitter.finish()]
        assert ("".join(r for r, _ in fed), "".join(c for _, c in fed)) == expected, pieces


def _call_chunks(*heads: str | None) -> list[dict[str, object]]:
    """Two fragments per call, the server's id (maybe blank) on the first, as DeepSeek-style servers send them."""
    chunks: list[dict[str, object]] = []
    for index, call_id in enumerate(heads):
        head = {"index": index, "id": call_id, "type": "function", "function": {"name": f"f{index}", "arguments": ""}}
        tail = {"index": index, "id": call_id, "function": {"arguments": "{}"}}
        for call in (head, tail):
            chunks.append(
                {"id": " ", "choices": [{"index": 0, "delta": {"tool_calls": [call]}, "finish_reason": None}]}
            )
    chunks.append({"id": " ", "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]})
    return chunks


@pytest.mark.parametrize("heads", [(" ", " "), ("call_a", "call_a"), (None, "")])
def test_streamed_tool_calls_get_unique_ids_once(heads: tuple[str | None, ...]) -> None:
    acc = StreamAccumulator()
    deltas = [d for chunk in _call_chunks(*heads) for d in acc.add(chunk)]
    fragments = [c for d in deltas for c in d.tool_calls]
    ids = [f.id for f in fragments]
    assert ids[1] is None and ids[3] is None  # an id travels once per call, so merged chunks keep it whole
    assert ids[0] and ids[2] and ids[0] != ids[2]
    assert [c.id for c in acc.snapshot().tool_calls] == [ids[0], ids[2]]
    assert [c.id for c in acc.result().tool_calls] == [ids[0], ids[2]]
    assert all(d.id is None for d in deltas)  # the blank response id


def test_stream_meta_lists_the_delta_fields_it_fills_in_their_order() -> None:
    """Deltas are built positionally from a ``StreamMeta``: its fields must be the delta's, in order."""
    names = [f.name for f in dataclasses.fields(StreamDelta)]
    assert names[:6] == ["index", "content", "reasoning", "tool_calls", "finish_reason", "usage"]
    assert names[6:] == [*StreamMeta._fields, "token_logprobs"]


def test_a_snapshot_parses_again_only_the_calls_that_got_new_arguments() -> None:
    """Snapshots per chunk would otherwise parse every call's whole arguments again on every chunk."""
    acc = StreamAccumulator()
    snapshots = []
    for chunk in load_sse("tool_calls_stream.sse"):
        acc.add(chunk)
        snapshots.append(acc.snapshot().tool_calls)
    # chunk 5 adds to call 1 only: call 0 is the very object built after chunk 4
    assert snapshots[5][0] is snapshots[4][0] and snapshots[5][1] is not snapshots[4][1]
    assert snapshots[4][0].args == {"city": "上海"} and snapshots[5][1].arguments == '{"zone": "UTC"'
    assert acc.result().choices[0].tool_calls == snapshots[-1]


LONG_ARGUMENTS = [
    '{"path": "a.py", "content": "def f(x):\\n    return \\"x\\" * 2  # \\\\ done\\t"}',
    '{"text": "caf\\u00e9 \\ud83d\\ude00 and \\ud83d alone, \\/ and \\b\\f\\r", "n": [1, 2.5e3, true, null]}',
    '{"k\\"ey": {"nested": ["a\\\\", "b"]}, "raw": "上海 ✓"}',
    '{"bad": "line\nbreak", "after": "x"}',  # a raw control character: never valid
    '{"bad": "\\x41 \\u12zz", "after": "x"}',  # invalid escapes
    '{"a": "unterminated at the very end',
]


@pytest.mark.parametrize("arguments", LONG_ARGUMENTS)
@pytest.mark.parametrize("seed", range(6))
def test_every_snapshot_of_a_streamed_call_equals_parsing_its_arguments_so_far(arguments: str, seed: int) -> None:
    """However the arguments are cut, each snapshot is what decoding the text so far gives, error included."""
    from modelverse_core.stream import ToolCallParts
    from modelverse_core.types import ToolCall

    rng = random.Random(seed)
    parts, sent = ToolCallParts("call_1", "write"), ""
    while len(sent) < len(arguments):
        piece = arguments[len(sent) : len(sent) + rng.choice([1, 1, 2, 3, 5])]
        parts.append(piece)
        sent += piece
        assert parts.build() == ToolCall.from_arguments("call_1", "write", sent)


def test_a_long_string_argument_is_not_parsed_again_while_it_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces that cannot end the string being streamed keep the last error without decoding everything again."""
    from modelverse_core.types import ToolCall
    from modelverse_core.wire import common as stream

    decoded: list[str] = []
    decode = ToolCall.from_arguments

    def counting(call_id: str, name: str, arguments: str) -> ToolCall:
        decoded.append(arguments)
        return decode(call_id, name, arguments)

    monkeypatch.setattr(stream.ToolCall, "from_arguments", counting)
    parts = stream.ToolCallParts("call_1", "write")
    for piece in ['{"path": "a.py", "content": "', *(["line of code "] * 1000), '"}']:
        parts.append(piece)
        parts.build()
    assert parts.build().args == {"path": "a.py", "content": "line of code " * 1000}
    assert len(decoded) == 2  # the opening, which ends inside the string, and the closing quote


@dataclasses.dataclass(frozen=True, slots=True)
class _GeneratedToolCallDelta:
    """``ToolCallDelta`` as declared, with the ``__init__`` a dataclass generates."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


def test_a_tool_call_delta_is_built_as_the_dataclass_would_build_it() -> None:
    """Its own ``__init__`` takes what the generated one would, sets every field, and the delta stays frozen."""
    import inspect

    from modelverse_core.types import ToolCallDelta

    fields = [(f.name, f.type, f.default) for f in dataclasses.fields(ToolCallDelta)]
    assert fields == [(f.name, f.type, f.default) for f in dataclasses.fields(_GeneratedToolCallDelta)]
    parameters = [(p.name, p.kind, p.default) for p in inspect.signature(ToolCallDelta).parameters.values()]
    generated = inspect.signature(_GeneratedToolCallDelta).parameters.values()
    assert parameters == [(p.name, p.kind, p.default) for p in generated]
    for args, kwargs in [((0,), {}), ((3, "call_1", "get_weather", '{"a": '), {}), ((1,), {"arguments": "x"})]:
        delta = ToolCallDelta(*args, **kwargs)  # type: ignore[arg-type]
        assert dataclasses.astuple(delta) == dataclasses.astuple(_GeneratedToolCallDelta(*args, **kwargs))  # type: ignore[arg-type]
        assert delta == ToolCallDelta(*args, **kwargs) and hash(delta) == hash(ToolCallDelta(*args, **kwargs))  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        delta.arguments = "y"  # type: ignore[misc]
