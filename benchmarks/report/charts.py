"""SVG charts of a results file (matplotlib): ratios to the raw SDK and to the floors, cold start, growth.

Each chart is drawn only when the results hold its measure. The SVGs are reproducible: no
date in their metadata and fixed element ids, so an unchanged result leaves them unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from benchmarks.clients import CLIENTS, STREAMERS

plt.rcParams.update({"svg.hashsalt": "modelverse-bench", "font.size": 9, "axes.spines.top": False})
OURS = ("ChatModelverse", "Modelverse (")


def save(figure: Figure, path: Path) -> Path:
    """Write ``figure`` as SVG with no date in it, and close it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)
    return path


def bars(axes: Axes, labels: Sequence[str], series: Mapping[str, Sequence[float]], unit: str) -> None:
    """Grouped horizontal bars: one group per label, one bar per series, a line at 1 for ratios."""
    height = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        positions = [j + i * height for j in range(len(labels))]
        axes.barh(positions, values, height=height, label=name)
    axes.set_yticks([j + 0.4 - height / 2 for j in range(len(labels))], labels)
    axes.invert_yaxis()
    axes.set_xlabel(unit)
    if unit.startswith("ratio"):
        axes.axvline(1.0, color="black", linewidth=0.8)
    if len(series) > 1:
        axes.legend(loc="lower right")


def ratios_to_sdk(report: Mapping[str, Any]) -> Figure:
    """Every client's median as a ratio to the raw SDK's: one call, 2000-chunk stream, 200 concurrent calls."""
    figure, axes = plt.subplots(figsize=(7, 4.5))
    names = [c.name for c in CLIENTS]
    series = {
        "one call": [report["call"][n]["ratio"] for n in names],
        "2000-chunk stream": [report["stream"][n]["ratio"] for n in names],
        "200 concurrent async": [report["concurrent"][n]["ratio"] for n in names],
    }
    bars(axes, names, series, "ratio to the raw openai SDK (lower is faster)")
    axes.set_title("Against the raw openai SDK")
    return figure


def ratios_to_floors(report: Mapping[str, Any]) -> Figure:
    """Our clients' streams on every endpoint and their concurrent calls, as ratios to their framework's floor."""
    figure, axes = plt.subplots(figsize=(7, 3.5))
    rows: dict[str, float] = {}
    for client in CLIENTS:
        if client.floor and client.name.startswith(OURS):
            rows[f"{client.name}: chat stream"] = report["stream"][client.name]["floor_ratio"]
            rows[f"{client.name}: 200 concurrent"] = report["concurrent"][client.name]["floor_ratio_best"]
    for streamer in STREAMERS:
        if streamer.name.startswith(OURS) or streamer.name.startswith("Modelverse (LangChain"):
            rows[f"{streamer.name} stream"] = report["endpoints"]["stream"][streamer.name]["floor_ratio"]
    bars(axes, list(rows), {"ratio": list(rows.values())}, "ratio to the framework's floor (lower is faster)")
    axes.set_title("Against each framework's floor, per endpoint")
    return figure


def cold_start(report: Mapping[str, Any]) -> Figure:
    """Median cold start per client and per framework import floor, wall clock and CPU."""
    figure, axes = plt.subplots(figsize=(7, 4.5))
    names = list(report["cold_start"])
    series = {
        "wall clock": [report["cold_start"][n]["median"] for n in names],
        "CPU": [report["cold_start_cpu"][n]["median"] for n in names],
    }
    bars(axes, names, series, "seconds (import, construct, first call)")
    axes.set_title("Cold start in a fresh interpreter")
    return figure


def lines(axes: Axes, curves: Mapping[str, Mapping[str, float]], floors: Mapping[str, str]) -> None:
    """One line per client (x from the keys), our clients solid, floors dashed, peers dotted."""
    for name, points in curves.items():
        style = "-" if name.startswith(OURS) else "--" if floors.get(name) == name else ":"
        xs = [int(x) for x in points]
        axes.plot(xs, [y / 1e3 for y in points.values()], style, marker="o", markersize=3, label=name)
    axes.set_yscale("log")
    axes.set_ylabel("CPU per call (ms)")
    axes.legend(fontsize=7)


def growth(report: Mapping[str, Any], endpoint: str, over: str) -> Figure:
    """CPU per call against history length (``messages_us``) or tool count (``tools_us``) on one endpoint."""
    data = report["growth"][endpoint]
    figure, axes = plt.subplots(figsize=(7, 4.5))
    lines(axes, data[over], data["floors"])
    if over == "messages_us":
        axes.set_xscale("log")
        axes.set_xlabel("messages in the history")
        axes.set_title(f"Request cost as the history grows ({endpoint})")
    else:
        axes.set_xlabel(f"bound tools ({data['tools_history']}-message history)")
        axes.set_title(f"Request cost as tools are added ({endpoint})")
    return figure


def agent_step(report: Mapping[str, Any]) -> Figure:
    """CPU per agent step against history length, one line per client."""
    data = report["agent_step"]
    figure, axes = plt.subplots(figsize=(7, 4.5))
    lines(axes, data["step_us"], data["floors"])
    axes.set_xscale("log")
    axes.set_xlabel("messages in the history")
    axes.set_ylabel("CPU per agent step (ms)")
    axes.set_title("One agent step with three tools (create_agent, FunctionAgent)")
    return figure


def long_tool_call(report: Mapping[str, Any]) -> Figure:
    """CPU per chunk of the long tool-call stream, every client."""
    per_chunk = report["long_tool_call_us_per_chunk"]
    figure, axes = plt.subplots(figsize=(7, 4))
    bars(axes, list(per_chunk), {"CPU": list(per_chunk.values())}, "CPU per chunk (µs)")
    axes.set_title("A streamed tool call: 50 KB of arguments in 10,000 pieces")
    return figure


CHARTS: list[tuple[str, str, tuple[str, ...], Any]] = [
    ("bench-ratios-sdk.svg", "Against the raw openai SDK", ("call", "stream", "concurrent"), ratios_to_sdk),
    (
        "bench-ratios-floors.svg",
        "Against each framework's floor, per endpoint",
        ("stream", "concurrent", "endpoints"),
        ratios_to_floors,
    ),
    ("bench-cold-start.svg", "Cold start", ("cold_start", "cold_start_cpu"), cold_start),
    (
        "bench-history-chat.svg",
        "Request cost as the history grows (chat completions)",
        ("growth",),
        lambda r: growth(r, "chat", "messages_us"),
    ),
    (
        "bench-history-responses.svg",
        "Request cost as the history grows (/v1/responses)",
        ("growth",),
        lambda r: growth(r, "responses", "messages_us"),
    ),
    (
        "bench-tools-chat.svg",
        "Request cost as tools are added (chat completions)",
        ("growth",),
        lambda r: growth(r, "chat", "tools_us"),
    ),
    (
        "bench-tools-responses.svg",
        "Request cost as tools are added (/v1/responses)",
        ("growth",),
        lambda r: growth(r, "responses", "tools_us"),
    ),
    ("bench-agent-step.svg", "One agent step as the history grows", ("agent_step",), agent_step),
    (
        "bench-long-tool-call.svg",
        "A streamed tool call with long arguments",
        ("long_tool_call_us_per_chunk",),
        long_tool_call,
    ),
]


def draw_all(report: Mapping[str, Any], directory: Path) -> Iterator[tuple[Path, str]]:
    """Draw every chart whose measures the results hold into ``directory``; yields each file written and its title."""
    for filename, title, keys, draw in CHARTS:
        if all(key in report for key in keys):
            yield save(draw(report), directory / filename), title
