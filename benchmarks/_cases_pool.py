"""The core with the pool it had before (128 connections, all kept alive), for a side-by-side
run against the ``core`` row with many concurrent streams::

    python -m benchmarks --cases core,core_keepall --streams 1000 --stream-deltas 200

The ``core`` row opens at most 64 connections and keeps them all alive (see
mimo_client._config.limits); this one opens up to 128, as the core did before.
"""

from __future__ import annotations

from benchmarks._cases_wire import DUMMY_KEY, Core


class CoreKeepAll(Core):
    """mimo_client core over an httpx pool that keeps every one of its 128 connections alive."""

    def __init__(self, base_url: str) -> None:
        import httpx

        import mimo_client

        super().__init__(base_url)
        limits = httpx.Limits(max_connections=128, max_keepalive_connections=128)
        self._sync = mimo_client.MiMoClient(
            api_key=DUMMY_KEY, base_url=base_url, http_client=httpx.Client(limits=limits)
        )
        self._async = mimo_client.AsyncMiMoClient(
            api_key=DUMMY_KEY, base_url=base_url, http_client=httpx.AsyncClient(limits=limits)
        )
