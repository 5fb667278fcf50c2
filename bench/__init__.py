"""Benchmarks: `python -m bench` times the metrics report at growing scale; `python -m bench.jira` the Jira collector."""
