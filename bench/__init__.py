"""Benchmarks: `python -m bench` times the metrics report by scale; `python -m bench.jira` the Jira collector."""
