"""Client settings: the key (MIMO_API_KEY), base URL (MIMO_BASE_URL), timeouts and retries."""

from __future__ import annotations

import ipaddress
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from ._headers import MASK, is_secret_header
from ._secret import Secret, SecretLike

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_TOTAL_TIMEOUT",
    "ClientConfig",
    "limits",
    "resolve_config",
]

DEFAULT_BASE_URL = "https://api.xiaomimimo.com/v1"
#: Seconds each socket operation (connect, each read, each write) may take.
DEFAULT_TIMEOUT = 120.0
#: Seconds a whole call may take, retries included, or a whole stream: generous, so that a
#: long reasoning stream is not cut, but finite, so that a stalled or endless one is.
DEFAULT_TOTAL_TIMEOUT = 600.0
DEFAULT_MAX_RETRIES = 2
#: Connections open at once per client. AsyncMiMoClient queues requests beyond it on its own
#: semaphore, not in httpcore's pool, whose wake-up scans every waiting request against every
#: connection and so slows down sharply with hundreds waiting; MiMoClient's extra requests
#: wait in httpx's pool.
DEFAULT_MAX_CONNECTIONS = 64


def limits(max_connections: int) -> httpx.Limits:
    """The httpx pool limits for ``max_connections``, every one of them kept alive for reuse.

    Keeping fewer alive than may be open closes a connection each time a stream ends under
    load, so 1,000 concurrent streams opened 1,000 connections (a TLS handshake each against
    the service); httpcore's per-event scan of its connections is what makes a wide pool
    costly, hence 64 open at most by default rather than 128 (``benchmarks/README.md``).
    """
    return httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=30.0,
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ClientConfig:
    """Resolved settings shared by the sync and async clients. ``api_key`` is a Secret."""

    api_key: Secret = field(repr=False)
    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    headers: Mapping[str, str] = field(repr=False)
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT

    def scrub(self, data: bytes) -> bytes:
        """``data`` with this client's key and credential header values masked.

        For text the server sent back (an error body, a header): a proxy that echoes the
        request would otherwise put the key into ``str(error)`` and the logs.
        """
        secrets = [self.api_key.get_secret_value()]
        secrets += [value for name, value in self.headers.items() if is_secret_header(name)]
        for secret in sorted(secrets, key=len, reverse=True):
            if len(secret) >= 4:  # a tiny value would mask ordinary text, and is no secret
                data = data.replace(secret.encode(), MASK.encode())
        return data

    @property
    def chat_url(self) -> str:
        """The chat-completions endpoint."""
        return self.base_url + "/chat/completions"

    @property
    def models_url(self) -> str:
        """The model-listing endpoint."""
        return self.base_url + "/models"


def resolve_config(
    *,
    api_key: str | SecretLike | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    default_headers: Mapping[str, str] | None,
    allow_insecure_http: bool,
    total_timeout: float | None = None,
) -> ClientConfig:
    """Fill in settings from arguments, then the environment, then defaults, and check them."""
    if isinstance(api_key, SecretLike):
        key = api_key.get_secret_value()
    else:
        key = api_key or os.environ.get("MIMO_API_KEY", "")
    key = key.strip()
    if not key:
        raise ValueError(
            "No MiMo API key: pass api_key=... or set the MIMO_API_KEY environment variable "
            "(keys are made at platform.xiaomimimo.com, Settings -> API keys)"
        )
    url = (base_url or os.environ.get("MIMO_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    if url.endswith("/chat/completions"):
        url = url[: -len("/chat/completions")]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"base_url {url!r} is not an http(s) URL; use e.g. {DEFAULT_BASE_URL!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname) and not allow_insecure_http:
        raise ValueError(
            f"base_url {url!r} is plain http to a host that is not loopback: the API key would "
            "travel unencrypted. Use https, or pass allow_insecure_http=True if you mean it"
        )
    if max_retries is None:
        max_retries = DEFAULT_MAX_RETRIES
    if max_retries < 0:
        raise ValueError(f"max_retries must be 0 or more, got {max_retries}")
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if not isinstance(timeout, httpx.Timeout):
        timeout = httpx.Timeout(timeout, connect=min(float(timeout), 10.0))
    if total_timeout is None:
        total_timeout = DEFAULT_TOTAL_TIMEOUT
    if not total_timeout > 0 or math.isnan(total_timeout):
        raise ValueError(
            f"total_timeout must be a number of seconds above 0 (math.inf for no bound), "
            f"got {total_timeout!r}"
        )
    headers = {
        "Authorization": f"Bearer {key}",
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "User-Agent": "mimo-integrations/0.1",
    }
    for name, value in (default_headers or {}).items():
        headers[name] = value
    return ClientConfig(
        api_key=Secret(key),
        base_url=url,
        timeout=timeout,
        max_retries=max_retries,
        headers=headers,
        total_timeout=float(total_timeout),
    )
