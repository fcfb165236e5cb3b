"""Benchmarks: run with `make bench` (docs/performance.md). Not part of the service."""
