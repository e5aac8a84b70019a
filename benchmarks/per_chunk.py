"""CPU time per streamed chunk for every client, and where ``ChatModelverse.stream`` spends it.

``per_chunk.py`` consumes the loopback server's 2000-chunk stream with every client,
and the ``/v1/responses`` and ``/v1/completions`` streams with our clients and the
floors over those endpoints, interleaved, and prints the client process's CPU microseconds per chunk (best of the
rounds: CPU time of this process only, so other load on the machine and the server's own
work count far less than in wall-clock figures), with each framework client's ratio to its
framework's floor. ``per_chunk.py --profile`` runs ``ChatModelverse.stream`` under
pyinstrument and prints the call tree, per chunk.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from clients import CLIENTS, STREAMERS, Client, Streamer  # noqa: E402
from server import STREAM_CHUNKS  # noqa: E402

CHUNKS = STREAM_CHUNKS + 3  # the role chunk, the finish chunk and the usage chunk (about as many on the others)


def cpu_per_chunk(clients: Sequence[Client | Streamer], built: dict[str, Any], rounds: int) -> dict[str, float]:
    """Best-of-rounds CPU microseconds per chunk, clients interleaved in a new order each round."""
    best = {c.name: float("inf") for c in clients}
    order = list(clients)
    for _ in range(rounds):
        random.shuffle(order)
        for client in order:
            started = time.process_time()
            client.stream(built[client.name])
            best[client.name] = min(best[client.name], time.process_time() - started)
    return {name: seconds / CHUNKS * 1e6 for name, seconds in best.items()}


def profile(client: Client | Streamer, instance: Any, streams: int) -> str:
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
    from run import settle_heap, start_server

    candidates: list[Client | Streamer] = [*CLIENTS, *STREAMERS]
    clients = [c for c in candidates if not args.only or c.name in args.only]
    server, base_url = start_server()
    try:
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
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
