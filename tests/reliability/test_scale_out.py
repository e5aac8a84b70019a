"""Models that travel to other processes: pickle, cloudpickle and copies, spawned pools and forks.

Everything runs live against the stand-in on 127.0.0.1, for both plugins.
"""

from __future__ import annotations

import asyncio
import copy
import multiprocessing
import os
import pickle
import select
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import cloudpickle
import pytest
from pydantic import SecretStr

from modelverse_core import MissingAPIKeyError
from modelverse_core.compat import httpx
from modelverse_core.settings import API_KEY_ENV
from tests.cassette_config import TEST_KEY
from tests.reliability import workers
from tests.reliability.drivers import DRIVERS, MODEL, Driver
from tests.standin import StandinServer

pytestmark = pytest.mark.timeout(60)
MODELS = DRIVERS  # every model class, on every endpoint

COPIES: dict[str, Callable[[Any], Any]] = {
    "pickle": lambda model: pickle.loads(pickle.dumps(model)),
    "cloudpickle": lambda model: cloudpickle.loads(cloudpickle.dumps(model)),
    "deepcopy": copy.deepcopy,
    "copy": copy.copy,
    "model_copy": lambda model: model.model_copy(),
}


@pytest.fixture(params=MODELS, ids=lambda d: d.name)
def driver(request: pytest.FixtureRequest) -> Driver:
    return request.param  # type: ignore[no-any-return]


def call_peers(server: StandinServer) -> list[tuple[str, int]]:
    """The client address of each chat, completion or responses request, in order."""
    return [r["peer"] for r in server.requests if r["path"].endswith(("/completions", "/responses"))]


def use(driver: Driver, model: Any) -> None:
    """Leave ``model`` holding both SDK clients: a sync one with a pooled connection, an async one of a loop."""
    assert asyncio.run(driver.acall(model, "warm up")).startswith("You said: warm up")
    assert driver.call(model, "warm up").startswith("You said: warm up")


@pytest.mark.parametrize("how", list(COPIES))
@pytest.mark.parametrize("stage", ["unused", "used"])
def test_copies_keep_the_settings_and_open_their_own_connections(
    driver: Driver, standin: StandinServer, how: str, stage: str
) -> None:
    model = driver.make(standin.base_url, temperature=0.3, max_retries=1)
    if stage == "used":
        use(driver, model)
    before = len(call_peers(standin))

    copied = COPIES[how](model)

    assert type(copied) is type(model)
    assert copied.model_dump() == model.model_dump()
    assert copied.api_key == SecretStr(TEST_KEY)
    assert driver.call(copied, "from the copy").startswith("You said: from the copy")
    assert asyncio.run(driver.acall(copied, "async from the copy")).startswith("You said: async from the copy")
    assert driver.call(model, "from the original").startswith("You said: from the original")
    copy_sync, _, original = call_peers(standin)[before:]
    if stage == "used":
        assert original in call_peers(standin)[:before]  # the original's pooled connection is still its own
        assert copy_sync != original  # the copy opened its own


@pytest.mark.parametrize("field", ["http_client", "http_async_client"])
@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_a_caller_supplied_http_client_stops_a_pickle_with_a_clear_error(
    driver: Driver, field: str, dumps: Callable[[Any], bytes]
) -> None:
    client = httpx.Client() if field == "http_client" else httpx.AsyncClient()
    model = driver.make("http://127.0.0.1:9/v1", **{field: client})
    with pytest.raises(TypeError, match=f"cannot pickle {type(model).__name__} with {field} set") as info:
        dumps(model)
    assert "RLock" not in str(info.value)


def test_a_deep_copy_shares_a_caller_supplied_http_client(driver: Driver, standin: StandinServer) -> None:
    with httpx.Client() as client:
        model = driver.make(standin.base_url, http_client=client)
        assert driver.call(model, "hello").startswith("You said: hello")
        copied = copy.deepcopy(model)
        assert copied.http_client is client
        assert driver.call(copied, "hello again").startswith("You said: hello again")


def test_a_key_passed_as_api_key_travels_in_the_pickle_as_a_secret(driver: Driver) -> None:
    model = driver.make("http://127.0.0.1:9/v1", api_key="sk-passed-to-the-model")
    data = pickle.dumps(model)
    assert b"sk-passed-to-the-model" in data  # documented: a pickle configures a worker
    restored = pickle.loads(data)
    assert isinstance(restored.api_key, SecretStr)
    assert "sk-passed-to-the-model" not in repr(restored)


def test_a_model_built_without_api_key_pickles_without_any_key(
    driver: Driver, standin: StandinServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(API_KEY_ENV, "sk-only-in-this-environment")
    model = driver.model_class(model=MODEL, base_url=standin.base_url)
    data = pickle.dumps(model)
    assert b"sk-only-in-this-environment" not in data
    assert b"sk-only-in-this-environment" not in cloudpickle.dumps(model)

    monkeypatch.setenv(API_KEY_ENV, TEST_KEY)  # the worker's own environment
    assert pickle.loads(data).api_key == SecretStr(TEST_KEY)
    assert driver.call(pickle.loads(data), "hello").startswith("You said: hello")

    monkeypatch.delenv(API_KEY_ENV)  # a worker without the variable: the call says what is missing
    with pytest.raises(MissingAPIKeyError, match=API_KEY_ENV):
        driver.call(pickle.loads(data), "hello")
    assert len(call_peers(standin)) == 1


@pytest.mark.once  # spawning is slow: once, in the main environment
@pytest.mark.timeout(120)
def test_a_spawned_process_pool_calls_the_standin_from_each_worker(standin: StandinServer) -> None:
    """One pool for every model class (spawning is slow); each worker takes one call of each model."""
    pairs = [  # no api_key
        (driver, driver.model_class(model=MODEL, base_url=standin.base_url, **driver.defaults)) for driver in MODELS
    ]
    for driver, model in pairs:
        assert driver.call(model, "in the parent").startswith("You said: in the parent")
    tasks = [(driver, model, f"{driver.name} in worker {i}") for driver, model in pairs for i in (0, 1)]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=spawn, initializer=workers.wait_at, initargs=(spawn.Barrier(2),)) as pool:
        results = list(pool.map(workers.call, *zip(*tasks, strict=True)))
    for first in range(0, len(results), 2):  # the barrier makes each pair of calls span both workers
        assert len({pid for pid, _ in results[first : first + 2]}) == 2
    assert os.getpid() not in {pid for pid, _ in results}
    assert [answer.split(".")[0] for _, answer in results] == [f"You said: {text}" for _, _, text in tasks]
    assert len(call_peers(standin)) == len(MODELS) + len(tasks)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_child_forked_after_use_calls_on_its_own_connection(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url)
    assert driver.call(model, "parent before").startswith("You said: parent before")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report the answer or the error, and leave without running the parent's clean-up
        os.close(read_end)
        try:
            answer = driver.call(model, "in the child")
        except BaseException as exc:
            answer = f"{type(exc).__name__}: {exc}"
        os.write(write_end, answer.encode())
        os._exit(0)
    os.close(write_end)
    try:
        assert select.select([read_end], [], [], 30)[0], "the child did not answer within 30 s"
        answer = os.read(read_end, 65536).decode()
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    assert answer.startswith("You said: in the child"), answer
    assert driver.call(model, "parent after").startswith("You said: parent after")
    parent_before, child, parent_after = call_peers(standin)
    assert child != parent_before  # the child did not write into the parent's pooled connection
    assert parent_after == parent_before  # and the parent's connection survived the child
