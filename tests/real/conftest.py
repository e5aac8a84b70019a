"""The real-server suite: the same tests in three modes.

- ``make test`` replays ``cassettes/real/`` (recorded from llama-server); no binary needed.
- ``make test-real`` passes ``--llama-server <binary>``: a llama-server started on
  127.0.0.1 with the tiny model of ``tiny_model.py`` answers, nothing is replayed.
- ``make cassettes-real`` does the same while recording (``--record-mode=rewrite``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modelverse_core import ModelInfo
from tests.cassette_config import REPLAY_BASE_URL, TEST_KEY, vcr_options
from tests.real.server import MODEL_NAME, LlamaServer

TINY = ModelInfo(id=MODEL_NAME, context_window=4096, reasoning=True, json_schema=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--llama-server",
        metavar="BINARY",
        default=None,
        help="run tests/real against this llama-server binary instead of replaying cassettes/real",
    )


@pytest.fixture(scope="session")
def llama_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL the real-server tests talk to: a live llama-server, or the replay host."""
    binary = request.config.getoption("--llama-server", default=None)
    if not binary:
        if (request.config.getoption("--record-mode") or "none") != "none":
            pytest.skip("cassettes/real are recorded from llama-server: make cassettes-real")
        yield REPLAY_BASE_URL
        return
    from tests.real.tiny_model import write

    workdir = tmp_path_factory.mktemp("llama-server")
    server = LlamaServer(Path(binary), write(workdir / "tiny-qwen.gguf"), workdir / "server.log").start()
    try:
        yield server.base_url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def vcr_config(llama_server: str) -> dict[str, Any]:
    return vcr_options(llama_server)


@pytest.fixture
def connection(llama_server: str) -> dict[str, Any]:
    """Constructor arguments shared by both plugins' models under test."""
    return {"model": MODEL_NAME, "base_url": llama_server, "api_key": TEST_KEY, "model_info": TINY}
