"""Smoke test: ``python -m benchmarks.batch`` runs every row on a tiny batch.

No pace assertions (the machine is shared); pinned: every row answers, and the rows with
``requests_per_minute`` see no 429 and fail nothing.
"""

from __future__ import annotations

import pytest

from benchmarks import batch


@pytest.mark.parametrize("name", list(batch.ROWS))
def test_each_row_runs(name: str) -> None:
    row = batch.run_row(name, prompts=12, limit=6, window=0.5, in_flight=4)
    assert row.answered + row.failed == 12
    if name in ("ChatMiMo", "MiMo"):
        assert (row.answered, row.failed, row.rejected) == (12, 0, 0)
    assert f"| {name}" in row.line()
