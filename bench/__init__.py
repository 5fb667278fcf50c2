"""Benchmarks: `python -m bench` (or `python -m bench.report`) times the metrics report at growing scale."""
