"""Every example runs on its cassette, which ``make demo`` replays when no key is set, and holds no replay code."""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys

import pytest

from modelverse_core.settings import API_KEY_ENV, BASE_URL_ENV
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
    "langchain_structured_output": [
        "City:      Shanghai, China, 24.9 million",
        "Parsed:    City(name='Shanghai', country='China', population_millions=24.9)",
        "Tool call: City({'name': 'Shanghai', 'country': 'China', 'population_millions': 24.9})",
        "Error:     None",
        "Tokens:    ",
    ],
    "langchain_errors": [
        "Construction:    Value error, temperature: must be a number in [0.0, 2.0] (got 3.0)",
        "Before sending:  stop: at most 4 entries",
        "modelverse_core: check the key and its models: AuthenticationError 400 invalid_token",
        "openai:          check the key and its models: PermissionDeniedError 400 invalid_model",
        "langchain_core:  check the key and its models: AuthenticationError",
        "No error:        You said: Say hello.",
    ],
    "langchain_batch": [
        "batch, at most 4 requests at once:\n  [You said: Label the sentiment of this review as positive, negative "
        "or mixed, in one word. Review: The battery lasts two days",
        "abatch, at most 8 requests at once:\n  [You said: Name the topic of this review in one or two words. "
        "Review: The battery lasts two days",
        "Review: Quiet, light and the price was fair. This is the stand-in answering as "
        "deepseek-ai/DeepSeek-V3-0324.] Quiet, light and the price was fair\n  ",
        "tokens in all",
    ],
    "llamaindex_chat": ["Reasoning: The user asks", "Answer:    You said", "Tokens:"],
    "llamaindex_structured_output": [
        "City:      Shanghai, China, 24.9 million",
        "Parsed:    City(name='Shanghai', country='China', population_millions=24.9)",
        'As JSON:   {"name":"Shanghai","country":"China","population_millions":24.9}',
    ],
    "llamaindex_errors": [
        "Construction:    Value error, reasoning_effort: must be one of none, minimal, low, medium, high, xhigh",
        "Before sending:  top_p: must be a number in [0.0, 1.0] (got 1.5)",
        "modelverse_core: check the key and its models: AuthenticationError 400 invalid_token",
        "openai:          check the key and its models: PermissionDeniedError 400 invalid_model",
        "No error:        You said: Say hello.",
    ],
    "llamaindex_batch": [
        "asyncio.gather, at most 4 requests at once:\n  [You said: Label the sentiment of this review as positive, "
        "negative or mixed, in one word. Review: The battery lasts two days",
        "Review: Quiet, light and the price was fair. This is the stand-in answering as "
        "deepseek-ai/DeepSeek-V3-0324.] Quiet, light and the price was fair\n  ",
        "tokens in all",
    ],
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


SCRIPTS = sorted(p.stem for p in (ROOT / "examples").glob("*.py") if p.stem not in ("__init__", "run", "run_all"))
INSTALLED = {
    "__future__",
    "asyncio",
    "collections",
    "os",
    "typing",
    "openai",
    "pydantic",
    "langchain",
    "langchain_core",
    "langgraph",
    "llama_index",
    "ray",
    "langchain_modelverse",
    "llamaindex_modelverse",
    "modelverse_core",
}
"""The standard library modules and the packages (with their extras) the examples may import."""


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES / "examples")


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params["name"])


@pytest.mark.vcr
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_runs_and_prints_what_it_shows(name: str, capsys: pytest.CaptureFixture[str]) -> None:
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

    assert set(SCRIPTS) == set(run_all.EXAMPLES) == set(EXAMPLES) | {"ray_batch"}  # ray_batch: test_ray_batch.py


@pytest.mark.parametrize("name", SCRIPTS)
def test_example_is_copyable_as_it_is(name: str) -> None:
    """An example imports only the packages a user installs: the replay lives in ``examples/run.py``."""
    tree = ast.parse((ROOT / "examples" / f"{name}.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {module.split(".")[0] for module in imported} <= INSTALLED, imported


def test_runner_replays_an_example_without_a_key_and_says_so() -> None:
    env = {k: v for k, v in os.environ.items() if k not in (API_KEY_ENV, BASE_URL_ENV)}
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "run.py"), "langchain_chain"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(
        "[no MODELVERSE_API_KEY: replaying recorded responses from cassettes/examples/langchain_chain.yaml]"
    )
    for expected in EXAMPLES["langchain_chain"]:
        assert expected in run.stdout
