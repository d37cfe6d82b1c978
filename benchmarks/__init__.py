"""Benchmarks: speed as ratios against a reference timed in the same process.

Run one from the project folder as ``python -m benchmarks.NAME`` (docs/performance.md).
"""
