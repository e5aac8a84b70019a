"""Every example runs on its cassette, which ``make demo`` replays when no key is set."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.cassette_config import CASSETTES, ROOT

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers

EXAMPLES = {
    "langchain_chain": ["Reasoning: The user asks", "Answer:    You said", "Tokens:"],
    "langchain_streaming": ["[reasoning] The user asks", "[answer] You said", "[usage]"],
    "langchain_agent": [
        "Tool call: get_weather({'city': 'Shanghai'})",
        "Tool says: sunny",
        "Answer:    The tool returned",
        "Tool call: get_weather({'city': 'Beijing'})",
        "Answer:    The tool returned sunny, 24 degrees in Beijing.",
    ],
    "langchain_completions": [
        "Reasoning:  The user asks",
        "Completion: You said: Complete the sentence: The capital of France is",
        "Token:      '<think>\\n' logprob -0.25",
        "Tokens:     ",
        "(stop)",
        "[stream] You said: Complete the sentence: Once upon a time.",
    ],
    "llamaindex_chat": ["Reasoning: The user asks", "Answer:    You said", "Tokens:"],
    "llamaindex_streaming": ["[reasoning] The user asks", "[answer] You said", "[usage]"],
    "llamaindex_completions": [
        "Reasoning:  The user asks",
        "Completion: You said: Complete the sentence: The capital of France is",
        "Token:      '<think>\\n' -0.25",
        "Tokens:     ",
        "[stream] You said: Complete the sentence: Once upon a time.",
        "[chat] You said: user: Say hello.",
    ],
    "llamaindex_agent": [
        "Thinking:  The user asks",
        "Tool call: get_weather({'city': 'Shanghai'})",
        "Answer:    The tool returned",
        "Tool call: get_weather({'city': 'Beijing'})",
        "Answer:    The tool returned sunny, 24 degrees in Beijing.",
    ],
    "langchain_responses": [
        "Reasoning: The user asks",
        "Answer:    You said: Describe UCloud",
        "Response:  resp_",
        "Tool call: get_weather({'city': 'Shanghai'})",
        "Answer:    The tool returned sunny in Shanghai.",
        "Streamed:  You said: Say hello to UCloud.",
    ],
    "llamaindex_responses": [
        "Reasoning: The user asks",
        "Answer:    You said: Describe UCloud",
        "Response:  resp_",
        "Tool call: get_weather({'city': 'Shanghai'})",
        "Answer:    The tool returned sunny in Shanghai.",
    ],
}


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES / "examples")


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params["name"])


@pytest.mark.vcr
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_runs_and_shows_reasoning_answer_and_usage(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    spec = importlib.util.spec_from_file_location(f"example_{name}", ROOT / "examples" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()
    out = capsys.readouterr().out
    for expected in EXAMPLES[name]:
        assert expected in out, f"{expected!r} missing from:\n{out}"


def test_every_example_is_in_the_demo() -> None:
    import examples.run_all as run_all  # type: ignore[import-not-found]

    scripts = {
        p.stem for p in Path(ROOT / "examples").glob("*.py") if not p.stem.startswith("_") and p.stem != "run_all"
    }
    assert scripts == set(run_all.EXAMPLES) == set(EXAMPLES) | {"ray_batch"}  # ray_batch: test_ray_batch.py
