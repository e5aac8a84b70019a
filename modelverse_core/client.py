"""The only module doing I/O: the official ``openai`` SDK's sync and async clients.

The SDK provides the one retry layer (honouring ``Retry-After``; 400s are
never retried), timeouts and connection pooling. Bodies are decoded here
straight from JSON, and streamed bodies by :mod:`.sse`, so no SDK model or stream
object is built per call or per chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import warnings
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator, Mapping
from typing import Any

import openai

from ._deprecated import REMOVED_IN, moved
from .call import Prepared, Request
from .catalog import model_info, parse_models
from .compat import httpx
from .errors import (
    APIConnectionError,
    InvalidRequestError,
    MalformedResponseError,
    Resolver,
    ShapeError,
    StreamEventError,
    StreamTruncatedError,
    _identity,
    connection_error,
    describe,
    map_api_error,
)
from .jsonio import encode_body, loads
from .settings import ConnectionSettings
from .sse import EventSplitter, decode_event
from .types import RemoteModel, Result, StreamDelta
from .wire import CHAT, Wire

MODELS_PATH = "/models"

# The SDK tells the server the caller's platform (OS, CPU, Python and SDK versions) in
# headers meant for OpenAI's own statistics. ModelVerse reads none of them, so they are
# not sent; each costs work on every request. A ``default_headers`` entry sends one back.
_PLATFORM_HEADERS: dict[str, Any] = {
    name: openai.Omit()
    for name in (
        "X-Stainless-Lang",
        "X-Stainless-Package-Version",
        "X-Stainless-OS",
        "X-Stainless-Arch",
        "X-Stainless-Runtime",
        "X-Stainless-Runtime-Version",
        "X-Stainless-Async",
    )
}


_ENCODED = "content" if "content" in openai.OpenAI.post.__code__.co_varnames else "body"
"""The SDK's argument for a body already encoded: ``content`` where it has one (it warns on bytes
as ``body``), ``body`` in the early 2.x releases, which take bytes there."""


def _per_request() -> Any:
    """The SDK's per-request options, each left to the client's setting as by default.

    Given explicitly, they are not deep-copied from the SDK's defaults on every request.
    """
    return {"headers": openai.NOT_GIVEN, "max_retries": openai.NOT_GIVEN, "timeout": openai.NOT_GIVEN, "params": {}}


class ModelverseClient:
    """Sync and async SDK clients for one set of connection settings, created once and reused.

    ``resolve`` lets a plugin raise its own subclasses of the core errors.
    """

    def __init__(self, settings: ConnectionSettings, resolve: Resolver = _identity) -> None:
        self.settings = settings
        self._resolve = resolve
        self._sync: openai.OpenAI | None = None
        self._async: openai.AsyncOpenAI | None = None
        self._async_loop: Callable[[], asyncio.AbstractEventLoop | None] = _no_loop
        self._pid = os.getpid()
        self._inherited: list[object] = []
        self._urls: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"ModelverseClient(base_url={self.settings.base_url!r})"

    def _options(self) -> dict[str, Any]:
        s = self.settings
        return {
            "api_key": s.api_key.get_secret_value(),
            "base_url": s.base_url,
            "timeout": s.timeout,
            "max_retries": s.max_retries,
            "default_headers": {**_PLATFORM_HEADERS, **(s.default_headers or {})},
        }

    def _forget_if_forked(self) -> None:
        """A child forked after use opens its own SDK clients, never the parent's pooled connections.

        The inherited clients are kept unused: collecting them would close (for TLS, shut
        down) connections that the parent is still using.
        """
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._inherited.append((self._sync, self._async))
            self._sync = self._async = None
            self._async_loop = _no_loop

    @property
    def sync_client(self) -> openai.OpenAI:
        """The SDK's sync client, created on first use (and again in a forked child)."""
        self._forget_if_forked()
        if self._sync is None:
            self._sync = openai.OpenAI(**self._options(), http_client=self.settings.http_client)
        return self._sync

    @property
    def async_client(self) -> openai.AsyncOpenAI:
        """The SDK's async client for the running event loop, created on first use there.

        Pooled connections belong to the loop that opened them, so a new loop (a second
        ``asyncio.run``) gets a new client, and so does a forked child. A caller-supplied
        client is always used as it is.
        """
        self._forget_if_forked()
        loop = _running_loop()
        if self._async is None or (self._async_loop() is not loop and self.settings.http_async_client is None):
            self._async = openai.AsyncOpenAI(**self._options(), http_client=self._loop_http_client())
            self._async_loop = weakref.ref(loop) if loop is not None else _no_loop
        return self._async

    def _loop_http_client(self) -> httpx.AsyncClient:
        """The HTTP client of one event loop: the caller's, or the SDK's defaults.

        Built here rather than by the SDK because the SDK's own client, once dropped,
        schedules the close of its connections on whatever loop is running then, and
        connections of another (usually closed) loop cannot be closed from it.
        """
        return self.settings.http_async_client or openai.DefaultAsyncHttpxClient()

    def url(self, sdk: openai.OpenAI | openai.AsyncOpenAI, path: str) -> str:
        """``path`` as an absolute URL under the SDK client's base URL, joined once per path.

        The SDK sends an absolute URL as it is, where it joins a relative one to its base
        URL again on every request.
        """
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = str(sdk.base_url.join(path.lstrip("/")))
        return url

    def post(
        self, path: str, body: Mapping[str, Any], *, stream: bool = False, text_history: str | None = None
    ) -> httpx.Response:
        """``POST`` ``body`` to ``path`` through the SDK (its retries and timeouts); the raw response.

        The body is encoded here, once (:func:`~modelverse_core.jsonio.encode_body`: a value that
        cannot be sent is a :class:`ParameterError` before anything is); the SDK sends the bytes.
        SDK errors propagate as they are; with ``stream`` the body is left unread. ``text_history``
        is :attr:`Prepared.text_history <modelverse_core.call.Prepared>`.
        """
        sdk = self.sync_client
        data: dict[str, Any] = {_ENCODED: encode_body(body, text_history)}
        return sdk.post(self.url(sdk, path), cast_to=httpx.Response, stream=stream, options=_per_request(), **data)

    async def apost(
        self, path: str, body: Mapping[str, Any], *, stream: bool = False, text_history: str | None = None
    ) -> httpx.Response:
        """:meth:`post`, asynchronously."""
        sdk = self.async_client
        url = self.url(sdk, path)
        data: dict[str, Any] = {_ENCODED: encode_body(body, text_history)}
        return await sdk.post(url, cast_to=httpx.Response, stream=stream, options=_per_request(), **data)

    def send(self, prepared: Prepared) -> Result:
        """Send a prepared call and parse its whole answer, whichever the endpoint.

        A call that may be sent again without its forced ``tool_choice`` is, once, if the server refuses that.
        """
        try:
            return self._parse(prepared.wire, self._posted(prepared))
        except InvalidRequestError as exc:
            prepared = retried(prepared, exc)
        return self._parse(prepared.wire, self._posted(prepared))

    async def asend(self, prepared: Prepared) -> Result:
        """:meth:`send`, asynchronously."""
        try:
            return self._parse(prepared.wire, await self._aposted(prepared))
        except InvalidRequestError as exc:
            prepared = retried(prepared, exc)
        return self._parse(prepared.wire, await self._aposted(prepared))

    def open(self, prepared: Prepared) -> Stream:
        """A streamed call: iterate the result for deltas; the request goes out when iteration starts."""
        return Stream(self, prepared)

    def aopen(self, prepared: Prepared) -> AsyncStream:
        """A streamed call, asynchronously: ``async for`` over the result."""
        return AsyncStream(self, prepared)

    def opened(self, prepared: Prepared) -> httpx.Response:
        """The open response of a streamed call, its body unread (:meth:`send`'s retry included)."""
        try:
            return self._posted(prepared, stream=True)
        except InvalidRequestError as exc:
            prepared = retried(prepared, exc)
        return self._posted(prepared, stream=True)

    async def aopened(self, prepared: Prepared) -> httpx.Response:
        """:meth:`opened`, asynchronously."""
        try:
            return await self._aposted(prepared, stream=True)
        except InvalidRequestError as exc:
            prepared = retried(prepared, exc)
        return await self._aposted(prepared, stream=True)

    def failure(self, exc: BaseException, response: httpx.Response | None = None) -> BaseException:
        """Any failure of a call as this package's error; ``response`` is the answer it came with, if any.

        Transport quirks first: the SDK's aiohttp backend reports every dropped or refused
        connection as a connect timeout, so the aiohttp error it wraps decides. Then the
        error table (:func:`~modelverse_core.errors.map_api_error`), which maps an error
        object in a body or stream by its documented code.
        """
        if response is not None and isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
            return self._malformed(response, f"a stream event is not JSON ({exc})")
        dropped = _aiohttp_connection_failure(exc)
        if dropped is not None:
            return connection_error(APIConnectionError, f"connection failed: {describe(dropped)}", exc, self._resolve)
        return map_api_error(exc, self._resolve, response)

    def truncated(self, response: httpx.Response) -> BaseException:
        """The error of a stream that ended before the server said the answer was complete."""
        cls = self._resolve(StreamTruncatedError)
        message = "the stream ended before the server sent a finish reason: the answer is incomplete"
        return cls(message, response.request)  # type: ignore[call-arg]

    def chat(self, body: Mapping[str, Any], wire: Wire = CHAT) -> Result:
        """Deprecated: send a body; use :meth:`send` with a prepared call."""
        return self.send(_deprecated_call("chat", "send", body, wire))

    async def achat(self, body: Mapping[str, Any], wire: Wire = CHAT) -> Result:
        """Deprecated: send a body asynchronously; use :meth:`asend` with a prepared call."""
        return await self.asend(_deprecated_call("achat", "asend", body, wire))

    def stream(self, body: Mapping[str, Any], wire: Wire = CHAT) -> Stream:
        """Deprecated: stream a body; use :meth:`open` with a prepared call."""
        return self.open(_deprecated_call("stream", "open", body, wire))

    def astream(self, body: Mapping[str, Any], wire: Wire = CHAT) -> AsyncStream:
        """Deprecated: stream a body asynchronously; use :meth:`aopen` with a prepared call."""
        return self.aopen(_deprecated_call("astream", "aopen", body, wire))

    def _posted(self, prepared: Prepared, *, stream: bool = False) -> httpx.Response:
        """The response to a prepared call, its errors as this package's."""
        with self._mapped():
            return self.post(prepared.wire.path, prepared.body, stream=stream, text_history=prepared.text_history)

    async def _aposted(self, prepared: Prepared, *, stream: bool = False) -> httpx.Response:
        """:meth:`_posted`, asynchronously."""
        with self._mapped():
            return await self.apost(
                prepared.wire.path, prepared.body, stream=stream, text_history=prepared.text_history
            )

    @contextlib.contextmanager
    def _mapped(self) -> Iterator[None]:
        """SDK and transport exceptions raised inside as this package's, around sends and requests."""
        try:
            yield
        except (openai.APIError, httpx.RequestError) as exc:
            raise self.failure(exc) from exc

    def list_models(self) -> list[RemoteModel]:
        """``GET /v1/models``."""
        with self._mapped():
            sdk = self.sync_client
            response = sdk.get(self.url(sdk, MODELS_PATH), cast_to=httpx.Response, options=_per_request())
        return parse_models(self._json(response))

    async def alist_models(self) -> list[RemoteModel]:
        """``GET /v1/models``, asynchronously."""
        with self._mapped():
            sdk = self.async_client
            response = await sdk.get(self.url(sdk, MODELS_PATH), cast_to=httpx.Response, options=_per_request())
        return parse_models(self._json(response))

    def close(self) -> None:
        """Close the sync client's connections (caller-supplied clients are left open)."""
        if self._sync is not None and self.settings.http_client is None:
            self._sync.close()

    async def aclose(self) -> None:
        """Close the async client's connections (caller-supplied clients are left open)."""
        if self._async is not None and self.settings.http_async_client is None:
            await self._async.close()

    def _parse(self, wire: Wire, response: httpx.Response) -> Result:
        """A whole answer through ``wire``'s parser; a body of the wrong shape or carrying an error is raised typed."""
        try:
            return wire.parse(self._json(response))
        except (ShapeError, StreamEventError) as exc:
            raise self.failure(exc, response) from exc

    def _json(self, response: httpx.Response) -> Any:
        try:
            data = loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise self._malformed(response, f"the response body is not JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise self._malformed(response, "the response body is not a JSON object")
        return data

    def _malformed(self, response: httpx.Response, why: str) -> BaseException:
        cls = self._resolve(MalformedResponseError)
        return cls(f"{why} [HTTP {response.status_code}]", response.request)  # type: ignore[call-arg]


def retried(prepared: Prepared, error: InvalidRequestError) -> Prepared:
    """The call to send again after ``error``: ``prepared`` without its forced ``tool_choice``.

    ``error`` is raised when it is not the refusal of a choice the call may send again.
    """
    retry = prepared.unforced(error)
    if retry is None:
        raise error
    return retry


def _deprecated_call(old: str, new: str, body: Mapping[str, Any], wire: Wire) -> Prepared:
    """A body given to a deprecated sending method, as the prepared call the new one takes."""
    warnings.warn(
        f"ModelverseClient.{old} is deprecated and will be removed in {REMOVED_IN}: use "
        f"ModelverseClient.{new} with a prepared call (modelverse_core.pipeline.prepare)",
        DeprecationWarning,
        stacklevel=3,
    )
    model = str(body.get("model") or "")
    return Prepared(wire, dict(body), Request(model=model, info=model_info(model)))


def _aiohttp_connection_failure(exc: BaseException) -> BaseException | None:
    """The aiohttp error behind ``exc`` when it was a failure to connect or a dropped connection.

    The SDK's aiohttp backend reports every ``aiohttp.ClientConnectionError`` (a refused or
    dropped connection included) as a connect timeout; the aiohttp error it wraps says what
    happened. aiohttp's own timeouts are timeouts and stay so.
    """
    cause = exc.__cause__
    while cause is not None:
        if type(cause).__module__.startswith("aiohttp") and not isinstance(cause, (TimeoutError, asyncio.TimeoutError)):
            return cause
        cause = cause.__cause__
    return None


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _no_loop() -> None:
    return None


class _StreamBase:
    """State shared by the sync and async streams: the call, the accumulator, the error mapping.

    The SDK sends the request and returns the open response; its body is decoded by
    :mod:`modelverse_core.sse`, event by event, straight into the accumulator.
    """

    def __init__(self, client: ModelverseClient, prepared: Prepared) -> None:
        self._client = client
        self.prepared = prepared
        self.accumulator = prepared.wire.accumulator()

    def result(self) -> Result:
        """The accumulated answer; call after the stream is exhausted."""
        return self.accumulator.result()

    def _check_finished(self, response: httpx.Response) -> None:
        if not self.accumulator.finished:
            raise self._client.truncated(response)


_STREAM_ERRORS = (
    openai.APIError,
    httpx.RequestError,
    json.JSONDecodeError,
    UnicodeDecodeError,
    StreamEventError,
    ShapeError,
)


class Stream(_StreamBase):
    """A streamed answer of any endpoint: iterate for :class:`StreamDelta`; ``result()`` afterwards."""

    def __iter__(self) -> Generator[StreamDelta, None, None]:
        response = self._client.opened(self.prepared)
        add, events = self.accumulator.add, EventSplitter()
        try:
            for chunk in response.iter_bytes():
                for data in events.feed(chunk):
                    yield from add(decode_event(data))
                if events.done:
                    break
        except _STREAM_ERRORS as exc:
            raise self._client.failure(exc, response) from exc
        finally:
            response.close()
        self._check_finished(response)


class AsyncStream(_StreamBase):
    """A streamed answer of any endpoint: ``async for`` for :class:`StreamDelta`; ``result()`` afterwards."""

    async def __aiter__(self) -> AsyncGenerator[StreamDelta, None]:
        response = await self._client.aopened(self.prepared)
        add, events = self.accumulator.add, EventSplitter()
        chunks = response.aiter_bytes()
        try:
            async for chunk in chunks:
                for data in events.feed(chunk):
                    for delta in add(decode_event(data)):
                        yield delta
                if events.done:
                    await _drain(chunks)
                    break
        except _STREAM_ERRORS as exc:
            raise self._client.failure(exc, response) from exc
        finally:
            await response.aclose()
        self._check_finished(response)


_DRAIN_SECONDS = 0.1


async def _drain(chunks: AsyncIterator[bytes]) -> None:
    """Read what follows ``[DONE]``, for at most 0.1 s, as the SDK's own async stream does.

    An HTTP/1.1 connection goes back to the pool only once its response has been read to
    the end, so the next request need not open a new one. The answer is complete by then:
    a failure here is not an error of the stream.
    """

    async def read_to_end() -> None:
        async for _ in chunks:
            pass

    with contextlib.suppress(asyncio.TimeoutError, httpx.RequestError):
        await asyncio.wait_for(read_to_end(), _DRAIN_SECONDS)


__getattr__ = moved(  # the old names, for one release
    __name__,
    {"ChatStream": "modelverse_core.client:Stream", "AsyncChatStream": "modelverse_core.client:AsyncStream"},
)
