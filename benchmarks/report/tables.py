"""Markdown tables from a results file: every figure of ``make bench``, rendered and nothing measured."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from benchmarks.clients import (
    CLIENTS,
    IMPORT_FLOORS,
    LANGCHAIN_FLOOR,
    REFERENCE,
    STREAMERS,
    Client,
    Streamer,
    Surfaced,
)
from benchmarks.harness.stats import SLOW, fast_median, slow_bursts


def run_line(report: Mapping[str, Any]) -> str:
    """When, where and against which versions the run was made (and whether it was a smoke run)."""
    versions = ", ".join(f"{k} {v}" for k, v in report["versions"].items())
    line = f"Ran {report['date']} on {report['machine']}; {versions}."
    if report.get("quick"):
        line += " **Quick run (`--quick`): a smoke test of the harness, not results.**"
    return line


def yes(flag: bool) -> str:
    return "yes" if flag else "no"


def main_table(report: dict[str, Any]) -> str:
    """Every client as ratios to the raw SDK: one call, stream, concurrent calls, cold start, memory, surfaced."""
    lines = [
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
    return "\n".join(lines)


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
        "`benchmarks/floors/`): 2000-chunk stream (median), 200 concurrent async calls (best of "
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
        f"The SDK's request path alone (`benchmarks/measures/request_path.py`: its `post` against httpx's, over a mock "
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
        "With no network (`benchmarks/measures/client_cpu.py`: 200 concurrent async calls, each client's HTTP client "
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
        "same endpoint (`benchmarks/floors/`): median milliseconds per stream, its ratio to the floor, and CPU "
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


def micros(value: float) -> str:
    """Microseconds, with a precision that suits their size."""
    return f"{value:.1f} µs" if value < 100 else f"{value:,.0f} µs"


def ratio(value: float, floor: float | None) -> str:
    """``value``, and its ratio to ``floor`` when there is one."""
    return f"{micros(value)} ({value / floor:.2f}x)" if floor else micros(value)


def growth_table(growth: Mapping[str, Any], endpoint: str) -> list[str]:
    """CPU per call against history length and tool count on one endpoint, with the slopes against the floors."""
    floors, messages, tools = growth["floors"], growth["messages_us"], growth["tools_us"]
    lengths = list(next(iter(messages.values())))
    counts = list(next(iter(tools.values())))
    lines = [
        f"Request cost on {endpoint}: the client process's CPU per call (best of rounds) with a history of n "
        "messages (tool-call turns with reasoning) and no tools, and with k bound tools over a "
        f"{growth['tools_history']}-message history; the least-squares cost per message and per tool, and its "
        "ratio to the same framework's floor.",
        "",
        "| client | "
        + " | ".join(f"n={n}" for n in lengths)
        + " | "
        + " | ".join(f"k={k}" for k in counts)
        + " | per message | per tool |",
        "| --- " * (3 + len(lengths) + len(counts)) + "|",
    ]
    for name, floor in floors.items():
        row = [micros(messages[name][n]) for n in lengths] + [micros(tools[name][k]) for k in counts]
        own = name == floor
        per_message = ratio(growth["per_message_us"][name], None if own else growth["per_message_us"][floor])
        per_tool = ratio(growth["per_tool_us"][name], None if own else growth["per_tool_us"][floor])
        lines.append(f"| {name} | " + " | ".join(row) + f" | {per_message} | {per_tool} |")
    return lines


def long_tool_call_table(per_chunk: Mapping[str, float]) -> list[str]:
    """CPU per chunk of the long tool-call stream, every client, against its floor."""
    lines = [
        "A streamed tool call with long arguments (about 50 KB of JSON in 10,000 pieces): the client process's "
        "CPU per chunk (best of rounds), and its ratio to the framework's floor.",
        "",
        "| client | CPU per chunk |",
        "| --- | --- |",
    ]
    for client in CLIENTS:
        lines.append(f"| {client.name} | {against(dict(per_chunk), client, 1)} |")
    return lines


def agent_table(agent: Mapping[str, Any]) -> list[str]:
    """Agent step CPU, the model call's CPU and its share of the step, per client and history length."""
    lengths = list(next(iter(agent["step_us"].values())))
    lines = [
        "One agent step with three tools (LangGraph `create_agent`, llama-index `FunctionAgent`) over a history "
        "of n messages: the step's CPU, and the model call's share of it (the same call made alone).",
        "",
        "| client | " + " | ".join(f"n={n} step | n={n} model share" for n in lengths) + " |",
        "| --- " * (1 + 2 * len(lengths)) + "|",
    ]
    for name in agent["step_us"]:
        cells = [f"{micros(agent['step_us'][name][n])} | {agent['share'][name][n]:.0%}" for n in lengths]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def peak_table(peaks: Mapping[str, Any]) -> list[str]:
    """Peak resident memory of the long history request and of the 10,000-chunk stream."""
    lines = [
        f"Peak resident memory above the resting process, each client in a fresh interpreter: one request with a "
        f"{peaks['history_length']}-message history, and consuming the 10,000-chunk tool-call stream.",
        "",
        f"| client | {peaks['history_length']}-message request | 10,000-chunk stream |",
        "| --- | --- | --- |",
    ]
    for client in CLIENTS:
        history = peaks["history"].get(client.name)
        cell = f"{history / 2**20:.1f} MiB" if history is not None else "-"
        lines.append(f"| {client.name} | {cell} | {peaks['stream'][client.name] / 2**20:.1f} MiB |")
    return lines


def overview(report: Mapping[str, Any]) -> list[str]:
    """The ratio table and the lines under it."""
    return [main_table(dict(report))]


SECTIONS: list[tuple[tuple[str, ...], Any]] = [
    (("call", "stream", "concurrent", "cold_start", "memory_growth_bytes", "surfaced"), overview),
    (
        (
            "stream",
            "concurrent",
            "cpu_per_chunk_us",
            "concurrent_cpu_us",
            "request_path_us",
            "concurrent_fresh",
            "concurrent_aiohttp",
            "client_cpu_us",
        ),
        lambda r: floor_table(dict(r)),
    ),
    (("endpoints",), lambda r: endpoint_table(dict(r))),
    (("cold_start", "cold_start_cpu"), lambda r: [cold_start_line(dict(r))]),
    (("growth",), lambda r: growth_table(r["growth"]["chat"], "chat completions")),
    (("growth",), lambda r: growth_table(r["growth"]["responses"], "`/v1/responses`")),
    (("long_tool_call_us_per_chunk",), lambda r: long_tool_call_table(r["long_tool_call_us_per_chunk"])),
    (("agent_step",), lambda r: agent_table(r["agent_step"])),
    (("peak_rss_bytes",), lambda r: peak_table(r["peak_rss_bytes"])),
]


def gallery(figures: Sequence[tuple[str, str]]) -> str:
    """Markdown images for the charts drawn (path relative to the page, title), before the tables."""
    return "".join(f"![{title}]({path})\n\n" for path, title in figures)


def render(report: Mapping[str, Any]) -> str:
    """Every table the results hold (a partial run renders the sections it measured)."""
    parts = [run_line(report)]
    for keys, section in SECTIONS:
        if all(key in report for key in keys):
            parts.append("\n".join(section(report)))
    return "\n\n".join(parts)
