"""Start and stop llama.cpp's ``llama-server`` on 127.0.0.1 for the real-server tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

MODEL_NAME = "tiny-qwen"
TEMPLATE = "Qwen-Qwen3-0.6B.jinja"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LlamaServer:
    """One ``llama-server`` process serving one model, started and stopped by its own pid.

    The flags make answers reproducible (greedy sampling, one slot) and turn on what the
    tests exercise: jinja chat templates with tools, and reasoning split out of the text
    into ``reasoning_content`` (``--reasoning-format deepseek``).
    """

    def __init__(self, binary: Path, model: Path, log: Path, template: Path | None = None) -> None:
        self.binary = binary
        self.model = model
        self.log = log
        self.template = template or binary.parent / "templates" / TEMPLATE
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL, ``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        """The command line the server is started with."""
        return [
            str(self.binary),
            *("-m", str(self.model), "-a", MODEL_NAME),
            *("--host", "127.0.0.1", "--port", str(self.port)),
            *("--jinja", "--chat-template-file", str(self.template), "--reasoning-format", "deepseek"),
            *("--temp", "0", "--top-k", "1", "--seed", "1", "-c", "4096", "-np", "1", "-t", "1"),
        ]

    def start(self) -> LlamaServer:
        """Start the server and wait (bounded) until ``/health`` answers 200."""
        self._log_file = self.log.open("wb")
        self._process = subprocess.Popen(
            self.command(), stdout=self._log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            self._wait_healthy(time.monotonic() + START_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self, deadline: float) -> None:
        url = f"http://127.0.0.1:{self.port}/health"
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"llama-server exited with {self._process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=1.0) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            # Polls /health with a short back-off; this is the bounded wait, not synchronization.
            time.sleep(0.1)
        raise TimeoutError(f"llama-server not healthy after {START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the process this object started: SIGTERM, then SIGKILL after a bounded wait."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=STOP_TIMEOUT)
        if self._log_file is not None:
            with contextlib.suppress(OSError):
                self._log_file.close()
            self._log_file = None

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log, for error messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
