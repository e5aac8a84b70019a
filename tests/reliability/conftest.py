from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.reliability.drivers import DRIVERS, Driver


@pytest.fixture(params=DRIVERS, ids=lambda d: d.name)
def driver(request: pytest.FixtureRequest) -> Driver:
    """Every plugin on every endpoint."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=[d for d in DRIVERS if d.chat], ids=lambda d: d.name)
def chat_driver(request: pytest.FixtureRequest) -> Driver:
    """The drivers that take messages and tools."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=[d for d in DRIVERS if not d.chat], ids=lambda d: d.name)
def completion_driver(request: pytest.FixtureRequest) -> Driver:
    """The drivers of ``/v1/completions``."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A loopback port held bound but never listening: connecting to it is refused for the whole test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])
