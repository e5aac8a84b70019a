"""Each framework's floor: its thinnest honest models over raw httpx, one module per framework.

A floor's module imports only its own framework (what they share, :mod:`benchmarks.floors.wire`,
imports neither), so a floor's cold start is that framework's own.
"""
