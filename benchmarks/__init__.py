"""Benchmarks: MiMo adapters vs their peers and floors over a loopback server (issue 7)."""
