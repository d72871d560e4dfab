"""Counting request arrivals against a rate limit (shared by the rate-limit and batch tests)."""

from __future__ import annotations

from collections.abc import Sequence


def max_in_any_window(times: Sequence[float], window: float) -> int:
    """The most arrivals within any half-open interval [t, t + window)."""
    ordered = sorted(times)
    best = 0
    end = 0
    for start, t in enumerate(ordered):
        end = max(end, start)
        while end < len(ordered) and ordered[end] < t + window:
            end += 1
        best = max(best, end - start)
    return best


def sustained_share(times: Sequence[float], limit: int, window: float) -> float:
    """Requests per window between the first and the last arrival, as a share of the limit."""
    ordered = sorted(times)
    return (len(ordered) - 1) / (limit * (ordered[-1] - ordered[0]) / window)
