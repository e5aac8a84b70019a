"""One module per measure; each takes a :class:`~benchmarks.measures.context.Context` and returns its results."""
