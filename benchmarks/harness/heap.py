"""The heap and memory: settling the collector before timing, bytecode, resident memory."""

from __future__ import annotations

import compileall
import gc
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("modelverse_core", "langchain_modelverse", "llamaindex_modelverse", "llama_index", "benchmarks")


def settle_heap() -> None:
    """Move everything imported and built so far out of the garbage collector's reach.

    The measuring process holds every framework at once, a far larger heap than any one
    application's: a full collection there takes over 100 ms, and it falls on whichever
    client happens to cross the threshold. Frozen, the collector only walks what the
    clients allocate from then on, so each still pays for its own garbage.
    """
    gc.collect()
    gc.freeze()


def compile_sources() -> None:
    """Write the bytecode of the code under test, as installers do for every installed package.

    The peers run from site-packages, compiled when installed; ours runs from this checkout,
    which Python would otherwise recompile in every fresh interpreter on machines that set
    ``PYTHONDONTWRITEBYTECODE``: a cost no installed user pays.
    """
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)


def _status(field: str) -> int:
    """One ``kB`` field of ``/proc/self/status`` (``VmRSS``, ``VmHWM``), in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


def rss() -> int:
    """This process's resident memory now, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def reset_peak() -> None:
    """Start the resident-memory high-water mark (``VmHWM``) again from the current resident memory."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def peak() -> int:
    """The resident-memory high-water mark since the last :func:`reset_peak`, in bytes."""
    return _status("VmHWM")
