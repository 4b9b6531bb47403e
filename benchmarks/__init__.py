"""The measuring instrument: a scale-corpus generator and the benchmark runner (see BENCHMARKS.md)."""
