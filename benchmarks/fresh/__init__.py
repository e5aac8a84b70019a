"""Programs run in a fresh interpreter (``python -m benchmarks.fresh.<name>``), importing nothing before their clock."""
