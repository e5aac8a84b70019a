"""What the measures share: the run's context, and the summaries against the reference and the floors."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from benchmarks.clients import CLIENTS, REFERENCE, STREAMERS, Client
from benchmarks.harness.stats import quartiles


@dataclass
class Context:
    """One run: the loopback server's URL, the budget, one event loop, and every client of :data:`CLIENTS` built."""

    base_url: str
    quick: bool
    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)  # async pools are per loop
    built: dict[str, Any] = field(default_factory=dict)

    @property
    def rounds(self) -> int:
        """Trials per client of the steady measures."""
        return 3 if self.quick else 11

    def pick(self, quick: Any, full: Any) -> Any:
        """The quick mode's budget or the full run's."""
        return quick if self.quick else full

    def build(self) -> None:
        """Build every client of :data:`CLIENTS` and warm up its connections and lazy imports."""
        self.built = {c.name: c.make(self.base_url) for c in CLIENTS}
        for client in CLIENTS:
            client.call(self.built[client.name])
            client.stream(self.built[client.name])


def summarize(samples: Mapping[str, Sequence[float]]) -> dict[str, dict[str, Any]]:
    """Quartiles and best trial per client; ratios to the reference and to the client's framework floor."""
    stats: dict[str, dict[str, Any]] = {name: quartiles(values) for name, values in samples.items()}
    reference = stats[REFERENCE]["median"]
    for name, values in stats.items():
        values["best"] = min(samples[name])
        values["ratio"] = values["median"] / reference
        values["samples"] = list(samples[name])
    for client in CLIENTS:
        values = stats[client.name]
        if client.floor:
            values["floor_ratio"] = values["median"] / stats[client.floor]["median"]
            values["floor_ratio_best"] = values["best"] / stats[client.floor]["best"]
    return stats


def against_floors(samples: Mapping[str, Sequence[float]]) -> dict[str, dict[str, Any]]:
    """Quartiles per streamer, and its median's ratio to the floor over the same endpoint."""
    stats: dict[str, dict[str, Any]] = {name: quartiles(values) for name, values in samples.items()}
    for streamer in STREAMERS:
        stats[streamer.name]["samples"] = list(samples[streamer.name])
        stats[streamer.name]["floor_ratio"] = stats[streamer.name]["median"] / stats[streamer.floor]["median"]
    return stats


def surfaced(clients: Sequence[Client], built: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """What each client surfaced of a reasoning model's answer, called and streamed."""
    out = {}
    for client in clients:
        called, streamed = client.call(built[client.name]), client.stream(built[client.name])
        out[client.name] = {"call": asdict(called), "stream": asdict(streamed)}
    return out
