"""Run an example live with ``MODELVERSE_API_KEY``; without one, replay its cassette or call the local stand-in."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def live_or_replay(name: str) -> Iterator[None]:
    """Call the service when a key is set; otherwise answer from ``cassettes/examples/<name>.yaml``."""
    if os.environ.get("MODELVERSE_API_KEY"):
        yield
        return
    sys.path.insert(0, str(ROOT))
    import vcr

    from tests.cassette_config import CASSETTES, REPLAY_BASE_URL, TEST_KEY, json_body_matcher, vcr_options

    cassette = CASSETTES / "examples" / f"{name}.yaml"
    where = cassette.relative_to(ROOT)
    print(f"[no MODELVERSE_API_KEY: replaying recorded responses from {where}; set it to call the service]\n")
    os.environ["MODELVERSE_API_KEY"] = TEST_KEY
    os.environ["MODELVERSE_BASE_URL"] = REPLAY_BASE_URL
    recorder = vcr.VCR(record_mode="none", **vcr_options(REPLAY_BASE_URL))
    recorder.register_matcher("json_body", json_body_matcher)
    with recorder.use_cassette(str(cassette), allow_playback_repeats=False):
        yield


@contextmanager
def live_or_standin() -> Iterator[None]:
    """Call the service when a key is set; otherwise the local stand-in server on 127.0.0.1.

    For examples whose requests leave this process (worker processes, Ray), where a
    cassette replayed here would not answer them.
    """
    if os.environ.get("MODELVERSE_API_KEY"):
        yield
        return
    sys.path.insert(0, str(ROOT))
    from tests.cassette_config import TEST_KEY
    from tests.standin import StandinServer

    server = StandinServer().start()
    print(f"[no MODELVERSE_API_KEY: calling the local stand-in at {server.base_url}; set it to call the service]\n")
    os.environ["MODELVERSE_API_KEY"] = TEST_KEY
    os.environ["MODELVERSE_BASE_URL"] = server.base_url
    try:
        yield
    finally:
        server.stop()
