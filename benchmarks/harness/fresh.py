"""Running a program of :mod:`benchmarks.fresh` in a fresh interpreter, with its CPU time."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from typing import Any

from benchmarks.harness.heap import ROOT


def run_fresh(program: str, *args: Any) -> tuple[Any, float]:
    """Run ``python -m benchmarks.fresh.<program> <args>``; its last line of output (JSON) and its CPU seconds.

    The child starts from this checkout (its working directory), so it imports the same
    ``benchmarks`` package without any path set up; its own clock starts in its first line.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-m", f"benchmarks.fresh.{program}", *map(str, args)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return json.loads(output.strip().splitlines()[-1]), spent
