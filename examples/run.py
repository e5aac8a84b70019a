"""Run an example as it is, with or without a key.

    python examples/run.py langchain_chain        (or: python -m examples.run langchain_chain)

With ``MODELVERSE_API_KEY`` set, each script simply runs and calls the service. Without one,
this runner answers its requests from the recording in ``cassettes/examples/<name>.yaml`` (or,
for the Ray example, whose requests come from worker processes, from the local stand-in server
on 127.0.0.1) and says so. The example scripts themselves hold no replay code: copy one and run
it with a key.
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STANDIN_EXAMPLES = frozenset({"ray_batch"})
"""Examples whose requests leave this process, where a cassette replayed here would not answer them."""


def run(name: str) -> None:
    """Run ``examples/<name>.py`` as ``__main__``: live with a key, else replaying or on the stand-in."""
    script = HERE / f"{name}.py"
    if not script.is_file():
        raise SystemExit(f"no example {name!r}: expected {script.relative_to(ROOT)}")
    with offline(name):
        runpy.run_path(str(script), run_name="__main__")


@contextmanager
def offline(name: str) -> Iterator[None]:
    """Nothing with a key; without one, the recorded answers (or the stand-in) for ``name``."""
    if os.environ.get("MODELVERSE_API_KEY"):
        yield
        return
    sys.path.insert(0, str(ROOT))  # the cassette settings and the stand-in live with the tests
    with standin() if name in STANDIN_EXAMPLES else replay(name):
        yield


@contextmanager
def replay(name: str) -> Iterator[None]:
    """Answer every request from ``cassettes/examples/<name>.yaml``; a request it lacks fails."""
    import vcr

    from tests.cassette_config import CASSETTES, REPLAY_BASE_URL, TEST_KEY, json_body_matcher, vcr_options

    cassette = CASSETTES / "examples" / f"{name}.yaml"
    print(f"[no MODELVERSE_API_KEY: replaying recorded responses from {cassette.relative_to(ROOT)}]\n")
    os.environ["MODELVERSE_API_KEY"] = TEST_KEY
    os.environ["MODELVERSE_BASE_URL"] = REPLAY_BASE_URL
    recorder = vcr.VCR(record_mode="none", **vcr_options(REPLAY_BASE_URL))
    recorder.register_matcher("json_body", json_body_matcher)
    with recorder.use_cassette(str(cassette), allow_playback_repeats=False):
        yield


@contextmanager
def standin() -> Iterator[None]:
    """Point the example at the local stand-in server on 127.0.0.1 for its duration."""
    from tests.cassette_config import TEST_KEY
    from tests.standin import StandinServer

    server = StandinServer().start()
    print(f"[no MODELVERSE_API_KEY: calling the local stand-in server at {server.base_url}]\n")
    os.environ["MODELVERSE_API_KEY"] = TEST_KEY
    os.environ["MODELVERSE_BASE_URL"] = server.base_url
    try:
        yield
    finally:
        server.stop()


def main(args: list[str]) -> int:
    """Run the one example named in ``args``."""
    if len(args) != 1:
        print(__doc__)
        return 2
    run(Path(args[0]).stem)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
