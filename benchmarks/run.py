"""``make bench``: every client side by side in one run, as ratios to the raw openai SDK.

Figures: one non-streamed call; consuming a 2000-chunk stream, and the ``/v1/responses``
and ``/v1/completions`` streams of our clients next to floors over those endpoints;
200 concurrent async calls; cold start (import, construct, first call) in a fresh interpreter, next to each
framework's import floor (its core and ``openai`` imported, nothing else); resident
memory growth over 10,000 calls. Trials interleave the clients in a new random order
each time; the tables show medians, with the interquartile range as spread.
Results go to ``benchmarks/results/latest.json`` and ``latest.md``, and the table into
the README. ``--quick`` runs fewer trials.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from client_cpu import client_cpu  # noqa: E402
from clients import (  # noqa: E402
    AIOHTTP_CLIENTS,
    CLIENTS,
    IMPORT_FLOORS,
    LANGCHAIN_FLOOR,
    LLAMAINDEX_FLOOR,
    REFERENCE,
    STREAMERS,
    Client,
    Streamer,
    Surfaced,
)
from per_chunk import cpu_per_chunk  # noqa: E402
from request_path import request_path_cpu  # noqa: E402

RESULTS = HERE / "results"
README = HERE.parent / "README.md"
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"


def settle_heap() -> None:
    """Move everything imported and built so far out of the garbage collector's reach.

    This process holds every framework at once, a far larger heap than any one
    application's: a full collection here takes over 100 ms, and it falls on whichever
    client happens to cross the threshold. Frozen, the collector only walks what the
    clients allocate from now on, so each still pays for its own garbage.
    """
    gc.collect()
    gc.freeze()


def start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen([sys.executable, str(HERE / "server.py")], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    port = server.stdout.readline().strip()
    return server, f"http://127.0.0.1:{port}/v1"


def quartiles(values: list[float]) -> dict[str, float]:
    q1, median, q3 = statistics.quantiles(values, n=4) if len(values) > 1 else (values[0],) * 3
    return {"median": median, "q1": q1, "q3": q3}


def shuffled_rounds(jobs: Mapping[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Run every job once per round, in a fresh random order each round."""
    samples: dict[str, list[float]] = {name: [] for name in jobs}
    order = list(jobs)
    for _ in range(rounds):
        random.shuffle(order)
        for name in order:
            samples[name].append(jobs[name]())
    return samples


def trials(
    clients: list[Client] | list[Streamer], built: dict[str, Any], rounds: int, run: Callable[[Any, Any], float]
) -> dict[str, list[float]]:
    """Run ``run`` for every client, interleaved and shuffled."""
    return shuffled_rounds({c.name: partial(run, c, built[c.name]) for c in clients}, rounds)


def batched(operation: Callable[[Any], Callable[[Any], Any]], batch: int) -> Callable[[Any, Any], float]:
    """Seconds per operation over ``batch`` back-to-back operations."""

    def run(client: Any, instance: Any) -> float:
        act = operation(client)
        started = time.perf_counter()
        for _ in range(batch):
            act(instance)
        return (time.perf_counter() - started) / batch

    return run


LOOP = asyncio.new_event_loop()  # one loop for the whole run: async clients pool connections per loop


def concurrent(calls: int, cpu: dict[str, list[float]]) -> Callable[[Client, Any], float]:
    """Seconds per burst of ``calls`` concurrent async calls; each burst's CPU seconds per call go to ``cpu``."""

    def run(client: Client, instance: Any) -> float:
        async def burst() -> float:
            started = time.perf_counter()
            await asyncio.gather(*(client.acall(instance) for _ in range(calls)))
            return time.perf_counter() - started

        cpu_started = time.process_time()
        seconds = LOOP.run_until_complete(burst())
        cpu.setdefault(client.name, []).append((time.process_time() - cpu_started) / calls)
        return seconds

    return run


def fresh_bursts(calls: int, base_url: str) -> Callable[[Client, Any], float]:
    """Seconds per burst of ``calls`` concurrent async calls, each on a client built for it.

    The client makes one call first, so every burst starts with one pooled connection,
    whatever the bursts before it left; it is closed afterwards.
    """

    def run(client: Client, _instance: Any) -> float:
        assert client.aclose is not None
        instance = client.make(base_url)
        LOOP.run_until_complete(client.acall(instance))
        seconds = concurrent(calls, {})(client, instance)
        LOOP.run_until_complete(client.aclose(instance))
        return seconds

    return run


# openai 2.x (the SDK of this environment: llama-index's OpenAI packages require it) imports
# aiohttp at its own import when the ``openai[aiohttp]`` extra's ``httpx_aiohttp`` is installed,
# about 95 ms, as this environment has it for the aiohttp bursts. Cold starts are measured as
# users without the extra start: the fresh interpreter refuses ``httpx_aiohttp``, and the SDK
# falls back as it does when it is absent. (openai 3.x imports aiohttp whenever aiohttp is
# installed, which llama-index-core always installs; there every client pays it, as users do.)
COLD = """
import time
started = time.perf_counter()
import sys
sys.modules["httpx_aiohttp"] = None
sys.path[:0] = {{paths!r}}
def at_depth(depth):
    if depth:
        return at_depth(depth - 1)
{work}
at_depth({{depth}})
print(time.perf_counter() - started)
"""
CLIENT_COLD = COLD.format(
    work="""    from clients import CLIENTS
    client = next(c for c in CLIENTS if c.name == {name!r})
    client.call(client.make({base_url!r}))"""
)
FLOOR_COLD = COLD.format(
    work="""    import clients, importlib
    for module in {modules!r}:
        importlib.import_module(module)"""
)


MEMORY = """
import gc, os, sys
sys.path[:0] = {paths!r}
from clients import CLIENTS
client = next(c for c in CLIENTS if c.name == {name!r})
instance = client.make({base_url!r})
def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
for _ in range(200):
    client.call(instance)
gc.collect()
before = rss()
for _ in range({calls}):
    client.call(instance)
gc.collect()
print(rss() - before)
"""


def in_fresh_interpreter(template: str, **fields: Any) -> float:
    code = template.format(paths=[str(HERE), str(HERE.parent)], **fields)
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(output.strip().splitlines()[-1])


def compile_sources() -> None:
    """Write the bytecode of the code under test, as installers do for every installed package.

    The peers run from site-packages, compiled when installed; ours runs from this checkout,
    which Python would otherwise recompile in every fresh interpreter on machines that set
    ``PYTHONDONTWRITEBYTECODE``: a cost no installed user pays.
    """
    for package in ("modelverse_core", "langchain_modelverse", "llamaindex_modelverse", "llama_index"):
        compileall.compile_dir(HERE.parent / package, quiet=1)
    compileall.compile_dir(HERE, maxlevels=0, quiet=1)


# How many frames of the cold-start templates' ``at_depth`` (136 bytes each on CPython 3.11)
# fill one 16 KiB chunk of the frame stack.
CHUNK_DEPTH = 16 * 1024 // 136


def cold_starts(
    clients: list[Client], base_url: str, rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Import, construct and first call per client, plus the framework import floors alone.

    Each round runs everything at a different call depth. CPython 3.11 grows its frame stack in
    16 KiB chunks and unmaps a chunk as soon as it empties, so an import whose hot loops sit
    on a chunk boundary pays an mmap and munmap per call: thousands in one import (2,000 to
    35,000 pairs for the same client, about 10 µs each), by the accident of where the caller's
    stack ends within a chunk. The rounds' depths are spread evenly over one whole chunk
    (:data:`CHUNK_DEPTH` frames of ``at_depth``), so the median measures the packages over
    every position of that boundary rather than over a few neighbouring ones.

    Returns the wall-clock seconds and the CPU seconds of each fresh interpreter: on a
    machine busy with other work the CPU time is the steadier of the two.
    """
    samples: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def measured(label: str, template: str, **fields: Any) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = in_fresh_interpreter(template, **fields)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        cpu.setdefault(label, []).append(spent)
        return wall

    for depth in (i * CHUNK_DEPTH // rounds for i in range(rounds)):
        jobs = {
            c.name: partial(measured, c.name, CLIENT_COLD, name=c.name, base_url=base_url, depth=depth) for c in clients
        }
        floors = {
            name: partial(measured, name, FLOOR_COLD, modules=modules, depth=depth)
            for name, modules in IMPORT_FLOORS.items()
        }
        for name, values in shuffled_rounds(jobs | floors, 1).items():
            samples.setdefault(name, []).extend(values)
    return samples, cpu


def memory(clients: list[Client], base_url: str, calls: int) -> dict[str, float]:
    return {c.name: in_fresh_interpreter(MEMORY, name=c.name, base_url=base_url, calls=calls) for c in clients}


def surfaced(clients: list[Client], built: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for client in clients:
        called, streamed = client.call(built[client.name]), client.stream(built[client.name])
        out[client.name] = {"call": asdict(called), "stream": asdict(streamed)}
    return out


def summarize(samples: dict[str, list[float]]) -> dict[str, dict[str, Any]]:
    """Quartiles and best trial per client; ratios to the reference and to the client's framework floor."""
    stats: dict[str, dict[str, Any]] = {name: quartiles(values) for name, values in samples.items()}
    reference = stats[REFERENCE]["median"]
    for name, values in stats.items():
        values["best"] = min(samples[name])
        values["ratio"] = values["median"] / reference
        values["samples"] = samples[name]
    for client in CLIENTS:
        values = stats[client.name]
        if client.floor:
            values["floor_ratio"] = values["median"] / stats[client.floor]["median"]
            values["floor_ratio_best"] = values["best"] / stats[client.floor]["best"]
    return stats


def against_floors(samples: dict[str, list[float]]) -> dict[str, dict[str, Any]]:
    """Quartiles per streamer, and its median's ratio to the floor over the same endpoint."""
    stats: dict[str, dict[str, Any]] = {name: quartiles(values) for name, values in samples.items()}
    for streamer in STREAMERS:
        stats[streamer.name]["samples"] = samples[streamer.name]
        stats[streamer.name]["floor_ratio"] = stats[streamer.name]["median"] / stats[streamer.floor]["median"]
    return stats


def endpoint_streams(base_url: str, rounds: int) -> dict[str, Any]:
    """The ``/v1/responses`` and ``/v1/completions`` streams: wall clock, CPU per chunk, what was surfaced."""
    built = {s.name: s.make(base_url) for s in STREAMERS}
    seen = {s.name: asdict(s.stream(built[s.name])) for s in STREAMERS}  # also warms connections up
    settle_heap()
    return {
        "stream": against_floors(trials(STREAMERS, built, rounds, batched(lambda s: s.stream, 3))),
        "cpu_per_chunk_us": cpu_per_chunk(STREAMERS, built, rounds),
        "surfaced": seen,
    }


def fast_bursts(samples: list[float]) -> list[float]:
    """The bursts that took at most 1.5x the client's fastest one; the others were in the pool's slow mode."""
    best = min(samples)
    return [value for value in samples if value <= SLOW * best]


def slow_bursts(samples: list[float]) -> int:
    """How many bursts were in the pool's slow mode."""
    return len(samples) - len(fast_bursts(samples))


def fast_median(samples: list[float]) -> float:
    """The median of the bursts that were not in the pool's slow mode."""
    return statistics.median(fast_bursts(samples))


SLOW = 1.5
BURST = 200  # concurrent async calls per burst


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} ({cpu})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer trials, for a smoke run")
    args = parser.parse_args()
    rounds, cold_rounds, memory_calls = (3, 1, 1000) if args.quick else (11, 11, 10_000)
    burst_rounds = rounds if args.quick else 21  # connection churn makes bursts noisy: more rounds
    compile_sources()
    server, base_url = start_server()
    try:
        built = {c.name: c.make(base_url) for c in CLIENTS}
        for client in CLIENTS:  # warm up connections and lazy imports
            client.call(built[client.name])
            client.stream(built[client.name])
        settle_heap()
        report: dict[str, Any] = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "reference": REFERENCE}
        report["versions"] = versions()
        print("one call ...", flush=True)
        report["call"] = summarize(trials(CLIENTS, built, rounds, batched(lambda c: c.call, 100)))
        print("2000-chunk stream ...", flush=True)
        report["stream"] = summarize(trials(CLIENTS, built, rounds, batched(lambda c: c.stream, 3)))
        print("CPU per streamed chunk ...", flush=True)
        report["cpu_per_chunk_us"] = cpu_per_chunk(CLIENTS, built, rounds)
        print("/v1/responses and /v1/completions streams ...", flush=True)
        report["endpoints"] = endpoint_streams(base_url, rounds)
        print("200 concurrent async calls ...", flush=True)
        burst_cpu: dict[str, list[float]] = {}
        report["concurrent"] = summarize(trials(CLIENTS, built, burst_rounds, concurrent(BURST, burst_cpu)))
        report["concurrent_cpu_us"] = {name: min(values) * 1e6 for name, values in burst_cpu.items()}
        print("200 concurrent async calls, each burst on a fresh client ...", flush=True)
        fresh = [c for c in CLIENTS if c.aclose]
        report["concurrent_fresh"] = trials(fresh, built, burst_rounds, fresh_bursts(BURST, base_url))
        print("200 concurrent async calls over the SDK's aiohttp backend ...", flush=True)
        report["concurrent_aiohttp"] = aiohttp_bursts(BURST, built, base_url, burst_rounds)
        report["request_path_us"] = request_path_cpu()
        report["client_cpu_us"] = client_cpu()
        print("cold start ...", flush=True)
        wall, cpu = cold_starts(CLIENTS, base_url, cold_rounds)
        report["cold_start"], report["cold_start_cpu"] = summarize(wall), summarize(cpu)
        print(f"memory over {memory_calls} calls ...", flush=True)
        report["memory_growth_bytes"] = memory(CLIENTS, base_url, memory_calls)
        report["memory_calls"] = memory_calls
        report["surfaced"] = surfaced(CLIENTS, built)
    finally:
        server.terminate()
    write(report, quick=args.quick)


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    names = [
        "openai",
        "langchain-core",
        "langchain-openai",
        "langchain-deepseek",
        "llama-index-core",
        "llama-index-llms-openai-like",
        "llama-index-llms-deepseek",
        "aiohttp",
        "httpx-aiohttp",
    ]
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def yes(flag: bool) -> str:
    return "yes" if flag else "no"


def table(report: dict[str, Any]) -> str:
    lines = [
        f"Ran {report['date']} on {report['machine']}; {', '.join(f'{k} {v}' for k, v in report['versions'].items())}.",
        "Ratios to the raw `openai` SDK in the same run (median; lower is faster); cold start in seconds and as ratio.",
        "",
        "| client | one call | 2000-chunk stream | 200 concurrent async | cold start | memory growth / "
        f"{report['memory_calls']:,} calls | reasoning text | reasoning tokens | cached tokens |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for client in CLIENTS:
        name = client.name
        seen = Surfaced(**report["surfaced"][name]["call"])
        cold = report["cold_start"][name]
        lines.append(
            f"| {name} | {report['call'][name]['ratio']:.2f}x | {report['stream'][name]['ratio']:.2f}x "
            f"| {report['concurrent'][name]['ratio']:.2f}x | {cold['median']:.2f} s ({cold['ratio']:.2f}x) "
            f"| {report['memory_growth_bytes'][name] / 2**20:.1f} MiB | {yes(seen.reasoning_text)} "
            f"| {yes(seen.reasoning_tokens)} | {yes(seen.cached_tokens)} |"
        )
    reference = report["call"][REFERENCE]["median"] * 1e6
    stream = report["stream"][REFERENCE]["median"] * 1e3
    lines += ["", f"Raw openai SDK: {reference:.0f} µs per call, {stream:.1f} ms per 2000-chunk stream."]
    floors = (
        f"{name} {report['cold_start'][name]['median']:.2f} s ({report['cold_start'][name]['ratio']:.2f}x)"
        for name in IMPORT_FLOORS
    )
    lines.append(f"Import floor in a fresh interpreter (the imports alone, no client): {'; '.join(floors)}.")
    return "\n".join([*lines, "", *floor_table(report), "", *endpoint_table(report), "", cold_start_line(report)])


COLD_START_PEERS = {"ChatModelverse": "ChatDeepSeek", "Modelverse (llama-index)": "llama-index DeepSeek"}


def cold_start_line(report: dict[str, Any]) -> str:
    """Each of our clients' cold start as a share of its framework's DeepSeek client's, wall clock and CPU."""

    def share(kind: str, ours: str, peer: str) -> str:
        return f"{report[kind][ours]['median'] / report[kind][peer]['median']:.2f}x"

    parts = [
        f"{ours} {share('cold_start', ours, peer)} of {peer}'s ({share('cold_start_cpu', ours, peer)} in CPU time)"
        for ours, peer in COLD_START_PEERS.items()
    ]
    return f"Cold start (median): {'; '.join(parts)}."


def floor_table(report: dict[str, Any]) -> list[str]:
    """Each framework client against its framework's floor, and CPU per streamed chunk for every client."""
    cpu, burst_cpu = report["cpu_per_chunk_us"], report["concurrent_cpu_us"]
    lines = [
        "Against each framework's floor (a minimal chat model of that framework over raw `httpx`, "
        "`benchmarks/floors_*.py`): 2000-chunk stream (median), 200 concurrent async calls (best of "
        f"trials, and the median of the fast bursts: those under {SLOW}x the client's fastest), how many "
        "bursts were slower than that (httpcore's slow pool mode), and the client process's CPU time per "
        "call in those bursts and per streamed chunk (best of trials).",
        "",
        "| client | stream / floor | concurrent / floor | fast bursts' median / floor | slow bursts "
        "| CPU per concurrent call | CPU per chunk |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for client in CLIENTS:
        name, burst = client.name, report["concurrent"][client.name]
        stream = f"{report['stream'][name]['floor_ratio']:.2f}x" if client.floor else "-"
        concurrent = f"{burst['floor_ratio_best']:.2f}x" if client.floor else "-"
        fast = "-"
        if client.floor:
            floor_samples = report["concurrent"][client.floor]["samples"]
            fast = f"{fast_median(burst['samples']) / fast_median(floor_samples):.2f}x"
        slow = f"{slow_bursts(burst['samples'])} of {len(burst['samples'])}"
        per_call, per_chunk = against(burst_cpu, client, 0), against(cpu, client, 1)
        lines.append(f"| {name} | {stream} | {concurrent} | {fast} | {slow} | {per_call} | {per_chunk} |")
    sdk, raw = report["request_path_us"]["openai SDK post"], report["request_path_us"]["raw httpx post"]
    lines += [
        "",
        f"The SDK's request path alone (`benchmarks/request_path.py`: its `post` against httpx's, over a mock "
        f"transport, no network) takes {sdk:.0f} µs of CPU per call against {raw:.0f} µs: {sdk - raw:.0f} µs "
        "per call that our clients pay, keeping the SDK as their transport and retry layer, and the floors do not.",
        "",
        fresh_line(report),
        "",
        aiohttp_line(report),
        "",
        no_network_line(report),
    ]
    return lines


def versus(samples: dict[str, list[float]], ours: str, floor: str) -> str:
    """``ours`` against ``floor`` in the same trials: the ratio of their best bursts and of their medians."""
    best = min(samples[ours]) / min(samples[floor])
    median = statistics.median(samples[ours]) / statistics.median(samples[floor])
    return f"{ours} {best:.2f}x the {floor}'s best ({median:.2f}x its median)"


def fresh_line(report: dict[str, Any]) -> str:
    """Our clients against their floors when every burst starts from the same pool."""
    samples = report["concurrent_fresh"]
    spread = max(max(values) / min(values) for values in samples.values())
    return (
        "The same bursts from the same pool state (each on a client built for it and warmed by one call, "
        "so its pool holds one connection when the burst starts, then closed): "
        f"{versus(samples, 'ChatModelverse', 'LangChain floor')}; "
        f"{versus(samples, 'Modelverse (llama-index)', 'llama-index floor')}. "
        f"No client's slowest burst took over {spread:.2f}x its fastest."
    )


def aiohttp_bursts(calls: int, built: dict[str, Any], base_url: str, rounds: int) -> dict[str, list[float]]:
    """Bursts of our clients over the SDK's aiohttp backend, shuffled with the floors' bursts over httpx."""
    floors = [c for c in CLIENTS if c.name in (LANGCHAIN_FLOOR, LLAMAINDEX_FLOOR)]
    over = {c.name: c.make(base_url) for c in AIOHTTP_CLIENTS}
    try:
        for client in AIOHTTP_CLIENTS:  # opens each aiohttp session on the run's loop
            LOOP.run_until_complete(client.acall(over[client.name]))
        return trials([*floors, *AIOHTTP_CLIENTS], built | over, rounds, concurrent(calls, {}))
    finally:
        for client in AIOHTTP_CLIENTS:
            assert client.aclose is not None
            LOOP.run_until_complete(client.aclose(over[client.name]))


def aiohttp_line(report: dict[str, Any]) -> str:
    """Our clients over the SDK's aiohttp backend against their floors over httpx."""
    samples = report["concurrent_aiohttp"]
    slow = ", ".join(f"{name} {slow_bursts(values)}" for name, values in samples.items())
    return (
        "Over the SDK's aiohttp backend (`http_async_client=openai.DefaultAioHttpClient()`, opt-in; see Install), "
        "in bursts shuffled with the floors', which stay on httpx: "
        f"{versus(samples, 'ChatModelverse over aiohttp', 'LangChain floor')}; "
        f"{versus(samples, 'Modelverse (llama-index) over aiohttp', 'llama-index floor')}. "
        f"Slow bursts of {len(samples[LANGCHAIN_FLOOR])}: {slow}."
    )


def no_network_line(report: dict[str, Any]) -> str:
    """Our clients' own CPU per concurrent call over their floors', with no pool and no server."""
    mock, burst_cpu = report["client_cpu_us"], report["concurrent_cpu_us"]

    def over(ours: str, floor: str) -> str:
        extra = mock[ours] - mock[floor]
        return f"{ours} takes {extra:.0f} µs more than the {floor} ({1 + extra / burst_cpu[floor]:.2f}x"

    return (
        "With no network (`benchmarks/client_cpu.py`: 200 concurrent async calls, each client's HTTP client "
        "answering from a mock transport, so neither httpcore's pool nor the server is involved), "
        f"{over('ChatModelverse', 'LangChain floor')} of that floor's CPU per concurrent call above) and "
        f"{over('Modelverse (llama-index)', 'llama-index floor')}). This is the distance that the best-of bursts "
        "vary around: how many connections the pool holds when a burst starts moves them by about a tenth."
    )


def against(micros: dict[str, float], client: Client | Streamer, digits: int) -> str:
    """A client's microseconds, with their ratio to its framework floor's."""
    ratio = f" ({micros[client.name] / micros[client.floor]:.2f}x)" if client.floor else ""
    return f"{micros[client.name]:.{digits}f} µs{ratio}"


def endpoint_table(report: dict[str, Any]) -> list[str]:
    """Our ``/v1/responses`` and ``/v1/completions`` streams against floors over the same endpoint."""
    endpoints = report["endpoints"]
    lines = [
        "The `/v1/responses` stream (typed events: 1000 reasoning-text and 1000 output-text deltas) and the "
        "`/v1/completions` stream (2000 `choices[0].text` chunks), each against its framework's floor over the "
        "same endpoint (`benchmarks/floors_*.py`): median milliseconds per stream, its ratio to the floor, and CPU "
        "per chunk (best of trials). A LangChain `LLM` streams strings, so its completion rows surface nothing.",
        "",
        "| client | stream | stream / floor | CPU per chunk | reasoning text | reasoning tokens | cached tokens |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    cpu = endpoints["cpu_per_chunk_us"]
    for streamer in STREAMERS:
        name, stream = streamer.name, endpoints["stream"][streamer.name]
        seen = Surfaced(**endpoints["surfaced"][name])
        lines.append(
            f"| {name} | {stream['median'] * 1e3:.1f} ms | {stream['floor_ratio']:.2f}x "
            f"| {against(cpu, streamer, 1)} | {yes(seen.reasoning_text)} "
            f"| {yes(seen.reasoning_tokens)} | {yes(seen.cached_tokens)} |"
        )
    return lines


def write(report: dict[str, Any], quick: bool) -> None:
    RESULTS.mkdir(exist_ok=True)
    stem = "quick" if quick else "latest"
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    markdown = table(report)
    (RESULTS / f"{stem}.md").write_text(markdown + "\n")
    print(markdown)
    if not quick and MARK_START in README.read_text():
        text = README.read_text()
        head, _, rest = text.partition(MARK_START)
        _, _, tail = rest.partition(MARK_END)
        README.write_text(f"{head}{MARK_START}\n{markdown}\n{MARK_END}{tail}")


if __name__ == "__main__":
    main()
