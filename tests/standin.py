"""A local stand-in for the ModelVerse chat API, on 127.0.0.1, built to the documented wire format.

It answers deterministically from the request, so recordings are stable:
reasoning models send ``reasoning_content`` (the MaaS distills inline
``<think>`` instead), tools are called with arguments drawn from the prompt and
the schema, JSON modes answer JSON, streams send the documented chunk shapes
with keep-alive comments and a final usage chunk, and the documented errors
are returned for the documented conditions:

- ``invalid_token``: the key ``sk-invalid`` (or none);
- ``invalid_model``: a model the service does not list;
- ``invalid_messages``: a message containing ``SENSITIVE-CONTENT``;
- ``tokens_too_long``: a prompt beyond the model's context (``test/tiny-context`` has 64 tokens);
- ``characters_too_long``: ``max_completion_tokens`` above the model's output limit;
- ``invalid_request_error``: consecutive same-role messages for a model the catalog
  documents with strict alternation (the DeepSeek models), and, for the thinking-mode
  model ``test/deepseek-thinking``, an assistant message with tool calls that lacks its
  ``reasoning_content``, in any earlier turn (as DeepSeek's thinking mode refuses it).

The ``X-Standin-Fault`` request header injects transport faults for the
reliability tests (see :data:`FAULTS`). Every request is logged in ``requests``.

Shapes other OpenAI-compatible servers send, for the tests of what the code accepts:

- the ``X-Standin-Shape`` request header streams tool calls as another server does (see :data:`SHAPES`);
- ``stream_options.continuous_usage_stats`` (vLLM, SGLang) puts the running usage on every chunk;
- the thinking-mode model ``test/deepseek-thinking`` (and any model, under the fault
  ``refuse-forced-tool-choice``) refuses a forced ``tool_choice`` as DeepSeek's API does:
  400, "deepseek-reasoner does not support this tool_choice".
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from modelverse_core.catalog import CATALOG

INVALID_KEY = "sk-invalid"
SENSITIVE_MARKER = "SENSITIVE-CONTENT"
DEFAULT_OUTPUT_LIMIT = 16384
TEST_MODELS = {
    "test/tiny-context": 64,
    "test/unknown-model": 32768,
    "sft/qwen3-support-bot": 32768,
    "test/deepseek-thinking": 131072,
}
THINKING_MODELS = {"test/deepseek-thinking"}
"""Models that reason and refuse tool-calling history without its reasoning; unknown to the catalog."""
SFT_VERSION = "mv-20251101-7f3a"
INLINE_THINKERS = {"deepseek-r1-distill-qwen-32b", "qwq-32b"}
CREATED = 1763020876
RESPONSE_ID = " "
"""The ``id`` of every answer, as in the vendor's examples; the request id is the ``x-request-id`` header."""


def listed_models() -> list[str]:
    """The ids ``GET /v1/models`` returns."""
    return [info.id for info in CATALOG] + list(TEST_MODELS)


@dataclass
class Plan:
    """What one choice says: reasoning, answer, tool calls."""

    reasoning: str = ""
    content: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    finish_reason: str = "stop"


class ServiceError(Exception):
    """A documented error response."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    def body(self) -> bytes:
        error = {"message": self.message, "type": "invalid_request_error", "code": self.code, "param": None}
        return json.dumps({"error": error}).encode()


# ---------------------------------------------------------------- request reading


def text_of(content: Any) -> str:
    """The text of a message content, string or parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def has_image(messages: list[dict[str, Any]]) -> bool:
    return any(
        isinstance(m.get("content"), list) and any(p.get("type") == "image_url" for p in m["content"]) for m in messages
    )


def count_tokens(text: str) -> int:
    """A deterministic token estimate: words and punctuation runs."""
    return len(re.findall(r"\w+|[^\w\s]", text))


def prompt_tokens(messages: list[dict[str, Any]]) -> int:
    return sum(count_tokens(text_of(m.get("content"))) + 3 for m in messages)


def check_request(body: dict[str, Any], key: str | None) -> None:
    """Raise the documented error the service would answer with, if any."""
    if not key or key == INVALID_KEY:
        raise ServiceError("invalid_token", "Validate Certification failed")
    model = str(body.get("model", ""))
    base = model.partition(":")[0]
    if base not in listed_models() and base.lower() not in {m.lower() for m in listed_models()}:
        raise ServiceError("invalid_model", "No permission to use the model")
    messages = body.get("messages") or []
    if any(SENSITIVE_MARKER in text_of(m.get("content")) for m in messages):
        raise ServiceError("invalid_messages", "Sensitive information")
    context = TEST_MODELS.get(base) or CATALOG.get(base).context_window
    if prompt_tokens(messages) > context:
        raise ServiceError("tokens_too_long", "Prompt tokens too long")
    limit = CATALOG.get(base).max_output_tokens or DEFAULT_OUTPUT_LIMIT
    requested = body.get("max_completion_tokens") or body.get("max_tokens")
    if isinstance(requested, int) and requested > limit:
        raise ServiceError("characters_too_long", f"output token limit {limit}")
    if CATALOG.get(base).alternating_roles:
        check_alternation(messages)
    if base in THINKING_MODELS:
        check_reasoning_kept(messages)
        check_tool_choice(body, refuse_forced=True)


FORCED_CHOICE_REFUSAL = "deepseek-reasoner does not support this tool_choice"


def check_tool_choice(body: dict[str, Any], refuse_forced: bool) -> None:
    """DeepSeek's thinking mode: a forced ``tool_choice`` (a named tool, or ``required``) is refused."""
    choice = body.get("tool_choice")
    if refuse_forced and (choice == "required" or isinstance(choice, dict)):
        raise ServiceError("invalid_request_error", FORCED_CHOICE_REFUSAL)


def check_alternation(messages: list[dict[str, Any]]) -> None:
    """Strict alternation: no two consecutive system, user or assistant messages."""
    for position in range(1, len(messages)):
        role = messages[position].get("role")
        if role != "tool" and role == messages[position - 1].get("role"):
            raise ServiceError("invalid_request_error", f"messages[{position}]: roles must alternate, got two {role}")


def check_reasoning_kept(messages: list[dict[str, Any]]) -> None:
    """Thinking mode: every assistant message that called tools must carry its reasoning."""
    for position, message in enumerate(messages):
        if message.get("role") == "assistant" and message.get("tool_calls") and not message.get("reasoning_content"):
            raise ServiceError(
                "invalid_request_error",
                f"Missing `reasoning_content` field in the assistant message at message index {position}",
            )


# ---------------------------------------------------------------- answering


def numbers_in(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def quoted_in(text: str) -> list[str]:
    return [a or b for a, b in re.findall(r"'([^']+)'|\"([^\"]+)\"", text)]


class ValueSource:
    """Values for a JSON schema, drawn from the prompt where it offers them."""

    def __init__(self, text: str) -> None:
        self.numbers = numbers_in(text)
        self.strings = quoted_in(text)
        self.text = text

    def value(self, schema: Mapping[str, Any], name: str, defs: Mapping[str, Any]) -> Any:
        if "$ref" in schema:
            return self.value(defs.get(schema["$ref"].split("/")[-1], {}), name, defs)
        for key in ("anyOf", "oneOf", "allOf"):
            options = [s for s in schema.get(key, []) if s.get("type") != "null"]
            if options:
                return self.value(options[0], name, defs)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type", "string")
        kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
        if kind == "object":
            return self.obj(schema, defs)
        if kind == "array":
            return [self.value(schema.get("items", {}), name, defs)]
        if kind in ("integer", "number"):
            number = self.numbers.pop(0) if self.numbers else 1
            return int(number) if kind == "integer" else number
        if kind == "boolean":
            return True
        return self.strings.pop(0) if self.strings else f"{name} ({self.text[:40]})"

    def obj(self, schema: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
        defs = {**defs, **schema.get("$defs", {}), **schema.get("definitions", {})}
        return {name: self.value(sub, name, defs) for name, sub in (schema.get("properties") or {}).items()}


def last_user_text(messages: list[dict[str, Any]]) -> str:
    return next((text_of(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), "")


def choose_tools(body: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """The tools to call: the forced one, those the prompt names, else the first."""
    tools = [t["function"] for t in body.get("tools") or [] if t.get("type") == "function"]
    choice = body.get("tool_choice", "auto")
    if not tools or choice == "none":
        return []
    if isinstance(choice, dict):
        return [t for t in tools if t["name"] == choice["function"]["name"]]
    named = [t for t in tools if t["name"].lower() in text.lower()]
    if named and body.get("parallel_tool_calls") is not False:
        return named
    return named[:1] or tools[:1]


def tool_call(function: dict[str, Any], text: str, position: int, broken: bool = False) -> dict[str, Any]:
    args = ValueSource(text).obj(function.get("parameters") or {}, {})
    call_id = f"call_{position}_{zlib.crc32((function['name'] + text).encode()):08x}"
    arguments = json.dumps(args, ensure_ascii=False)
    if broken:
        arguments = arguments[:-1].replace('"', "", 1)
    return {"id": call_id, "type": "function", "function": {"name": function["name"], "arguments": arguments}}


def json_answer(body: dict[str, Any], text: str) -> str | None:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return json.dumps(ValueSource(text).obj(fmt["json_schema"].get("schema") or {}, {}), ensure_ascii=False)
    if fmt.get("type") == "json_object":
        keys = quoted_in(text) or ["answer"]
        return json.dumps({k: f"{k} about {text[:30]}" for k in keys}, ensure_ascii=False)
    return None


def answer_text(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    if messages and messages[-1].get("role") == "tool":
        results = [text_of(m.get("content")) for m in messages if m.get("role") == "tool"]
        return f"The tool returned {results[-1]}."
    text = last_user_text(messages)
    if has_image(messages):
        return f"I see an image. You asked: {text.rstrip(' .')}."
    return f"You said: {text.rstrip(' .')}. This is the stand-in answering as {body.get('model')}."


REACT_TOOL = re.compile(r"> Tool Name: (\S+)\nTool Description: .*?\nTool Args: (\{.*?\})\n", re.S)


def react_answer(messages: list[dict[str, Any]]) -> str | None:
    """ReAct-format text when the system prompt asks for it (LlamaIndex's ReActAgent)."""
    system = text_of(messages[0].get("content")) if messages and messages[0].get("role") == "system" else ""
    if "Action Input:" not in system:
        return None
    later = "\n".join(text_of(m.get("content")) for m in messages[1:])
    observations = re.findall(r"Observation: (.*)", later)
    if observations:
        final = observations[-1].strip()
        return f"Thought: I can answer without using any more tools.\nAnswer: The tool returned {final}."
    question = next(text_of(m.get("content")) for m in messages if m.get("role") == "user")
    tools = REACT_TOOL.findall(system)
    if not tools:
        return f"Thought: I can answer without using any more tools.\nAnswer: You said: {question}"
    name, schema = next(((n, sc) for n, sc in tools if n.lower() in question.lower()), tools[0])
    args = json.dumps(ValueSource(question).obj(json.loads(schema), {}), ensure_ascii=False)
    return f"Thought: I need to use a tool to help me answer the question.\nAction: {name}\nAction Input: {args}"


def plan_for(body: dict[str, Any]) -> Plan:
    """Decide the reply to a valid request."""
    messages = body.get("messages") or []
    text = last_user_text(messages)
    base = str(body.get("model", "")).partition(":")[0]
    reasons = CATALOG.get(base).reasoning or base in THINKING_MODELS
    reasoning = f"The user asks: {text[:60]} I should answer briefly." if reasons else ""
    react = react_answer(messages)
    if react is not None:
        return apply_limits(Plan(reasoning=reasoning, content=react), body)
    if messages and messages[-1].get("role") == "user":
        broken = bool(body.get("_break_tool_arguments"))
        calls = [tool_call(t, text, i, broken) for i, t in enumerate(choose_tools(body, text))]
        if body.get("_blank_tool_call_ids"):
            calls = [{**call, "id": " "} for call in calls]
        if calls:
            return Plan(reasoning=reasoning, tool_calls=calls, finish_reason="tool_calls")
    content = json_answer(body, text) or answer_text(body)
    return apply_limits(Plan(reasoning=reasoning, content=content), body)


def apply_limits(plan: Plan, body: dict[str, Any]) -> Plan:
    """Honour ``stop`` and ``max_completion_tokens``."""
    for word in body.get("stop") or []:
        if word and word in plan.content:
            plan.content = plan.content[: plan.content.index(word)]
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if isinstance(limit, int):
        words = (plan.reasoning + " " + plan.content).split()
        if len(words) > limit:
            reasoning_words = len(plan.reasoning.split())
            plan.reasoning = " ".join(words[: min(limit, reasoning_words)])
            plan.content = " ".join(words[reasoning_words:limit])
            plan.finish_reason = "length"
    return plan


def usage_for(body: dict[str, Any], plans: list[Plan]) -> dict[str, Any]:
    messages = body.get("messages") or []
    prompt = prompt_tokens(messages)
    cached = prompt_tokens(messages[:-1]) // 64 * 64
    reasoning = sum(count_tokens(p.reasoning) for p in plans)
    completion = reasoning + sum(
        count_tokens(p.content) + sum(count_tokens(json.dumps(c)) for c in p.tool_calls) for p in plans
    )
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"audio_tokens": 0, "cached_tokens": cached},
        "completion_tokens_details": {
            "audio_tokens": 0,
            "reasoning_tokens": reasoning,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def response_model(body: dict[str, Any]) -> str:
    model = str(body.get("model"))
    return f"{model}:{SFT_VERSION}" if model.startswith("sft/") else model


def visible(plan: Plan, model: str) -> tuple[str, str]:
    """``(reasoning_content, content)`` as sent: inline thinkers put reasoning in a think tag."""
    if plan.reasoning and model.lower() in INLINE_THINKERS:
        return "", f"<think>\n{plan.reasoning}\n</think>\n\n{plan.content}"
    return plan.reasoning, plan.content


def search_results(body: dict[str, Any]) -> list[dict[str, Any]] | None:
    if not body.get("web_search"):
        return None
    query = last_user_text(body.get("messages") or [])[:40]
    return [{"index": 1, "title": f"Result for {query}", "url": "https://www.ucloud.cn/", "content": "UCloud"}]


def logprobs_for(content: str) -> dict[str, Any]:
    return {
        "content": [
            {"token": w, "logprob": -0.25, "bytes": list(w.encode()), "top_logprobs": []} for w in content.split()
        ]
    }


def completion_body(body: dict[str, Any], response_id: str) -> dict[str, Any]:
    """A non-streamed ``chat.completion`` whose ``id`` is ``response_id``."""
    plans = [plan_for(body) for _ in range(int(body.get("n") or 1))]
    choices = []
    for index, plan in enumerate(plans):
        reasoning, content = visible(plan, str(body.get("model")))
        message: dict[str, Any] = {"role": "assistant", "content": content or ("" if not plan.tool_calls else None)}
        if reasoning:
            message["reasoning_content"] = reasoning
        if plan.tool_calls:
            message["tool_calls"] = plan.tool_calls
        choice = {"index": index, "message": message, "finish_reason": plan.finish_reason}
        if body.get("logprobs"):
            choice["logprobs"] = logprobs_for(content)
        choices.append(choice)
    return {
        "id": response_id,
        "object": "chat.completion",
        "created": CREATED,
        "model": response_model(body),
        "choices": choices,
        "usage": usage_for(body, plans),
        "system_fingerprint": "",
        "search_results": search_results(body),
    }


def words(text: str) -> list[str]:
    return re.findall(r"\S+\s*|\s+", text)


SHAPES = {
    "dashscope-tool-calls": "parallel tool calls streamed under one index, each call with its own id",
    "ollama-tool-calls": "each tool call whole in one fragment, every one with index 0",
    "null-index-tool-calls": "tool-call fragments with index null, the id only on each call's first fragment",
}
"""Values of the ``X-Standin-Shape`` header: how a streamed answer's tool calls are sent."""


def tool_call_fragments(position: int, call: dict[str, Any], shape: str | None) -> Iterator[dict[str, Any]]:
    """The ``tool_calls`` delta entries that stream one call: head (id, name), then the arguments in thirds."""
    name, arguments = call["function"]["name"], call["function"]["arguments"]
    shared = {"dashscope-tool-calls": 0, "ollama-tool-calls": 0, "null-index-tool-calls": None}
    index = shared.get(shape or "", position)
    head = {"index": index, "id": call["id"], "type": "function"}
    if shape == "ollama-tool-calls":
        yield {**head, "function": {"name": name, "arguments": arguments}}
        return
    yield {**head, "function": {"name": name, "arguments": ""}}
    third = max(1, len(arguments) // 3)
    for start in range(0, len(arguments), third):
        yield {"index": index, "function": {"arguments": arguments[start : start + third]}}


def running_usage(body: dict[str, Any], completion: int, reasoning: int) -> dict[str, Any]:
    """The usage of a request so far, as servers with ``continuous_usage_stats`` report it on every chunk."""
    usage = usage_for(body, [])
    usage.update(completion_tokens=completion, total_tokens=usage["prompt_tokens"] + completion)
    usage["completion_tokens_details"]["reasoning_tokens"] = reasoning
    return usage


def stream_events(body: dict[str, Any], response_id: str, shape: str | None = None) -> Iterator[str]:
    """The SSE lines of a streamed completion whose chunks carry ``response_id``, ``[DONE]`` included.

    ``shape`` (a key of :data:`SHAPES`) sends the tool calls as another server does.
    """
    plans = [plan_for(body) for _ in range(int(body.get("n") or 1))]
    options = body.get("stream_options") or {}
    include_usage = bool(options.get("include_usage"))
    continuous = bool(options.get("continuous_usage_stats"))
    base = {"id": response_id, "object": "chat.completion.chunk", "created": CREATED, "model": response_model(body)}
    base["system_fingerprint"] = ""
    sent = {"completion": 0, "reasoning": 0}

    def chunk(index: int, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        data = {**base, "choices": [{"index": index, "delta": delta, "finish_reason": finish, **extra}]}
        if continuous:
            done = finish is not None and index == len(plans) - 1
            data["usage"] = usage_for(body, plans) if done else running_usage(body, **sent)
        elif include_usage:
            data["usage"] = None
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    for index, plan in enumerate(plans):
        reasoning, content = visible(plan, str(body.get("model")))
        yield chunk(index, {"role": "assistant", "content": ""})
        yield ": keep-alive\n\n"
        for piece in words(reasoning):
            sent["completion"] += count_tokens(piece)
            sent["reasoning"] += count_tokens(piece)
            yield chunk(index, {"reasoning_content": piece, "content": None})
        for piece in words(content):
            sent["completion"] += count_tokens(piece)
            extra = {"logprobs": logprobs_for(piece)} if body.get("logprobs") else {}
            yield chunk(index, {"content": piece}, **extra)
        for position, call in enumerate(plan.tool_calls):
            sent["completion"] += count_tokens(json.dumps(call))
            for fragment in tool_call_fragments(position, call, shape):
                yield chunk(index, {"tool_calls": [fragment]})
        yield chunk(index, {}, plan.finish_reason)
    results = search_results(body)
    if include_usage or results:
        final = {**base, "choices": [], "usage": usage_for(body, plans) if include_usage else None}
        if results:
            final["search_results"] = results
        yield f"data: {json.dumps(final, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


# ---------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    """One inference endpoint: its request read as chat (for the documented checks), its answer, its stream.

    ``answer`` and ``stream`` take the body, the answer's ``id`` and the request headers.
    """

    as_chat: Callable[[dict[str, Any]], dict[str, Any]]
    answer: Callable[[dict[str, Any], str, Mapping[str, str]], dict[str, Any]]
    stream: Callable[[dict[str, Any], str, Mapping[str, str]], Iterator[str]]


ROUTES: dict[str, Route] = {
    "/v1/chat/completions": Route(
        lambda body: body,
        lambda body, response_id, _: completion_body(body, response_id),
        lambda body, response_id, headers: stream_events(body, response_id, headers.get("X-Standin-Shape")),
    ),
}
"""``POST`` paths the stand-in answers; each further endpoint's module adds its own route."""


# ---------------------------------------------------------------- faults

FAULTS = {
    "retry-429": "429 with Retry-After: 0 on the first attempt, then a normal answer",
    "always-429": "429 with Retry-After: 0 on every attempt",
    "always-500": "500 on every attempt",
    "always-502": "502 on every attempt",
    "always-503": "503 on every attempt",
    "html-502": "502 with an HTML body",
    "not-envelope-500": "500 with a JSON body that is not the error envelope",
    "empty-500": "500 with an empty body",
    "bad-request": "400 with the error envelope (never retried)",
    "drop-before-answer": "a connection reset after the request is read, before any answer",
    "drop-mid-stream": "a stream that breaks its connection after three events",
    "eof-mid-stream": "a stream that ends cleanly after three events, with no finish reason",
    "malformed-event": "a stream with an event that is not JSON",
    "error-event": "a stream that carries an error object as its second event",
    "split-utf8": "a stream whose UTF-8 characters are cut across network writes",
    "stall": "no answer for 5 seconds",
    "stall-mid-stream": "a stream that stops sending for 5 seconds after three events",
    "slow-stream": "a stream that sends one event every 50 ms, 200 events",
    "invalid-tool-arguments": "tool calls whose arguments are not valid JSON",
    "blank-tool-call-ids": 'tool calls whose ids are all " "',
    "failed-event": "a /v1/responses stream that carries a response.failed event as its second write",
    "refuse-forced-tool-choice": "400 for a forced tool_choice, as DeepSeek's thinking mode answers",
    "gzip-plain-stream": "a stream whose headers declare gzip but whose bytes are plain",
}
STALL_SECONDS = 5.0


class StandinServer(ThreadingHTTPServer):
    """The server; ``requests`` logs every request's path, headers, JSON body and (for POSTs) peer address."""

    daemon_threads = True
    request_queue_size = 256  # the listen backlog: socketserver's default of 5 overflows under load

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), Handler)
        self.requests: list[dict[str, Any]] = []
        self.attempts: dict[str, int] = {}
        self.counter = 0
        self.lock = threading.Lock()
        self.active_connections = 0
        self.peak_connections = 0
        self.client_disconnected = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, cancellations) are part of the tests, not errors."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def start(self) -> StandinServer:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def next_id(self) -> str:
        with self.lock:
            self.counter += 1
            return f"chatcmpl-standin-{self.counter:05d}"

    def connection_opened(self) -> None:
        with self.lock:
            self.active_connections += 1
            self.peak_connections = max(self.peak_connections, self.active_connections)

    def connection_closed(self) -> None:
        with self.lock:
            self.active_connections -= 1

    def count_attempt(self, key: str) -> int:
        with self.lock:
            self.attempts[key] = self.attempts.get(key, 0) + 1
            return self.attempts[key]


class Handler(BaseHTTPRequestHandler):
    """Routes ``GET /v1/models`` and ``POST /v1/chat/completions``."""

    server: StandinServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def setup(self) -> None:
        super().setup()
        self.server.connection_opened()

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.connection_closed()

    def do_GET(self) -> None:
        self.server.requests.append({"path": self.path, "headers": dict(self.headers), "body": None})
        if self.path.rstrip("/") != "/v1/models":
            return self.send_json(
                404, {"error": {"message": "not found", "type": "invalid_request_error", "code": None}}
            )
        data = [
            {"id": m, "object": "model", "created": CREATED, "owned_by": "UCloud_UModelverse"} for m in listed_models()
        ]
        self.send_json(200, {"object": "list", "data": data})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        body = json.loads(raw or b"{}")
        self.server.requests.append(
            {"path": self.path, "headers": dict(self.headers), "body": body, "peer": self.client_address}
        )
        route = ROUTES.get(self.path.rstrip("/"))
        if route is None:
            return self.send_json(
                404, {"error": {"message": "not found", "type": "invalid_request_error", "code": None}}
            )
        fault = self.headers.get("X-Standin-Fault")
        if fault and self.fault_before_answer(fault):
            return
        key = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        request_id = self.server.next_id()
        try:
            check_request(route.as_chat(body), key)
            check_tool_choice(body, refuse_forced=fault == "refuse-forced-tool-choice")
        except ServiceError as err:
            return self.send_bytes(err.status, err.body(), "application/json", request_id)
        if fault == "invalid-tool-arguments":
            body = {**body, "_break_tool_arguments": True}
        if fault == "blank-tool-call-ids":
            body = {**body, "_blank_tool_call_ids": True}
        if body.get("stream"):
            return self.send_stream(list(route.stream(body, RESPONSE_ID, self.headers)), fault, request_id)
        self.send_json(200, route.answer(body, RESPONSE_ID, self.headers), request_id)

    # -- plain answers

    def send_bytes(self, status: int, data: bytes, content_type: str, request_id: str = "", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if request_id:
            self.send_header("x-request-id", request_id)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, status: int, body: Any, request_id: str = "") -> None:
        self.send_bytes(status, json.dumps(body, ensure_ascii=False).encode(), "application/json", request_id)

    # -- faults

    def fault_before_answer(self, fault: str) -> bool:
        """Answer with a status fault; ``True`` if the request is done."""
        attempt = self.server.count_attempt(fault + (self.headers.get("X-Standin-Run") or ""))
        error = {"error": {"message": "rate limited", "type": "rate_limit_error", "code": None}}
        if (fault == "retry-429" and attempt == 1) or fault == "always-429":
            self.send_bytes(429, json.dumps(error).encode(), "application/json", Retry_After="0", Retry_After_Ms="10")
            return True
        statuses = {"always-500": 500, "always-502": 502, "always-503": 503}
        if fault in statuses:
            body = {"error": {"message": "upstream failure", "type": "server_error", "code": None}}
            self.send_bytes(
                statuses[fault], json.dumps(body).encode(), "application/json", Retry_After="0", Retry_After_Ms="10"
            )
            return True
        plain = {
            "html-502": (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
            "not-envelope-500": (500, b'{"status": "broken", "detail": [1, 2]}', "application/json"),
            "empty-500": (500, b"", "application/json"),
        }
        if fault in plain:
            status, data, kind = plain[fault]
            self.send_bytes(status, data, kind, Retry_After="0", Retry_After_Ms="10")
            return True
        if fault == "bad-request":
            bad = ServiceError("invalid_request", "messages: bad request")
            self.send_bytes(400, bad.body(), "application/json")
            return True
        if fault == "drop-before-answer":
            self.reset_connection()
            return True
        if fault == "stall":
            time.sleep(STALL_SECONDS)
        return False

    # -- streams

    def send_stream(self, events: list[str], fault: str | None, request_id: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("x-request-id", request_id)
        self.send_header("Connection", "close")
        if fault == "gzip-plain-stream":
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.close_connection = True
        for position, event in enumerate(self.shape_stream(events, fault)):
            if position == 3 and fault in ("drop-mid-stream", "eof-mid-stream", "stall-mid-stream"):
                self.end_stream_early(fault)
                return
            if not self.write(event):
                self.server.client_disconnected.set()
                return
            if fault == "slow-stream":
                time.sleep(0.05)

    def shape_stream(self, events: list[str], fault: str | None) -> list[bytes]:
        data = [e.encode() for e in events]
        if fault == "malformed-event":
            data.insert(2, b"data: {not json\n\n")
        elif fault == "error-event" and not data[0].startswith(b"event: "):  # typed streams send their own
            error = {
                "error": {
                    "message": "Sensitive information",
                    "type": "invalid_request_error",
                    "code": "invalid_messages",
                }
            }
            data.insert(1, f"data: {json.dumps(error)}\n\n".encode())
        elif fault == "split-utf8":
            whole = b"".join(data)
            data = [whole[i : i + 7] for i in range(0, len(whole), 7)]
        elif fault == "slow-stream":
            data = data[:2] + [data[2]] * 200 + data[-3:]
        return data

    def end_stream_early(self, fault: str | None) -> None:
        if fault == "stall-mid-stream":
            time.sleep(STALL_SECONDS)
            return
        if fault == "drop-mid-stream":
            self.reset_connection()
        self.wfile.flush()

    def reset_connection(self) -> None:
        """Close the connection with a reset (RST), not a clean end, once this handler returns."""
        import socket

        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.close_connection = True

    def write(self, data: bytes) -> bool:
        """Send one piece; ``False`` when the client has gone."""
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return False
        return True


def main() -> None:
    """Run the stand-in in the foreground: ``python -m tests.standin [port]``."""
    server = StandinServer(port=int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
    print(f"stand-in ModelVerse API on {server.base_url}", flush=True)
    server.serve_forever()


from tests import standin_completions, standin_responses  # noqa: E402, F401  (each adds its route; both import this module)

if __name__ == "__main__":
    from tests.standin import main as run  # the imported module, whose ROUTES the other endpoints extended

    run()
