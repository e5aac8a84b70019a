"""CPU time per streamed chunk for every client, and where one client's stream spends it.

:func:`cpu_per_chunk` consumes a stream with every client, interleaved, and gives the client
process's CPU microseconds per chunk (best of the rounds: CPU time of this process only, so
other load on the machine and the server's own work count far less than in wall-clock
figures). ``python -m benchmarks.measures.per_chunk`` prints it for the chat stream and the
other two endpoints' streams, with each framework client's ratio to its floor;
``--profile [CLIENT]`` runs that client's stream under pyinstrument and prints the call tree.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from benchmarks.clients import CLIENTS, STREAMERS, Client, Streamer
from benchmarks.harness.heap import settle_heap
from benchmarks.harness.server import STREAM_CHUNKS, serving
from benchmarks.harness.stats import best_cpu

CHUNKS = STREAM_CHUNKS + 3  # the role chunk, the finish chunk and the usage chunk (about as many on the others)


def cpu_per_chunk(
    clients: Sequence[Client | Streamer], built: Mapping[str, Any], rounds: int, chunks: int = CHUNKS
) -> dict[str, float]:
    """Best-of-rounds CPU microseconds per chunk, clients interleaved in a new order each round."""
    best = best_cpu({c.name: partial(c.stream, built[c.name]) for c in clients}, rounds)
    return {name: seconds / chunks * 1e6 for name, seconds in best.items()}


def profile(client: Client | Streamer, instance: Any, streams: int) -> str:
    """The pyinstrument call tree of ``streams`` streams of ``client``."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(streams):
        client.stream(instance)
    profiler.stop()
    return str(profiler.output_text(unicode=True, color=False, short_mode=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--profile", metavar="CLIENT", nargs="?", const="ChatModelverse")
    parser.add_argument("--only", nargs="*", help="client names to measure (default: all)")
    args = parser.parse_args()
    candidates: list[Client | Streamer] = [*CLIENTS, *STREAMERS]
    clients = [c for c in candidates if not args.only or c.name in args.only]
    with serving() as base_url:
        built = {c.name: c.make(base_url) for c in clients}
        for client in clients:
            client.stream(built[client.name])
        settle_heap()
        if args.profile:
            client = next(c for c in clients if c.name == args.profile)
            print(profile(client, built[client.name], 20))
            return
        micros = cpu_per_chunk(clients, built, args.rounds)
        for client in clients:
            floor = micros.get(client.floor or "")
            ratio = f"  {micros[client.name] / floor:.2f}x its floor" if floor else ""
            print(f"{client.name:38} {micros[client.name]:7.1f} µs/chunk{ratio}")


if __name__ == "__main__":
    main()
