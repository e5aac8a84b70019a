"""``make bench``: every client side by side, against the raw SDK, each framework's floor and the peers.

``python -m benchmarks`` measures and writes ``benchmarks/results/<stem>.json``;
``python -m benchmarks.report`` renders that file into tables, SVG charts and the docs'
performance page. The parts:

- :mod:`benchmarks.harness`: the loopback server, the heap and memory helpers, statistics,
  fresh interpreters and the results file;
- :mod:`benchmarks.clients` and :mod:`benchmarks.floors`: the clients compared, and each
  framework's floor (its thinnest honest model over raw httpx);
- :mod:`benchmarks.measures`: one module per measure;
- :mod:`benchmarks.fresh`: the programs a fresh interpreter runs (cold start, memory), kept
  apart so that nothing imports them before their clock starts;
- :mod:`benchmarks.report`: tables, charts and the docs page, from the results file alone.

This package imports nothing at its own import: a fresh interpreter's cold start begins here.
"""
