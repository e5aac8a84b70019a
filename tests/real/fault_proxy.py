"""A TCP proxy on 127.0.0.1 that injects one transport fault into every connection it relays.

It sits between a client and a server (llama-server in ``make test-real``, the stand-in in its
own checks), forwards the request as it is, and strikes the answer at a chosen point:

- ``latency``: every forwarded piece, in both directions, waits :data:`LATENCY` first;
- ``throttle``: the answer is sent at :data:`THROTTLE_BYTES_PER_SECOND`, in small slices;
- ``reset-before-answer``: the connection is reset when the server starts to answer;
- ``reset-after-headers``: the answer's headers go through, then the connection is reset;
- ``reset-mid-stream``: the answer goes through up to the first piece of text (``marker``; in a
  stream, to the end of its event), then the connection is reset;
- ``half-close``: the same point, then the proxy shuts down its sending side (a FIN) and keeps
  the connection open, reading, until the client closes it;
- ``stall``: the same point, then nothing more is sent and the connection stays open;
- ``slow-headers``: nothing of the answer is sent for :data:`HOLD` seconds, far past any
  timeout the tests set.

The proxy counts what a test asserts: requests relayed (``requests``), client connections
still open (``open_connections``), and when the fault struck on each connection (``strikes``).
It runs its own event loop in a thread, so sync and async clients alike can talk to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import struct
import threading
import time
from collections.abc import Coroutine
from typing import Any

LATENCY = 0.02
THROTTLE_BYTES_PER_SECOND = 32_000
THROTTLE_SLICE = 256
HOLD = 30.0
READ_SIZE = 65_536

SURVIVABLE = ("latency", "throttle")
"""Faults a client rides through: the answer arrives whole, only later."""
BEFORE_HEADERS = ("reset-before-answer", "slow-headers")
"""Faults that strike before the answer's headers: the SDK has not returned a response yet."""
AT_MARKER = ("reset-mid-stream", "half-close", "stall")
"""Faults that strike once the first piece of text has gone through."""
FAULTS = (*SURVIVABLE, "reset-before-answer", "reset-after-headers", *AT_MARKER, "slow-headers")

_REQUEST_LINE = re.compile(rb"(?:^|\r\n)(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) /\S* HTTP/1\.[01]\r\n")
_END_OF_HEADERS = b"\r\n\r\n"


class FaultProxy:
    """Relay connections to ``upstream`` (``host, port``), injecting ``fault`` into each answer."""

    def __init__(self, upstream: tuple[str, int], fault: str | None = None, marker: bytes = b"") -> None:
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {', '.join(FAULTS)}")
        if fault in AT_MARKER and not marker:
            raise ValueError(f"{fault} strikes at a marker; none given")
        self.upstream = upstream
        self.fault = fault
        self.marker = marker
        self.requests = 0
        self.connections = 0
        self.open_connections = 0
        self.strikes: list[float] = []
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)

    @property
    def port(self) -> int:
        """The port the proxy listens on."""
        assert self._server is not None, "the proxy is not started"
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL through the proxy, ``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FaultProxy:
        """Listen on a free port of 127.0.0.1 and relay from the proxy's own thread."""
        self._thread.start()
        self._server = self._run(asyncio.start_server(self._accept, "127.0.0.1", 0))
        return self

    def stop(self) -> None:
        """Close every connection and the listening socket, then end the thread."""
        if self._server is not None:
            self._run(self._shutdown(self._server))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait_closed(self, timeout: float) -> bool:
        """Wait (bounded) until no client connection is open; whether none is."""
        with self._changed:
            return self._changed.wait_for(lambda: self.open_connections == 0, timeout)

    def _run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _shutdown(self, server: asyncio.AbstractServer) -> None:
        server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await server.wait_closed()

    def _count(self, **changes: int) -> None:
        with self._changed:
            for name, change in changes.items():
                setattr(self, name, getattr(self, name) + change)
            self._changed.notify_all()

    async def _accept(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._count(connections=1, open_connections=1)
        try:
            upstream, to_upstream = await asyncio.open_connection(*self.upstream)
            try:
                await _first_done(self._requests(client, to_upstream), self._answer(upstream, to_client))
            finally:
                await _close(to_upstream)
        except (OSError, asyncio.CancelledError):  # the server refused, or the proxy stops
            pass
        finally:
            await _close(to_client)
            self._tasks.discard(task)
            self._count(open_connections=-1)

    async def _requests(self, client: asyncio.StreamReader, to_upstream: asyncio.StreamWriter) -> None:
        """Forward the client's bytes until it closes, counting the requests they start."""
        tail = b""
        while data := await client.read(READ_SIZE):
            # A request line can only follow CRLF (JSON bodies escape control characters).
            self._count(requests=len(_REQUEST_LINE.findall(tail + data)))
            tail = data[-2:]
            await self._delay()
            to_upstream.write(data)
            await to_upstream.drain()

    async def _answer(self, upstream: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        """Forward the server's bytes, striking the fault when its point is reached."""
        seen = bytearray()
        sent = 0
        while data := await upstream.read(READ_SIZE):
            seen += data
            cut = self._strike_point(bytes(seen))
            if cut is None or cut < sent:
                await self._send(to_client, bytes(seen[sent:]))
                sent = len(seen)
                continue
            await self._send(to_client, bytes(seen[sent:cut]))
            sent = cut
            self.strikes.append(time.monotonic())
            await self._strike(to_client)
            if self.fault != "slow-headers":
                return
            await self._send(to_client, bytes(seen[sent:]))
            sent = len(seen)
        with contextlib.suppress(ConnectionError, OSError):
            to_client.write_eof()

    def _strike_point(self, seen: bytes) -> int | None:
        """Where in the answer so far the fault strikes; ``None`` if not (yet) in it."""
        if self.fault in BEFORE_HEADERS:
            return 0
        if self.fault == "reset-after-headers":
            end = seen.find(_END_OF_HEADERS)
            return None if end < 0 else end + len(_END_OF_HEADERS)
        if self.fault in AT_MARKER:
            return _after_marker(seen, self.marker)
        return None

    async def _strike(self, to_client: asyncio.StreamWriter) -> None:
        """Do what the fault does at its point; returns when the connection may be closed."""
        if self.fault == "slow-headers":
            await asyncio.sleep(HOLD)
        elif self.fault == "half-close":
            to_client.write_eof()
            await asyncio.Event().wait()  # until the client closes its side
        elif self.fault == "stall":
            await asyncio.Event().wait()
        else:
            _reset(to_client)

    async def _send(self, to_client: asyncio.StreamWriter, data: bytes) -> None:
        if self.fault == "throttle":
            for start in range(0, len(data), THROTTLE_SLICE):
                piece = data[start : start + THROTTLE_SLICE]
                to_client.write(piece)
                await to_client.drain()
                await asyncio.sleep(len(piece) / THROTTLE_BYTES_PER_SECOND)
            return
        await self._delay()
        to_client.write(data)
        await to_client.drain()

    async def _delay(self) -> None:
        if self.fault == "latency":
            await asyncio.sleep(LATENCY)


def _after_marker(seen: bytes, marker: bytes) -> int | None:
    """The end of the event (a stream) or of the marker (a body) that carries ``marker``."""
    start = seen.find(marker)
    if start < 0:
        return None
    end = start + len(marker)
    if b"text/event-stream" not in seen[: seen.find(_END_OF_HEADERS)]:
        return end
    event_end = seen.find(b"\n\n", end)
    return None if event_end < 0 else event_end + 2


async def _first_done(*coroutines: Coroutine[Any, Any, None]) -> None:
    """Run the coroutines until one of them ends (or fails); cancel the rest."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # a peer's reset ends its side, nothing more


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a reset (RST): linger on, zero seconds, then close at once."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()
