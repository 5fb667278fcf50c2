"""Benchmarks against the fake servers: `python -m bench.<name>`."""
